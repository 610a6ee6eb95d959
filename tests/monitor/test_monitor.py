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


class Monitor:
    def __init__(self, mem=2048):
        cmd = ["qemu-system-i386", "-display", "none", "-no-reboot", "-accel", "tcg",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", str(mem),
               "-cpu", "max", "-serial", "stdio", "-kernel", KERNEL]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.buf = b""
        self.boot = self.until(PROMPT, 60)

    def until(self, marker, timeout=30):
        end = time.time() + timeout
        while marker not in self.buf:
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise TimeoutError(f"no {marker!r} after {timeout}s; got {self.buf[-300:]!r}")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    continue
                self.buf += chunk
        out, self.buf = self.buf.split(marker, 1)
        return out.decode("ascii", "replace").replace("\r", "")

    def send(self, keys, timeout=30):
        """Type keys (bytes, ending in CR) and return the output up to the next prompt."""
        for b in keys:  # one byte at a time: the UART's FIFO is small
            self.p.stdin.write(bytes([b]))
            self.p.stdin.flush()
            time.sleep(0.002)
        return self.until(PROMPT, timeout)

    def close(self):
        try:
            self.p.kill()
        except OSError:
            pass
        self.p.wait()


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
             "dmesg", "page", "pagewalk", "alloc", "free", "kmap", "kunmap", "pkmap", "cpus", "threads", "tlb", "fault", "test", "bench",
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
    check("kmap of a highmem page gives a pkmap slot", "a pkmap slot" in out, out)
    out = m.send(b"pkmap\r")
    check("pkmap shows the slot in use", "count 2 (in use)" in out and "1 in use" in out, out)
    out = m.send(f"free {pfn} 2\r".encode())
    check("free of a kmapped block is refused and the block kept",
          "refused" in out and "stays allocated" in out, out)
    out = m.send(f"kunmap {pfn}\r".encode())
    check("kunmap", "done" in out, out)
    out = m.send(f"kunmap {pfn}\r".encode())
    check("an unbalanced kunmap is reported, not claimed done",
          "unbalanced" in out and "done" not in out, out)
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
          "is not a number" in out and "pfn:" not in out, out)
    out = m.send(b"test ,\r", timeout=60)
    check("test with no suite is not 'all tests passed'",
          "all tests passed" not in out and "ran no test" in out and "FAILED" in out, out)
    for run in (1, 2):  # fail_nth failures of run 1 must not count against run 2
        out = m.send(b"test fault_inject\r", timeout=120)
        check("test fault_inject, run %d: passes (boot-parameter counter reset)" % run,
              "ok 1 fault_inject" in out and "all tests passed" in out, out[-1500:])


if __name__ == "__main__":
    sys.exit(main())
