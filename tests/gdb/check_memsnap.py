#!/usr/bin/env python3
"""check_memsnap.py GDB_OUT SERIAL_LOG SNAPSHOT - TAP for tests/gdb/run-memsnap.sh."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from hl_common import load_tool  # noqa: E402

results = []


def ok(cond, name, why=""):
    results.append((bool(cond), name, why))


def main(gdb_out, serial, snap):
    text = open(gdb_out, errors="replace").read() if os.path.exists(gdb_out) else ""
    ok("written to build/test-logs/gdb-memsnap.txt" in text, "hl-memsnap wrote its file", text[-600:])
    refusal = text.split("@@@ refusal", 1)[-1].split("@@@ done", 1)[0]
    ok("give a FILE" in refusal, "hl-memsnap without FILE is refused with the usage", refusal)
    try:
        mv = load_tool("memview")
        s = mv.parse(open(snap).read())
    except Exception as e:  # noqa: BLE001 - any failure is the test's answer
        ok(False, "tools/memview reads the snapshot", str(e))
        s = None
    if s:
        ok(True, "tools/memview reads the snapshot (runs tile max_pfn)")
        summ = mv.summary(s)
        ok(summ["drawn_free"] == s["meminfo"]["MemFree"],
           "free frames found walking mem_map = the zones' free counters",
           "%d != %d" % (summ["drawn_free"], s["meminfo"]["MemFree"]))
        ok(summ["drawn_free_highmem"] == s["meminfo"]["HighFree"] > 0, "HighMem free frames = HighFree")
        log = open(serial, errors="replace").read()
        m = re.findall(r"MemFree:\s+(\d+) kB", log)
        ok(m and int(m[-1]) == s["meminfo"]["MemFree"] * 4, "MemFree = the kernel's own /proc/meminfo line",
           "serial %s kB, snapshot %d pages" % (m[-1] if m else None, s["meminfo"]["MemFree"]))
        per = summ["per_kind"]
        ok(per.get("kernel", 0) > 0 and per.get("mem_map", 0) > 0 and per.get("slab", 0) > 0,
           "kernel image, mem_map and slab frames found", str(per))
        html_page = mv.render(s, "gdb")
        ok("pk-" in html_page and 'class="zoom phys"' in html_page, "the snapshot draws")
    print("TAP version 13\n1..%d" % len(results))
    for i, (g, name, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if g else "not ok", i, name))
        if not g:
            for line in str(why).splitlines()[-8:]:
                print("  # " + line)
    return 0 if all(g for g, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
