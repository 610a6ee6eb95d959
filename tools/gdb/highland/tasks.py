"""tasks.py - hl-threads. Highland has no threads yet (they come with the SMP
issue): until a task list exists the command says so, and shows where each
virtual CPU (QEMU gives gdb one thread per vCPU, in order) is executing."""
import gdb

from .core import HlCommand, command, format_caller, has_symbol, out

# Symbols a thread implementation would add; the first found is named.
TASK_SYMBOLS = ("init_task", "task_list", "runqueues", "current_task", "all_threads")


@command
class HlThreads(HlCommand):
    """kernel threads (none yet: says so), and where each CPU is."""
    NAME = "hl-threads"

    def run(self, arg):
        found = [s for s in TASK_SYMBOLS if has_symbol(s)]
        if found:
            out(f"threads: this kernel has {found[0]}, but hl-threads does not know its layout "
                f"yet: teach tools/gdb/highland/tasks.py")
        else:
            out("threads: none yet - this kernel has no threads (no symbol "
                + ", ".join(TASK_SYMBOLS) + "): one flow of control per CPU")
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
