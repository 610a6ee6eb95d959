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
import select
import subprocess
import time

PROMPT = b"highland> "
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BootError(Exception):
    pass


class Serial:
    def __init__(self, mem, smp, kernel, initrd):
        for f in (kernel, initrd):
            if not os.path.exists(f):
                raise BootError("%s not found (make all builds it)" % f)
        cmd = ["qemu-system-i386", "-display", "none", "-no-reboot", "-accel", "tcg",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", str(mem),
               "-smp", str(smp), "-cpu", "max", "-serial", "stdio", "-kernel", kernel,
               "-initrd", initrd, "-append", "monitor"]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.buf = b""

    def until(self, marker, timeout):
        end = time.time() + timeout
        while marker not in self.buf:
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise BootError("no %r after %ds; the last output: %r" % (marker, timeout, self.buf[-400:]))
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                self.buf += os.read(self.p.stdout.fileno(), 1 << 16)
        out, self.buf = self.buf.split(marker, 1)
        return out.decode("ascii", "replace").replace("\r", "")

    def cmd(self, line, timeout=60):
        for b in line.encode() + b"\r":  # one byte at a time: the UART's FIFO is small
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
            r, _, _ = select.select([s.p.stdout], [], [], 1)
            if r:
                s.buf += os.read(s.p.stdout.fileno(), 1 << 16)
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
