#!/usr/bin/env python3
"""test_memview.py - tools/memview on small synthetic snapshots (no QEMU):
the parser (and its refusals, each naming the problem), runs of frames cut
into grid rectangles that cover every frame exactly once, the drawn
elements' counts, and the command line's exit status. Prints TAP."""
import io
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import memview_draw as draw  # noqa: E402
from hl_common import load_tool  # noqa: E402

mv = load_tool("memview")
results = []

KINDS = ("hole reserved kernel mem_map free pcp slab kmalloc_large pagetable vmalloc anon pagecache "
         "swapcache pkmap kernel_other")
# 8 MB: DMA to 4 MB, Normal to 6 MB, HighMem to 8 MB (a small max_low_pfn, as highmem= gives)
SNAP = """memsnap-begin v1
machine max_pfn=0x800 max_low_pfn=0x600 page_offset=0xc0000000 high_memory=0xc0600000 cpus=2 nr_cpus=8 page_size=4096
meminfo MemTotal=1800 MemFree=1300 HighTotal=512 HighFree=500
zone DMA start=0x0 end=0x400 present=1000 managed=900 free=700
zone Normal start=0x400 end=0x600 present=512 managed=400 free=100
zone HighMem start=0x600 end=0x800 present=512 managed=512 free=500
kinds %s
ram 0x1 0x9f
ram 0x100 0x800
image 0x100 0x140
mem_map 0x5f0 0x600
run 0x0 1 hole 0 DMA
run 0x1 158 reserved 0 DMA
run 0x9f 97 hole 0 DMA
run 0x100 64 kernel 0 DMA
run 0x140 704 free 6 DMA
run 0x400 100 free 2 Normal
run 0x464 380 slab 0 Normal
run 0x5e0 16 pagecache 0 Normal
run 0x5f0 16 mem_map 0 Normal
run 0x600 490 free 3 HighMem
run 0x7ea 10 pcp 0 HighMem
run 0x7f4 6 anon 0 HighMem
run 0x7fa 6 vmalloc 0 HighMem
virt lowmem 0xc0000000 0xc0600000
virt gap 0xc0600000 0xc0e00000
virt vmalloc 0xc0e00000 0xffbfe000
virt guard 0xffbfe000 0xffc00000
virt pkmap 0xffc00000 0xffe00000
virt unused 0xffe00000 0xfff75000
virt fixmap 0xfff75000 0xfffff000
virt top 0xfffff000 0x0
vmap 0xc0e00000 0xc0e07000 6 vmalloc test_caller+0x10/0x40
pkmap 1 2 0x7f4
pkmap 2 1 0x7f5
fixmap 0 0xffffe000 apic -1 -1 0xfee00
fixmap 10 0xffff4000 kmap 0 0 0x7f6
fixmap 11 0xffff3000 kmap 0 1 0xffffffffffffffff
task 1 demo
vma 08048000-0804b000 r-xp 00000000 00:00 0 /bin/demo
pages 0x8048000 2 high 0x7f4 1
pages 0x804a000 1 none
memsnap-end
""" % KINDS


def ok(cond, name, why=""):
    results.append((bool(cond), name, why))


def refused(text, words, name):
    try:
        mv.parse(text)
        ok(False, name, "accepted")
    except mv.SnapshotError as e:
        ok(words in str(e), name, "message: %s" % e)


def main():
    s = mv.parse(SNAP)
    summ = mv.summary(s)
    ok(summ["frames"] == 0x800 and sum(summ["per_kind"].values()) == 0x800, "runs cover max_pfn")
    ok(summ["drawn_free_highmem"] == 500 == s["meminfo"]["HighFree"], "HighMem free counted from runs")
    ok(s["vmaps"][0]["caller"] == "test_caller+0x10/0x40" and s["pkmap"][1]["count"] == 1, "vmap and pkmap lines")
    ok(s["fixmap"][2]["pfn"] is None and s["fixmap"][1]["pfn"] == 0x7f6, "fixmap: empty slot has no pfn")
    ok(s["tasks"][0]["vmas"][0]["pages"][0]["step"] == 1, "process page runs")
    # in a serial log: timestamps and other lines around it
    log = "[    0.1] boot\n" + "".join("[    1.%d] %s\n" % (i, l) for i, l in enumerate(SNAP.splitlines())) + "highland> "
    ok(mv.parse(log)["machine"] == s["machine"], "a snapshot inside a serial log with timestamps")
    # refusals
    refused(SNAP.replace("memsnap-end\n", ""), "cut off", "refused: no memsnap-end")
    refused("hello\n", "no complete snapshot", "refused: no snapshot at all")
    refused(SNAP.replace("begin v1", "begin v9"), "version", "refused: unknown version")
    refused(SNAP.replace("run 0x7fa 6 vmalloc", "run 0x7fa 5 vmalloc"), "cover 2047 frames", "refused: runs not covering max_pfn")
    refused(SNAP.replace("6 vmalloc 0 HighMem", "6 martian 0 HighMem"), "line 23", "refused: unknown kind, with its line")
    refused(SNAP.replace("run 0x5f0 16", "run 0x5f0 zz"), "cannot read", "refused: a bad number")
    # rectangles: each frame exactly once, at most 3 per run
    rnd, good = random.Random(19), True
    for _ in range(2000):
        w = 1 << rnd.randint(2, 8)
        start, count = rnd.randint(0, 5000), rnd.randint(1, 3000)
        seen = set()
        rects = draw.run_rects(start, count, w)
        for (x, y, ww, h, n) in rects:
            cells = {(y + j) * w + x + i for j in range(h) for i in range(ww)}
            good &= n == len(cells) and not (cells & seen) and x + ww <= w
            seen |= cells
        good &= seen == set(range(start, start + count)) and len(rects) <= 3
    ok(good, "run_rects: every frame covered once, at most 3 rectangles a run")
    ok(draw.grid_width(0x1ffe0) == 512 and draw.grid_width(0x240000) == 2048 and draw.grid_width(0x440000) == 2048,
       "grid widths for 512 MB, 8 GB, 16 GB")
    # the page: drawn rectangles carry exactly the frames
    page = mv.render(s, "t")
    whole = re.search(r'<svg class="zoom phys".*?</svg>', page, re.S).group(0)
    low = re.search(r'<svg class="zoom physlow".*?</svg>', page, re.S).group(0)
    ns = [int(n) for n in re.findall(r'<rect [^>]*class="k-[a-z_]+"[^>]*data-n="(\d+)"', whole)]
    ok(sum(int(n) for n in re.findall(r'data-n="(\d+)"', low)) == 0x600, "the lowmem close-up: max_low_pfn frames")
    ok(sum(ns) == 0x800, "rectangles' data-n add up to max_pfn", str(sum(ns)))
    high_free = sum(int(n) for k, z, n in re.findall(r'data-kind="(free|pcp)" data-zone="(\w+)"[^>]*data-n="(\d+)"', whole)
                    if z == "HighMem")
    ok(high_free == 500, "HighMem free rectangles = HighFree", str(high_free))
    ok(page.count('class="vmap"') == 1 and page.count("pk-used") >= 1 and page.count("pk-cached") >= 1,
       "vmalloc area and pkmap slots drawn")
    ok('class="line g4"' not in page and "HighMem from 6 MB" in page, "zone line labels (no 4 GiB line below 4 GiB)")
    big = SNAP.replace("max_pfn=0x800", "max_pfn=0x100800").replace(
        "run 0x7fa 6 vmalloc 0 HighMem", "run 0x7fa 6 vmalloc 0 HighMem\nrun 0x800 1048576 free 10 HighMem")
    ok('class="line g4"' in mv.render(mv.parse(big), "t"), "the 4 GiB line when memory reaches above")
    # the small owners: every run other than free and hole inside a marker of
    # its kind at least MARK_PX on the page, one label per cluster; markers
    # carry no data-kind, so the counts above stay exact
    for name, frames in (("phys", 0x800), ("physlow", 0x600)):
        svg = re.search(r'<svg class="zoom %s".*?</svg>' % name, page, re.S).group(0)
        vb = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
        unit = vb[2] / draw.PHYS_PX
        marks = [(k, int(a), int(b), float(w), float(h)) for w, h, k, a, b in re.findall(
            r'<rect class="mark" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)" style="[^"]*" '
            r'data-mark="(\w+)" data-first="(\d+)" data-end="(\d+)"/>', svg)]
        small = [r for r in s["runs"] if r["kind"] not in ("free", "hole") and r["start"] < frames]
        lost = [r for r in small if not any(k == r["kind"] and a <= r["start"] and min(r["start"] + r["count"], frames) <= b
                                            for k, a, b, _, _ in marks)]
        ok(marks and not lost, name + ": every small owner's run is inside a marker of its kind", "unmarked: %s" % lost)
        ok(all(w >= draw.MARK_PX * unit - 0.1 and h >= draw.MARK_PX * unit - 0.1 for _, _, _, w, h in marks),
           name + ": markers at least %d px" % draw.MARK_PX, str(marks))
        labels = re.findall(r'<text class="callout"[^>]*>([^<]*)</text>', svg)
        kinds = {r["kind"] for r in small}
        ok(all(any(t.startswith(draw.KIND_WORDS[k] + ":") for t in labels) for k in kinds)
           and len(labels) == len(draw.clusters(s["runs"], draw.grid_width(frames),
                                               -(-frames // draw.grid_width(frames)), frames)),
           name + ": a label per cluster, naming each small owner", str(labels))
        ys = [float(y) for y in re.findall(r'<text class="(?:callout|linelabel)" x="[\d.]+" y="([\d.]+)"', svg)]
        font = float(re.search(r'font-size:([\d.]+)px', svg).group(1))
        ok(all(b - a >= font * 1.2 for a, b in zip(sorted(ys), sorted(ys)[1:])) and max(ys) < vb[1] + vb[3],
           name + ": labels a line apart, inside the picture", str(ys))
    ok(page.count('<rect class="mark"') >= 2 and not re.search(r'<rect class="(mark|markhalo|csw)[^>]*data-kind', page),
       "markers and label swatches carry no data-kind (the frame counts see only frames)")
    # the zone strips: each zone's frames by owner exactly, every owner at least MIN_SEG wide
    segs = re.findall(r'<rect class="seg k-\w+" x="([\d.]+)" y="\d+" width="([\d.]+)" height="18" '
                      r'data-seg="(\w+)" data-zone="(\w+)" data-n="(\d+)"', page)
    per = {}
    for _, w, k, z, n in segs:
        per.setdefault(z, {})[k] = per.get(z, {}).get(k, 0) + int(n)
    ok(per == summ["per_zone"], "zone strips: frames per zone and owner = the runs", "%s != %s" % (per, summ["per_zone"]))
    ok(all(float(w) >= draw.MIN_SEG - 0.01 for _, w, _, _, _ in segs)
       and all(abs(sum(float(w) for _, w, _, zz, _ in segs if zz == z) - draw.STRIP_PX) < 0.1 for z in per),
       "zone strips: each owner at least MIN_SEG px, a strip STRIP_PX wide")
    rnd, good = random.Random(5), True
    for _ in range(300):
        counts = [("k%d" % i, rnd.choice((0, 1, 3, 50, 100000))) for i in range(rnd.randint(1, 12))]
        counts.append(("big", 10 ** 6))
        ws = draw.strip_widths(counts, sum(n for _, n in counts))
        good &= abs(sum(ws) - draw.STRIP_PX) < 1e-6 and all((w >= draw.MIN_SEG) == (n > 0) for w, (_, n) in zip(ws, counts))
    ok(good, "strip_widths: add up to the strip, every owner with a frame at least MIN_SEG, none without")
    rnd, good = random.Random(7), True
    for _ in range(500):
        n, sp = rnd.randint(1, 30), rnd.choice((1.0, 2.5, 13.0))
        want = sorted(rnd.uniform(-20, 200) for _ in range(n))
        ys = draw._place_labels(want, 0, 180, sp)
        good &= len(ys) == n and all(b - a >= sp - 1e-6 for a, b in zip(ys, ys[1:]))
        if n * sp <= 180:
            good &= ys[0] >= -1e-6 and ys[-1] <= 180 + 1e-6
    ok(good, "_place_labels: in order, a line apart, inside the range when they fit")
    ok(draw._place_labels([50.0, 50.0], 0, 100, 10) == [45.0, 55.0] and draw._place_labels([3.0], 0, 100, 10) == [3.0],
       "_place_labels: labels stay where wanted when free, a crowd centred on its mean")
    # the process legend says what a row is; the heading says the states in words
    ok("one cell per 4 KB page" in page and "1 in HighMem below 4 GiB" not in page
       and "2 in HighMem below 4 GiB, 1 not present" in page, "process legend and heading in words")
    # tools/svgchart.py: bench and boot-time tables as bar charts
    import xml.etree.ElementTree as ET
    import svgchart
    svg = svgchart.grouped_bars("t", ["512 MB", "8192 MB", "Linux 6.1"],
                                [("user_getpid", [100.0, None, 334.0]), ("user_fork_64m", [3.5e6, 3.6e6, 7.16e6])],
                                "instructions", {"user_getpid": (167.0, "target")})
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(ns + "rect") if r.get("class") == "bar"]
    widths = {(b.get("data-row"), b.get("data-series")): float(b.get("width")) for b in bars}
    ok(len(bars) == 6 and widths[("user_getpid", "8192 MB")] == 0, "svgchart: a bar per cell, none drawn for a missing figure")
    ok(abs(widths[("user_fork_64m", "512 MB")] / widths[("user_fork_64m", "Linux 6.1")] - 3.5 / 7.16) < 0.01,
       "svgchart: bars in a row proportional to their values")
    ok(len([l for l in root.iter(ns + "line") if l.get("class") == "marker"]) == 1
       and [r.get("fill") for r in bars if r.get("data-series") == "Linux 6.1"] == [svgchart.LINUX_COLOUR] * 2,
       "svgchart: the target marker, Linux's bars in grey")
    with tempfile.TemporaryDirectory() as d:
        res = {512: {"order0_pcp": ("120.5", "x"), "kmap_flushes_per_4096": ("8", "x")}}
        files = svgchart.write_bench(os.path.join(d, "b.svg"), [512], res, ["order0_pcp", "kmap_flushes_per_4096"],
                                     {"order0_pcp": 150}, {"kmap_flushes_per_4096"},
                                     {512: {"user_getpid": ("200", "x")}}, {"user_getpid": 334})
        ok(len(files) == 2 and all(ET.parse(f) for f in files) and "Linux 6.1" in open(files[1]).read()
           and "kmap_flushes" not in open(files[0]).read(), "svgchart: bench's two charts (counts left out)")
    # the command line
    with tempfile.TemporaryDirectory() as d:
        good_f, bad_f, out = os.path.join(d, "s.txt"), os.path.join(d, "bad.txt"), os.path.join(d, "o.html")
        open(good_f, "w").write(SNAP)
        open(bad_f, "w").write(SNAP[:200])
        tool = os.path.join(ROOT, "tools", "memview")
        p = subprocess.run([sys.executable, tool, good_f, "-o", out, "--summary", out + ".json"],
                           capture_output=True, text=True)
        ok(p.returncode == 0 and os.path.getsize(out) > 1000 and os.path.exists(out + ".json"), "memview writes the page", p.stderr)
        p = subprocess.run([sys.executable, tool, bad_f, "-o", out + "2"], capture_output=True, text=True)
        ok(p.returncode == 1 and "cut off" in p.stderr and not os.path.exists(out + "2"),
           "memview refuses a cut snapshot: exit 1, says why, writes nothing", p.stderr)
    print("TAP version 13\n1..%d" % len(results))
    for i, (g, name, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if g else "not ok", i, name))
        if not g:
            print("  # " + why)
    return 0 if all(g for g, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
