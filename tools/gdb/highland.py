"""Highland's gdb helpers, in the style of Linux's scripts/gdb (lx-*).

Loaded by `make gdb` (tools/gdb/run-gdb.sh) or by hand:
    (gdb) source tools/gdb/highland.py
The commands live in the package tools/gdb/highland/; sourcing this file
again reloads them (after editing). `hl-help` lists them all.
"""
import os
import sys

import gdb

_dir = os.path.dirname(os.path.abspath(__file__))
if _dir not in sys.path:
    sys.path.insert(0, _dir)
for _name in [m for m in sys.modules if m == "highland" or m.startswith("highland.")]:
    del sys.modules[_name]  # re-sourcing picks up edited modules

import highland  # noqa: E402  (the package next to this file)

highland.register()
gdb.write("Highland gdb helpers loaded: hl-help lists them.\n")
