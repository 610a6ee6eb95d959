"""memview_boot - boot Highland at the monitor, leave memory in a state
worth drawing, and take the memview snapshot over the serial port.

The workload (what `make memview` shows): a user program of the initramfs
started beside the monitor (`spawn /bin/memdemo hold`: anonymous memory,
fork, a mapped file), then kernel activity from monitor commands: a kmalloc,
two vmalloc areas, a HighMem block kmap()ed into the pkmap window and one
page held with kmap_local (a fixmap slot). Then `memsnap`.
"""
import os
import re
import sys
import time

PROMPT = b"highland> "
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hl_common as hc  # noqa: E402


class BootError(Exception):
    pass


class Serial(hc.SerialSession):
    def __init__(self, mem, smp, kernel, initrd):
        for f in (kernel, initrd):
            if not os.path.exists(f):
                raise BootError("%s not found (make all builds it)" % f)
        super().__init__(["-m", str(mem), "-smp", str(smp), "-cpu", "max", "-kernel", kernel,
                          "-initrd", initrd, "-append", "monitor"], PROMPT, BootError)

    def cmd(self, line, timeout=60):
        return self.send(line.encode() + b"\r", timeout)


def take_snapshot(mem, smp=1, kernel="build/kernel.elf", initrd="build/initramfs.cpio", timeout=180):
    """The snapshot text (memsnap-begin .. memsnap-end) of a fresh boot after the workload."""
    s = Serial(mem, smp, os.path.join(ROOT, kernel), os.path.join(ROOT, initrd))
    try:
        s.until(PROMPT, timeout)
        out = s.cmd("spawn /bin/memdemo hold")
        if "started" not in out:
            raise BootError("spawn refused: %s" % out.strip())
        held = s.buf.decode("ascii", "replace")
        end = time.time() + timeout
        while "memdemo: holding" not in held and time.time() < end:
            s.read_some(1)
            held = s.buf.decode("ascii", "replace")
        if "memdemo: holding" not in held:
            raise BootError("memdemo did not get ready: %r" % held[-400:])
        s.buf = b""
        s.cmd("")
        s.cmd("kmalloc 3000")
        s.cmd("vmalloc 1048576")
        s.cmd("vmalloc 65536")
        out = s.cmd("alloc 3 high" if mem > 1024 else "alloc 3")
        m = re.search(r"allocated pfn (0x[0-9a-f]+)", out)
        if not m:
            raise BootError("alloc refused: %s" % out.strip())
        if mem > 1024:  # kmap and kmap_local need HighMem pages
            s.cmd("kmap %s 4" % m.group(1))
            s.cmd("kmap_local %#x" % (int(m.group(1), 16) + 4))
        text = s.cmd("memsnap", timeout)
        if "memsnap-end" not in text:
            raise BootError("memsnap printed no complete snapshot: %r" % text[-400:])
        return text[text.index("memsnap-begin"):]
    finally:
        s.close()
