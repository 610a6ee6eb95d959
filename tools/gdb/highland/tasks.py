"""tasks.py - hl-threads: every task on the kernel's task list (kernel/kthread.c's
all_tasks; struct task in include/sched.h) with its pid, name, state and CPU,
which task each CPU's runqueue is running, and where each virtual CPU (QEMU
gives gdb one thread per vCPU, in order) is executing. Read from memory only,
so it works on a hung or panicked kernel; a broken task list is reported."""
import gdb

from .core import (HlCommand, ListWalk, array_len, command, format_caller, has_symbol,
                   lookup_type, offset_of, out, symbol_value, uint)

STATES = {1: "sleeping", 2: "dead"}  # 0, TASK_RUNNING: running or runnable (on_cpu)
MAX_TASKS = 4096


def task_at(addr):
    return gdb.Value(addr).cast(lookup_type("struct task").pointer()).dereference()


def task_name(t):
    try:
        return t["name"].string()
    except gdb.error:
        return "?"


def list_tasks():
    head = uint(symbol_value("&all_tasks"))
    link = offset_of("struct task", "all_link")
    walk = ListWalk(head, "all_tasks", MAX_TASKS,
                    describe=lambda a: task_name(task_at(a - link)))
    return [a - link for a in walk.nodes], walk.problem


def show_vcpus():
    inf = gdb.selected_inferior()
    selected = gdb.selected_thread()
    for t in sorted(inf.threads(), key=lambda t: t.num):
        try:
            t.switch()
            pc = int(gdb.selected_frame().pc()) & 0xFFFFFFFF
            where = f"pc 0x{pc:08x} {format_caller(pc)}"
        except gdb.error as e:
            where = f"(cannot read its registers: {e})"
        out(f"  vCPU {t.num - 1} (gdb thread {t.num}): {where}")
    if selected is not None:
        selected.switch()


@command
class HlThreads(HlCommand):
    """kernel threads (the monitor's `threads`), each CPU's current task, each vCPU's pc."""
    NAME = "hl-threads"

    def run(self, arg):
        if not has_symbol("all_tasks"):
            out("threads: this kernel has no task list (no symbol all_tasks)")
            show_vcpus()
            return
        tasks, problem = list_tasks()
        out(f"threads: {len(tasks)} tasks")
        out("  PID  NAME             STATE     CPU")
        for a in tasks:
            t = task_at(a)
            st = int(t["state"])
            state = (("running" if bool(t["on_cpu"]) else "runnable") if st == 0
                     else STATES.get(st, f"?{st}"))
            out(f"  {int(t['pid']):3d}  {task_name(t):<16s} {state:<9s} {int(t['cpu']):3d}")
        if problem:
            out(f"BROKEN: {problem}")
        rqs = symbol_value("runqueues")
        for c in range(array_len(rqs) or 0):
            if not bool(rqs[c]["online"]):
                continue
            cur = uint(rqs[c]["curr"])
            name = task_name(task_at(cur)) if cur else "-"
            out(f"CPU {c}: current {name} (task at 0x{cur:08x})")
        show_vcpus()
