#!/usr/bin/env python3
"""mkcpio.py - the initramfs fixture of the fs_boot_initramfs ktest case.

A cpio "newc" archive built byte by byte (the layout GNU cpio -H newc
writes: 110-byte ASCII header, name, pad to 4, data, pad to 4, TRAILER!!!),
so the test does not depend on the host's cpio. The kernel test checks
exactly these entries (tests/kernel/fs_test.c: fs_boot_initramfs).

    mkcpio.py OUT.cpio [--ballast MB]

--ballast adds t_boot/ballast, MB megabytes in which byte j of page k is
(k + j) & 0xff: an archive too big to leave room below 24 MB when QEMU loads
it right after the kernel (job initramfs-big-mem512: paging_init must put its
page tables above it).
"""
import sys

# 3 pages and a bit: byte i of /t_boot/pages is (i * 7 + 3) & 0xff
PAGES = bytes((i * 7 + 3) & 0xff for i in range(3 * 4096 + 100))
ENTRIES = [
    ("t_boot", 0o040755, b""),
    ("t_boot/hello", 0o100644, b"hello from the initramfs\n"),
    ("t_boot/pages", 0o100600, PAGES),
    ("t_boot/link", 0o120777, b"hello"),
    ("t_boot/sub", 0o040700, b""),
]


def entry(ino, name, mode, data):
    nb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0]
    out = b"070701" + b"".join(b"%08X" % f for f in fields) + nb
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def archive():
    out = b"".join(entry(i + 1, n, m, d) for i, (n, m, d) in enumerate(ENTRIES))
    return out + entry(0, "TRAILER!!!", 0, b"")


def ballast(mb):
    """mb megabytes: byte j of page k is (k + j) & 0xff."""
    return b"".join(bytes((k + j) & 0xff for j in range(256)) * 16 for k in range(mb * 256))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--ballast":
        ENTRIES.append(("t_boot/ballast", 0o100644, ballast(int(sys.argv[3]))))
    elif len(sys.argv) != 2:
        sys.exit("usage: mkcpio.py OUT.cpio [--ballast MB]")
    with open(sys.argv[1], "wb") as f:
        f.write(archive())
