#!/usr/bin/env python3
"""Drive Highland's serial monitor from the host, as a user would type.

Boots build/kernel.elf in QEMU (-serial stdio), waits for each `highland> `
prompt, sends a line, and checks what comes back. Prints TAP; exit 1 on any
failure. Covers every command, bad arguments, refusals, and line editing
(backspace, Ctrl-U, history with the up arrow).
"""
import os
import re
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = b"highland> "
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import hl_common as hc  # noqa: E402


class Monitor(hc.SerialSession):
    def __init__(self, mem=2048):
        super().__init__(["-m", str(mem), "-cpu", "max", "-kernel", KERNEL], PROMPT)
        self.boot = self.until(PROMPT, 60)


results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def main():
    m = Monitor()
    try:
        run_bad_input_checks(m)
        run_checks(m)
    except TimeoutError as e:
        check("monitor answered every command", False, str(e))
    finally:
        m.close()
    exit_checks()
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok:
            failed += 1
            for line in (detail or "").splitlines()[-12:]:
                print(f"    # {line}")
    return 1 if failed else 0


def run_checks(m):
    check("boot ends at the monitor prompt", "Highland monitor" in m.boot, m.boot[-500:])
    out = m.send(b"help\r")
    names = ["meminfo", "buddyinfo", "zoneinfo", "slabinfo", "vmallocinfo", "layout", "e820",
             "kswapd", "dmesg", "page", "pagewalk", "alloc", "free", "kmap", "kunmap", "pkmap", "cpus", "threads", "tlb", "fault", "test", "bench",
             "poweroff", "reboot"]
    missing = [n for n in names if not re.search(rf"^\s+{n}\s", out, re.M)]
    check("help lists every command, one line each", not missing, f"missing {missing}\n{out}")
    out = m.send(b"meminfo\r")
    check("meminfo in /proc/meminfo format, no timestamps",
          re.search(r"^MemTotal:\s+\d+ kB$", out, re.M) and "HighTotal:" in out
          and "[ " not in out, out)
    out = m.send(b"buddyinfo\r")
    check("buddyinfo", re.search(r"^Node 0, zone\s+Normal(\s+\d+){11}", out, re.M), out)
    out = m.send(b"zoneinfo\r")
    check("zoneinfo", "pages free" in out and "protection:" in out, out)
    out = m.send(b"slabinfo\r")
    check("slabinfo (format 2.1)", "slabinfo - version: 2.1" in out and "kmalloc-64" in out, out)
    out = m.send(b"vmallocinfo\r")
    check("vmallocinfo answers", "unknown command" not in out, out)
    out = m.send(b"layout\r")
    check("layout", "vmalloc :" in out and "lowmem  :" in out, out)
    out = m.send(b"kswapd\r")
    check("kswapd shows its state and the zones' watermarks",
          re.search(r"^kswapd0: (sleeping|reclaiming), woken \d+ times", out, re.M)
          and re.search(r"^  Normal +free +\d+ +min", out, re.M), out)
    out = m.send(b"e820\r")
    check("e820", "[mem 0x0000000000100000-" in out and "usable" in out, out)
    out = m.send(b"dmesg\r")
    check("dmesg has the boot log with timestamps",
          re.search(r"\[\s+\d+\.\d{6}\] Highland", out) and "Zone ranges:" in out, out[-400:])
    out = m.send(b"page 0\r")
    check("page 0 is reserved", "pfn:0x0" in out and "reserved" in out, out)
    out = m.send(b"pagewalk 0xc0100000\r")
    check("pagewalk of a kernel address ends at a frame", "-> physical 0x100000" in out, out)
    out = m.send(b"pagewalk 0\r")
    check("pagewalk of NULL stops at the PGD", "walk stops at the PGD" in out, out)
    out = m.send(b"pagewalk 0xc8000000\r")
    check("pagewalk of the direct map finds a 2 MB page", "2 MB page" in out, out)
    out = m.send(b"alloc 2 high\r")
    mt = re.search(r"allocated pfn (0x[0-9a-f]+) order 2 .* zone HighMem", out)
    check("alloc 2 high comes from HighMem", mt, out)
    pfn = mt.group(1) if mt else "0x1"
    out = m.send(f"kmap {pfn}\r".encode())
    check("kmap of a highmem page gives a pkmap slot", "pkmap slot" in out, out)
    out = m.send(b"pkmap\r")
    check("pkmap shows the slot in use", "count 2 (in use)" in out and "1 in use" in out, out)
    out = m.send(f"free {pfn} 2\r".encode())
    check("free of a kmapped block is refused and the block kept",
          "refused" in out and "stays allocated" in out, out)
    out = m.send(f"kunmap {pfn}\r".encode())
    check("kunmap leaves the slot cached (count 1)", "unused (count 1)" in out, out)
    out = m.send(f"kunmap {pfn}\r".encode())
    check("an unbalanced kunmap is reported, not claimed done",
          "unbalanced" in out and "count 1)" not in out, out)
    out = m.send(b"kmap 0x100\r")
    check("kmap of a page the monitor does not own is refused", "refused" in out, out)
    out = m.send(b"fault page 1,100,0,1\r")
    check("fault page arms fail_page_alloc", "fail_page_alloc armed: interval 1, probability "
          "100, space 0, times 1" in out, out)
    out = m.send(b"alloc 0\r")
    check("the next allocation fails on purpose, reported",
          "forcing a failure (fail_page_alloc #1" in out and "no block of order 0" in out, out)
    out = m.send(b"alloc 0\r")
    check("times 1: only one failure", "allocated pfn" in out, out)
    mt = re.search(r"allocated pfn (0x[0-9a-f]+) order 0", out)
    if mt:
        m.send(f"free {mt.group(1)} 0\r".encode())
    out = m.send(b"fault off\r")
    check("fault off disarms, the count stays", "fail_page_alloc off" in out and
          "times 0, 1 failure(s) injected" in out and "failslab off" in out, out)
    out = m.send(b"fault page 1,200,0,1\r")
    check("a bad fault spec is refused with the reason", "probability a percentage" in out
          and "fail_page_alloc off" not in out, out)
    out = m.send(f"free {pfn} 1\r".encode())
    check("free with the wrong order is refused", "refused" in out and "order 2" in out, out)
    out = m.send(f"free {pfn} 2\r".encode())
    check("free of our own block works", f"freed pfn {pfn} order 2" in out, out)
    out = m.send(f"free {pfn} 2\r".encode())
    check("a second free is refused", "refused" in out, out)
    out = m.send(b"free 0x100 0\r")
    check("free of a page we did not allocate is refused", "was not allocated" in out, out)
    for line, want in [(b"page\r", "missing PFN"), (b"page zz\r", "not a number"),
                       (b"page 0xfffffff\r", "beyond the last frame"),
                       (b"alloc 11\r", "too big"), (b"alloc 1 weird\r", "unknown"),
                       (b"frobnicate\r", "unknown command 'frobnicate'")]:
        out = m.send(line)
        check(f"bad input '{line.decode().strip()}' is explained", want in out, out)
    out = m.send(b"meminfx\x7fo\r")
    check("backspace edits the line", "MemTotal:" in out, out)
    out = m.send(b"garbage\x15cpus\r")
    check("Ctrl-U kills the line", "CPU(s) online" in out and "unknown command" not in out, out)
    out = m.send(b"\x1b[A\r")
    check("up arrow recalls the last command", "CPU(s) online" in out, out)
    out = m.send(b"threads\r")
    check("threads lists init and the idle tasks", "init" in out and "swapper/0" in out, out)
    out = m.send(b"tlb\r")
    check("tlb shows flush counters per CPU", "shootdowns-sent" in out, out)
    out = m.send(b"test printk\r", timeout=60)
    check("test runs a suite (KTAP)", "ok 1 printk" in out and "all tests passed" in out, out)
    student_checks(m)
    m.p.stdin.write(b"poweroff\r")
    m.p.stdin.flush()
    try:
        rc = m.p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        rc = None
    check("poweroff exits QEMU", rc == 33, f"exit status {rc}")


# ---- bad input (issue 20 items 5, 10, 11): lines and numbers refused whole ----
def run_bad_input_checks(m):
    line = b"alloc 0" + b" " * 200 + b"high"
    out = m.send(line + b"\r")
    check("a line over 127 characters is refused whole, not cut and run",
          "line too long (211 characters, at most 127): ignored" in out
          and "allocated pfn" not in out, out)
    out = m.send(b"alloc 0" + b" " * 130 + b"\x7f" * 130 + b" high\r")
    check("backspace over the part past the limit makes the line whole again",
          "allocated pfn" in out and "(highmem)" in out and "too long" not in out, out)
    pfn = re.search(r"allocated pfn (0x[0-9a-f]+) order 0", out)
    if pfn:
        out = m.send(b"free " + pfn.group(1).encode() + b" 0\r")
        check("free of that block", "freed pfn" in out, out)
    out = m.send(b"alloc 0000000000000000000000000000000000000000000000001\r")
    check("leading zeros are only zeros (alloc 000...1 is order 1)", "order 1 (2 pages)" in out, out)
    pfn = re.search(r"allocated pfn (0x[0-9a-f]+) order 1", out)
    if pfn:
        m.send(b"free " + pfn.group(1).encode() + b" 1\r")
    out = m.send(b"page 99999999999999999999\r")
    check("a number too large for 32 bits is refused, not wrapped",
          "is too large" in out and "pfn:" not in out, out)
    out = m.send(b"test ,\r", timeout=60)
    check("test with no suite is not 'all tests passed'",
          "all tests passed" not in out and ("ran no test" in out or "no suite named ','" in out), out)
    for run in (1, 2):  # fail_nth failures of run 1 must not count against run 2
        out = m.send(b"test fault_inject\r", timeout=120)
        check("test fault_inject, run %d: passes (boot-parameter counter reset)" % run,
              "ok 1 fault_inject" in out and "all tests passed" in out, out[-1500:])
def student_checks(m):
    """Issue 14: no dead console, every seed concept one command away."""
    def pfn_of(out, what):
        mt = re.search(r"allocated pfn (0x[0-9a-f]+)", out)
        check(f"alloc for {what}", mt, out)
        return mt.group(1) if mt else "0x1"

    # 8. small edges
    out = m.send(b"test\r")
    check("test with no argument lists the suites", "`test all`" in out and " pkmap" in out
          and "KTAP" not in out, out)
    out = m.send(b"test nosuch\r")
    check("test nosuch says there is no such suite", "no suite named 'nosuch'" in out
          and "KTAP" not in out, out)
    out = m.send(b"meminfo extra\r")
    check("an extra argument is refused", "takes no arguments" in out and "MemTotal" not in out,
          out)
    out = m.send(b"alloc 0 high extra\r")
    check("too many arguments are refused, nothing done", "too many arguments" in out
          and "allocated" not in out, out)
    out = m.send(b"pagewalk 0x1ffffffff\r")
    check("pagewalk 0x1ffffffff says too large", "too large" in out
          and "not a number" not in out, out)
    out = m.send(b"pagewalk zz\r")
    check("pagewalk of a non-number, non-symbol says so", "neither a number nor" in out, out)
    out = m.send(b"pagewalk boot_stack_guard\r")
    check("pagewalk accepts a kernel symbol (the boot-stack guard: not mapped)",
          re.search(r"boot_stack_guard = 0xc0[0-9a-f]{6}", out) and "is not mapped" in out, out)
    out = m.send(b"vmallocinfo\r")
    check("vmallocinfo prints its header", "vmallocinfo: areas in 0x" in out, out)
    out = m.send(b"alloc 0 high\r")
    hp = pfn_of(out, "page")
    out = m.send(f"page {hp}\r".encode())
    check("page of a HighMem frame: no permanent kernel address",
          "no permanent kernel address" in out, out)
    out = m.send(b"page 0xfee00\r")
    check("the local APIC's frame is a device, not highmem (phys_describe)",
          "beyond the last frame" in out and "device (local APIC)" in out, out)
    out = m.send(b"page 0x100\r")
    check("page of a lowmem frame gives its direct-map address", "virtual: 0xc0100000" in out,
          out)

    # 1. the hanging sequences: 512 kmaps then a 513th; test pkmap with a slot held
    out = m.send(b"alloc 9 high\r")
    big = pfn_of(out, "512 pages")
    out = m.send(f"kmap {big} 512\r".encode(), timeout=60)
    check("kmap of 512 pages fills the window", "pkmap slot" in out and "..." in out, out)
    out = m.send(f"kmap {hp}\r".encode())
    check("the 513th kmap is refused with the slot table, not a hang",
          "refused: all 512 pkmap slots are in use" in out and "would sleep" in out
          and "slot 511" in out, out)
    out = m.send(b"pkmap\r")
    check("pkmap: 512 in use", "512 in use, 0 cached, 0 free" in out, out[-300:])
    big1 = "0x%x" % (int(big, 16) + 1)
    out = m.send(f"kunmap {big1} 511\r".encode(), timeout=60)
    check("kunmap of 511 of them", "unused (count 1)" in out, out)
    out = m.send(b"test pkmap\r", timeout=120)
    check("test pkmap with a slot held by the monitor skips, says who holds it, ends",
          "# SKIP pkmap slots held by someone else" in out and f"pfn {big}, 1 user(s)" in out
          and "ok 1 pkmap" in out, out[-1500:])
    out = m.send(f"kunmap {big}\r".encode())
    out = m.send(f"free {big} 9\r".encode())
    check("the 512-page block is freed", f"freed pfn {big}" in out, out)

    # 1. Ctrl-C between cases
    m.type(b"test all\r")
    try:
        first = m.until(b"    ok 1 ", 120)
        m.type(b"\x03")
        out = first + m.until(PROMPT, 300)
    except TimeoutError as e:
        out = str(e)
    check("Ctrl-C interrupts a running test between cases",
          "interrupted: cases" in out and "interrupted (Ctrl-C)" in out, out[-800:])

    m.type(b"bench\r")
    try:
        first = m.until(b"# bench ", 120)
        m.type(b"\x03")
        out = first + m.until(PROMPT, 300)
    except TimeoutError as e:
        out = str(e)
    check("Ctrl-C interrupts bench between benchmarks",
          "# bench interrupted" in out and "interrupted (Ctrl-C)" in out, out[-600:])

    # 6. kmap_atomic, kmap_local, per-CPU slots
    out = m.send(f"kmap_atomic {hp}\r".encode())
    check("kmap_atomic shows its slot and PTE, then unmaps",
          re.search(r"CPU 0 slot 0 .*preemption off", out) and f"(pfn {hp}" in out
          and "PTE cleared (not present now)" in out, out)
    out = m.send(f"kmap_local {hp}\r".encode())
    check("kmap_local holds a slot for the task", "held by task init (pid 1)" in out, out)
    out = m.send(b"cpus\r")
    check("cpus shows the slot in use", re.search(r"^\s+0\s.*\s1 of 16\s", out, re.M), out)
    out = m.send(b"kmaps\r")
    check("kmaps shows whose slot it is", f"-> pfn {hp} (the monitor's kmap_local)" in out, out)
    out = m.send(b"test printk\r")
    check("test is refused while a kmap_local is held", "refused" in out and "KTAP" not in out,
          out)
    out = m.send(b"kunmap_local\r")
    check("kunmap_local empties the stack", "stack depth 0" in out, out)
    out = m.send(b"cpus\r")
    check("cpus: 0 of 16 again", re.search(r"^\s+0\s.*\s0 of 16\s", out, re.M), out)
    m.send(f"free {hp} 0\r".encode())

    # 6. kmalloc, vmalloc, kvmalloc
    out = m.send(b"kmalloc 100\r")
    mt = re.search(r"= (0x[0-9a-f]+)", out)
    check("kmalloc 100 comes from kmalloc-128", mt and "cache kmalloc-128" in out, out)
    out = m.send(f"vfree {mt.group(1) if mt else 0}\r".encode())
    check("vfree of a kmalloc address is refused", "refused" in out and "use kfree" in out, out)
    out = m.send(f"kfree {mt.group(1) if mt else 0}\r".encode())
    check("kfree of it", "done" in out, out)
    out = m.send(b"vmalloc 10000\r")
    mt = re.search(r"= (0x[0-9a-f]+)", out)
    check("vmalloc 10000: three HighMem pages and a guard page",
          "3 page(s): 3 HighMem" in out and "guard page" in out, out)
    out = m.send(f"vfree {mt.group(1) if mt else 0}\r".encode())
    check("vfree of it", "done" in out, out)
    out = m.send(b"kvmalloc 100\r")
    mt = re.search(r"= (0x[0-9a-f]+)", out)
    check("kvmalloc 100 chooses kmalloc and says why", ": kmalloc, because up to a page" in out,
          out)
    m.send(f"kvfree {mt.group(1) if mt else 0}\r".encode())
    out = m.send(b"kvmalloc 65536\r")
    mt = re.search(r"= (0x[0-9a-f]+)", out)
    check("kvmalloc 65536 chooses vmalloc and says why",
          ": vmalloc, because beyond 8 pages" in out, out)
    out = m.send(f"kvfree {mt.group(1) if mt else 0}\r".encode())
    check("kvfree of it", "done" in out, out)

    # 5. watermarks and lowmem_reserve
    out = m.send(b"fill DMA min\r", timeout=60)
    check("fill DMA min stops at min",
          re.search(r"free \d+ -> (\d+); watermarks min \1 ", out), out)
    out = m.send(b"alloc 0 dma\r")
    check("a failed alloc names the min watermark",
          "DMA: refused by the min watermark" in out and "allocated" not in out, out[-600:])
    out = m.send(b"fill HighMem min\r", timeout=120)
    out = m.send(b"fill Normal high\r", timeout=120)
    check("fill Normal high stops at high",
          re.search(r"free \d+ -> (\d+); watermarks min \d+ low \d+ high \1;", out), out)
    out = m.send(b"alloc 0 high\r")
    check("lowmem_reserve refuses a HighMem-capable request in Normal",
          "Normal: refused by lowmem_reserve[HighMem]" in out
          and "HighMem: refused by the min watermark" in out and "allocated" not in out,
          out[-800:])
    out = m.send(b"alloc 0\r")
    check("... while a Normal request succeeds", "in zone Normal" in out, out)
    mt = re.search(r"allocated pfn (0x[0-9a-f]+)", out)
    if mt:
        m.send(f"free {mt.group(1)} 0\r".encode())
    out = m.send(b"fill release\r", timeout=120)
    check("fill release gives everything back", re.search(r"\d{6} page\(s\) given back", out),
          out)


def interactive_session(cmdline, keys):
    """`make run`'s path: tools/qemu-run --interactive, typing keys[i] at the
    i-th prompt. Returns (exit status, serial output, qemu-run's last line)."""
    cmd = [sys.executable, os.path.join(ROOT, "tools", "qemu-run"), "--kernel", KERNEL,
           "--mem", "512", "--interactive"] + (["--cmdline", cmdline] if cmdline else [])
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    buf, sent, end = b"", 0, time.time() + 90
    while p.poll() is None and time.time() < end:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            buf += os.read(p.stdout.fileno(), 65536)
        if buf.count(PROMPT) > sent and sent < len(keys):
            p.stdin.write(keys[sent])
            p.stdin.flush()
            sent += 1
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    said = [l for l in p.stderr.read().decode("utf-8", "replace").splitlines()
            if l.startswith("qemu-run: ")]
    return rc, buf.decode("utf-8", "replace"), said[-1] if said else "(nothing)"


def exit_checks():
    """Issue 14 item 4: each ending of `make run` named truthfully; the pass
    code is success; `reboot` reboots."""
    for name, cmdline, keys, want_rc, want in [
            ("Ctrl-A X", None, [b"\x01x"], 0, "you quit QEMU (Ctrl-A X)"),
            ("poweroff", None, [b"poweroff\r"], 0, "power-off (`poweroff`)"),
            ("ktest=printk", "ktest=printk", [], 0, "the tests passed"),
            ("a failing test", "ktest=ktest_selftest_fail", [], 35, "FAIL (35)"),
            ("crash=triple", "crash=triple", [], 3, "triple fault")]:
        rc, out, said = interactive_session(cmdline, keys)
        check(f"make run's ending after {name}: exit {want_rc}, '{want}'",
              rc == want_rc and want in said, f"exit {rc}: {said}\n{out[-300:]}")
    rc, out, said = interactive_session(None, [b"reboot\r", b"poweroff\r"])
    check("reboot in make run really reboots (a second boot, then poweroff)",
          out.count("Highland monitor") == 2 and rc == 0 and "power-off" in said,
          f"exit {rc}: {said}\n{out[-300:]}")


if __name__ == "__main__":
    sys.exit(main())
