#!/usr/bin/env python3
"""test_memview.py - the memview pages, rendered in a real browser.

For -m 512 and -m 8192: boot Highland with the memview workload
(tools/memview_boot.py), take the snapshot, draw it (tools/memview), load
the page in headless Chromium (Debian's package, installed by
tools/install-deps.sh) and read back what the page's own script counted
from the drawn elements (<pre id=drawn>, via --dump-dom). Checked:
  - the page ran without script errors (window.onerror is captured into the
    DOM; a page with a deliberate error proves the capture works);
  - frames drawn = max_pfn, per owner kind = the snapshot's runs, and the
    HighMem frames drawn as free (buddy + per-CPU lists) = HighFree of the
    same snapshot's meminfo (likewise all free frames = MemFree);
  - every rectangle of a kind is painted in its legend's colour, and the
    legend's counts are the drawn counts;
  - the vmalloc areas and pkmap slots in use drawn = those in the snapshot,
    and the process pages drawn = the pages of the snapshot's regions;
  - hovering (a synthetic mousemove) a slab frame names its pfn, physical
    address, owner and zone, a vmalloc area its caller, a process page its frame;
  - a screenshot is written (build/memview-MEM.png, a PNG of the page).
Also the monitor's memsnap and spawn refuse bad arguments, saying why.
Without Chromium every page case fails with the reason: nothing is skipped.
Prints TAP.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import memview_boot  # noqa: E402
import memview_draw  # noqa: E402
from hl_common import load_tool  # noqa: E402

memview = load_tool("memview")
results = []


def ok(cond, name, why=""):
    results.append((bool(cond), name, why))
    return cond


def chromium():
    for c in ("chromium", "chromium-browser"):
        if shutil.which(c):
            return shutil.which(c)
    return None


def browse(exe, path, *extra):
    """Chromium's output for file path (--dump-dom or --screenshot)."""
    profile = tempfile.mkdtemp(prefix="memview-chromium-")
    try:
        p = subprocess.run([exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--user-data-dir=" + profile, "--virtual-time-budget=5000", *extra,
                            "file://" + os.path.abspath(path)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=90,
                           cwd=profile)
        return p.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def drawn_of(dom):
    m = re.search(r'<pre id="drawn"[^>]*>(.*?)</pre>', dom, re.S)
    return json.loads(html.unescape(m.group(1))) if m and m.group(1).strip() else None


# Appended to a copy of the page: hover (a synthetic mousemove at the centre)
# a slab frame, a vmalloc area and a process page, and put the tooltips in the DOM.
HOVER = """<script>
document.addEventListener('DOMContentLoaded', function () { setTimeout(function () {
  function hover(el) {
    var r = el.getBoundingClientRect();
    el.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + r.width / 2,
                                                  clientY: r.top + r.height / 2, bubbles: true}));
    return document.getElementById('tip').textContent;
  }
  var res = {}, fr = document.querySelector('svg.phys rect[data-kind="slab"]');
  if (fr) res.frame = {tip: hover(fr), first: +fr.dataset.first, n: +fr.dataset.n};
  var va = document.querySelector('svg.virt rect.vmap');
  if (va) res.vmap = hover(va);
  var pg = document.querySelector('svg.proc rect[data-pfn]');
  if (pg) res.page = {tip: hover(pg), pfn: +pg.dataset.pfn, n: +pg.dataset.n, step: +pg.dataset.step};
  var pre = document.createElement('pre');
  pre.id = 'hovertest'; pre.textContent = JSON.stringify(res); document.body.appendChild(pre);
}, 0); });
</script>"""


def check_hover(exe, page, tag):
    """The tooltips name the frame (pfn, physical address, owner), the area's caller, a page's frame."""
    hpage = page.replace(".html", "-hover.html")
    with open(page) as f, open(hpage, "w") as g:
        g.write(f.read().replace("</body>", HOVER + "</body>"))
    m = re.search(r'<pre id="hovertest">(.*?)</pre>', browse(exe, hpage, "--dump-dom"), re.S)
    res = json.loads(html.unescape(m.group(1))) if m else {}
    fr = res.get("frame", {})
    pm = re.search(r"pfn 0x([0-9a-f]+)  physical 0x([0-9a-f]+)\nowner slab  zone Normal", fr.get("tip", ""))
    ok(pm and fr["first"] <= int(pm.group(1), 16) < fr["first"] + fr["n"]
       and int(pm.group(2), 16) == int(pm.group(1), 16) * 4096,
       tag + " hover on a slab frame names its pfn, physical address, owner and zone", str(fr))
    ok("caller cmd_vmalloc" in res.get("vmap", ""), tag + " hover on a vmalloc area names its caller",
       str(res.get("vmap")))
    pg = res.get("page", {})
    pm = re.search(r"pfn 0x([0-9a-f]+)  physical", pg.get("tip", ""))
    ok(pm and any(int(pm.group(1), 16) == pg["pfn"] + k * pg["step"] for k in range(pg["n"])),
       tag + " hover on a process page names its frame", str(pg))


def rgb(hexcolour):
    h = hexcolour.lstrip("#")
    return "rgb(%d, %d, %d)" % (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def check_page(exe, mem, out_dir):
    tag = "mem%d" % mem
    try:
        text = memview_boot.take_snapshot(mem)
    except memview_boot.BootError as e:
        ok(False, tag + " snapshot", str(e))
        return
    s = memview.parse(text)
    summ = memview.summary(s)
    page = os.path.join(out_dir, "memview-%d.html" % mem)
    with open(page, "w") as f:
        f.write(memview.render(s, "memview test, -m %d" % mem))
    with open(os.path.join(out_dir, "memsnap-%d.txt" % mem), "w") as f:
        f.write(text)
    d = drawn_of(browse(exe, page, "--dump-dom"))
    if not ok(d is not None, tag + " page loaded and its script reported what it drew",
              "no <pre id=drawn> content in the DOM"):
        return
    ok(d["errors"] == [], tag + " no script errors", "errors: %s" % d["errors"])
    total = sum(d["frames"].values())
    ok(total == s["machine"]["max_pfn"], tag + " frames drawn = max_pfn", "%d != %d" % (total, s["machine"]["max_pfn"]))
    ok(d["frames"] == summ["per_kind"], tag + " frames per owner = the snapshot's runs",
       "%s != %s" % (d["frames"], summ["per_kind"]))
    hz = d["zones"].get("HighMem", {})
    high_free = hz.get("free", 0) + hz.get("pcp", 0)
    ok(high_free == s["meminfo"]["HighFree"], tag + " HighMem frames drawn free = HighFree (%d)" % high_free,
       "drawn %d, meminfo HighFree %d" % (high_free, s["meminfo"]["HighFree"]))
    all_free = sum(z.get("free", 0) + z.get("pcp", 0) for z in d["zones"].values())
    ok(all_free == s["meminfo"]["MemFree"], tag + " frames drawn free = MemFree (%d)" % all_free,
       "drawn %d, meminfo MemFree %d" % (all_free, s["meminfo"]["MemFree"]))
    ok(d["strips"] == summ["per_zone"], tag + " zone strips: frames per zone and owner = the snapshot's runs",
       "%s != %s" % (d["strips"], summ["per_zone"]))
    bad = [(k, c) for k, c in d["colours"].items()
           if list(c) != [rgb(memview_draw.KIND_COLOURS[k])] or d["legend"][k]["colour"] != rgb(memview_draw.KIND_COLOURS[k])]
    ok(not bad, tag + " each owner painted in its legend colour", "mismatches: %s" % bad)
    legend_n = {k: v["n"] for k, v in d["legend"].items() if v["n"]}
    ok(legend_n == d["frames"], tag + " legend counts = frames drawn", "%s != %s" % (legend_n, d["frames"]))
    ok(d["vmaps"] == len(s["vmaps"]) and len(s["vmaps"]) >= 2, tag + " vmalloc areas drawn = snapshot (%d)" % d["vmaps"],
       "drawn %d, snapshot %d (the workload makes 2)" % (d["vmaps"], len(s["vmaps"])))
    used = sum(1 for p in s["pkmap"] if p["count"] > 1)
    ok(d["pkmap_used"] == used and (mem <= 1024 or used == 4), tag + " pkmap slots in use drawn = snapshot (%d)" % used,
       "drawn %d, snapshot %d" % (d["pkmap_used"], used))
    pages = {}
    for t in s["tasks"]:
        for v in t["vmas"]:
            for r in v["pages"]:
                pages[r["state"]] = pages.get(r["state"], 0) + r["count"]
    ok(pages and d["pages"] == pages, tag + " process pages drawn = snapshot", "%s != %s" % (d["pages"], pages))
    if mem > 4096:
        ok(pages.get("high4g", 0) > 0, tag + " some user pages above 4 GiB", str(pages))
    check_hover(exe, page, tag)
    check_marks(d, s, tag)
    check_pngs(s, mem, out_dir, tag)
    png = os.path.join(out_dir, "memview-%d.png" % mem)
    if os.path.exists(png):
        os.unlink(png)
    browse(exe, page, "--window-size=1300,1000", "--screenshot=" + png)
    with open(png, "rb") if os.path.exists(png) else open(os.devnull, "rb") as f:
        head = f.read(8)
    ok(head == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 10000, tag + " screenshot written (%s)" % os.path.relpath(png, ROOT),
       "no PNG at %s" % png)


def check_marks(d, s, tag):
    """The small owners are findable: each run other than free and hole lies in
    a marker of its kind at least MARK_PX on the page, and a label names the kind."""
    low = s["machine"]["max_low_pfn"]
    for grid, frames in (("phys", s["machine"]["max_pfn"]), ("physlow", low)):
        if grid == "physlow" and low >= s["machine"]["max_pfn"]:
            continue  # no HighMem: no close-up
        marks = d["marks"].get(grid, [])
        small = [r for r in s["runs"] if r["kind"] not in ("free", "hole") and r["start"] < frames]
        lost = [(r["kind"], hex(r["start"])) for r in small
                if not any(m["kind"] == r["kind"] and m["first"] <= r["start"]
                           and min(r["start"] + r["count"], frames) <= m["end"] for m in marks)]
        ok(small and not lost, tag + " %s: every run of a small owner is marked (%d markers)" % (grid, len(marks)),
           "unmarked: %s" % lost)
        tiny = [m for m in marks if m["w"] < memview_draw.MARK_PX - 0.5 or m["h"] < memview_draw.MARK_PX - 0.5]
        ok(marks and not tiny, tag + " %s: markers at least %d px on the page" % (grid, memview_draw.MARK_PX), str(tiny))
    named = {k for k in memview_draw.KIND_WORDS if any(c.startswith(memview_draw.KIND_WORDS[k] + ":") for c in d["callouts"])}
    want = {r["kind"] for r in s["runs"] if r["kind"] not in ("free", "hole")}
    ok(want and want <= named, tag + " a label names each owner other than free and hole", "%s not in %s" % (want - named, d["callouts"]))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_pngs(s, mem, out_dir, tag):
    """tools/memview --png: each picture laid out at its PNG's width with no text
    cut off or overlapping (else write_pngs refuses), and the PNG as tall as the page."""
    d = os.path.join(out_dir, "memview-png-%d" % mem)
    try:
        written = memview.write_pngs(s, "memview test, -m %d" % mem, d)
    except memview.SnapshotError as e:
        ok(False, tag + " the three pictures fit their PNGs", str(e))
        return
    sizes = [(os.path.basename(p), png_size(p), (w, h)) for p, w, h in written]
    ok(len(written) == 3 and all(got == want for _, got, want in sizes),
       tag + " the three pictures fit their PNGs, each PNG the whole page", str(sizes))


def check_layout_capture(exe, out_dir):
    """The layout check can fail: text past its picture's edge, text on text and a
    page wider than the window are reported (the fixmap title was cut off so)."""
    page = os.path.join(out_dir, "memview-overflow.html")
    with open(page, "w") as f:
        f.write(memview_draw.page("overflow", '<svg viewBox="0 0 100 50" style="width:200px">'
                                  '<text x="60" y="20">runs past the right edge</text>'
                                  '<text x="5" y="40">one</text><text x="8" y="40">two</text></svg>'
                                  '<div style="width:3000px">wide</div>'))
    lay = (drawn_of(browse(exe, page, "--dump-dom", "--window-size=1000,600")) or {}).get("layout", {})
    bad = memview.layout_problems(lay) if lay else []
    ok(any("runs past the right edge" in b for b in bad) and any("two" in b and "one" in b for b in bad)
       and any("px wide, the window 1000" in b for b in bad),
       "text cut off, text on text and a too wide page are reported", str(bad or lay))


def check_monitor_refusals():
    """memsnap and spawn refuse bad arguments with a message, and do nothing."""
    try:
        m = memview_boot.Serial(512, 1, os.path.join(ROOT, "build/kernel.elf"),
                                os.path.join(ROOT, "build/initramfs.cpio"))
    except memview_boot.BootError as e:
        ok(False, "monitor boots for the refusals", str(e))
        return
    try:
        m.until(memview_boot.PROMPT, 60)
        for line, want in (("memsnap abc", "not a number"), ("memsnap 4242", "no process 4242"),
                           ("memsnap 1 2", "too many arguments"), ("spawn", "give the absolute path"),
                           ("spawn bin/memdemo", "give the absolute path"),
                           ("spawn /no/such/program", "did not start")):
            out = m.cmd(line)
            if want == "did not start":  # the thread says it after the prompt came back
                out += m.cmd("")
            ok(want in out and "memsnap-begin" not in out, "monitor: `%s` refused (%s)" % (line, want), out[-300:])
        out = m.cmd("memsnap")
        ok("memsnap-begin v1" in out and "memsnap-end" in out, "monitor: memsnap prints a whole snapshot")
    except memview_boot.BootError as e:
        ok(False, "monitor answered", str(e))
    finally:
        m.close()


def check_error_capture(exe, out_dir):
    """A page whose script fails must report it: the error check can fail."""
    page = os.path.join(out_dir, "memview-broken.html")
    with open(page, "w") as f:
        f.write(memview_draw.page("broken", "<script>document.addEventListener('DOMContentLoaded',"
                                  "function(){ undefined_function_on_purpose(); });</script>"))
    d = drawn_of(browse(exe, page, "--dump-dom"))
    ok(d is not None and any("undefined_function_on_purpose" in e for e in d["errors"]),
       "a script error on the page is caught and reported", "drawn: %s" % d)


def main():
    out_dir = os.path.join(ROOT, "build")
    os.makedirs(out_dir, exist_ok=True)
    check_monitor_refusals()
    exe = chromium()
    if not exe:
        why = ("chromium is not installed: tools/install-deps.sh installs Debian's chromium "
               "package (apt-get install chromium)")
        for name in ("chromium present", "mem512 page", "mem8192 page"):
            ok(False, name, why)
    else:
        check_error_capture(exe, out_dir)
        check_layout_capture(exe, out_dir)
        for mem in (512, 8192):
            check_page(exe, mem, out_dir)
    print("TAP version 13\n1..%d" % len(results))
    for i, (good, name, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if good else "not ok", i, name))
        if not good:
            print("  # " + why)
    return 0 if all(g for g, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
