#!/usr/bin/env python3
"""mkcpio.py - the initramfs fixture of the fs_boot_initramfs ktest case.

A cpio "newc" archive built byte by byte (the layout GNU cpio -H newc
writes: 110-byte ASCII header, name, pad to 4, data, pad to 4, TRAILER!!!),
so the test does not depend on the host's cpio. The kernel test checks
exactly these entries (tests/kernel/fs_test.c: fs_boot_initramfs).

    mkcpio.py OUT.cpio
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


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(archive())
