"""Highland's gdb helpers, in the style of Linux's scripts/gdb (lx-*).

Loaded by tools/gdb/highland.py (which `make gdb` sources). Every command
reads kernel memory through gdb only; the kernel does not help, so they work
on a kernel that is stopped, hung or has panicked. List walkers check every
link and say where a list is broken instead of looping.

Modules: core (memory, types, the checked list walker), log (hl-dmesg,
hl-e820, hl-cmdline), mm (hl-meminfo, hl-buddyinfo, hl-zoneinfo,
hl-freelist, hl-page), paging (hl-pagewalk, hl-boottables, hl-kmap-atomic,
hl-pkmap),
tasks (hl-threads), slab and vmalloc (when the kernel has them).
"""
import importlib

import gdb

from . import core
from .core import COMMANDS, HlCommand, command, out

for _m in ("log", "mm", "paging", "tasks", "slab", "vmalloc", "memsnap"):
    try:
        importlib.import_module("." + _m, __name__)
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{_m}":
            raise


@command
class HlHelp(HlCommand):
    """this list."""
    NAME = "hl-help"
    NEEDS_TARGET = False

    def run(self, arg):
        out("Highland gdb helpers (tools/gdb/highland/); `help hl-NAME` for details:")
        for name, cls in COMMANDS:
            doc = (cls.__doc__ or "").strip().split("\n\n")[0]
            doc = " ".join(doc.split())
            usage = f"{name} {cls.USAGE}".strip()
            out(f"  {usage:<30} {doc}")


def register():
    core.clear_caches()
    for _, cls in COMMANDS:
        cls()
