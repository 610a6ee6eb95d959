"""memview_draw - the SVG pictures of tools/memview (standard library only).

Every drawn element that stands for frames or pages carries data-*
attributes saying exactly which (data-kind, data-zone, data-n = how many
frames it covers), so the page's script can show them on hover and a test
in a real browser (tests/browser/) can count what was drawn and compare it
with the snapshot's own counters.
"""
import html
import math

# One colour per owner kind (docs/memview.md); free memory green, the
# kernel's own in blues and violets, user memory in oranges.
KIND_COLOURS = {
    "hole": "#e4e4e4", "reserved": "#7f7f7f", "kernel": "#1f3b99", "mem_map": "#6a3d9a",
    "free": "#a6dba0", "pcp": "#5aae61", "slab": "#1f78b4", "kmalloc_large": "#a6cee3",
    "pagetable": "#e31a1c", "vmalloc": "#cab2d6", "anon": "#ff7f00", "pagecache": "#fdbf6f",
    "swapcache": "#b15928", "pkmap": "#fb9a99", "kernel_other": "#4d4d4d",
}
KIND_WORDS = {
    "hole": "hole (not RAM)", "reserved": "reserved at boot", "kernel": "kernel image",
    "mem_map": "mem_map (struct pages)", "free": "free (buddy lists)", "pcp": "free (per-CPU lists)",
    "slab": "slab", "kmalloc_large": "large kmalloc", "pagetable": "user page tables",
    "vmalloc": "vmalloc", "anon": "anonymous (user)", "pagecache": "page cache",
    "swapcache": "swap cache", "pkmap": "kmap()ed (pkmap)", "kernel_other": "other kernel",
}
STATE_COLOURS = {"low": "#1f78b4", "high": "#ff7f00", "high4g": "#e31a1c", "swap": "#6a3d9a",
                 "none": "#eeeeee"}
STATE_WORDS = {"low": "present, lowmem frame", "high": "present, HighMem below 4 GiB",
               "high4g": "present, HighMem above 4 GiB", "swap": "swapped out",
               "none": "not present"}
STATE_SHORT = {"low": "in lowmem", "high": "in HighMem below 4 GiB", "high4g": "in HighMem above 4 GiB",
               "swap": "swapped out", "none": "not present"}
PFN_4G = 1 << 20
MB = 1 << 20


def esc(s):
    return html.escape(str(s), quote=True)


def grid_width(frames):
    """Frames per row: a power of two near the square root of twice the
    frames, so the grid is about twice as wide as it is tall (512 at 512 MB,
    1024 at 2 GB, 2048 at 8 and 16 GB)."""
    return 1 << max(6, int(math.log2(max(1, math.sqrt(frames * 2))) + 0.01))


def run_rects(start, count, width):
    """The rectangles (x, y, w, h, frames) covering frames [start, start+count)
    of a row-major grid: at most a partial first row, a block, a partial last."""
    out, end = [], start + count
    while start < end:
        row, col = divmod(start, width)
        if col or end - start < width:
            n = min(width - col, end - start)
            out.append((col, row, n, 1, n))
            start += n
        else:
            rows = (end - start) // width
            out.append((0, row, width, rows, rows * width))
            start += rows * width
    return out


def describe(s):
    m, mi = s["machine"], s["meminfo"]
    return ("max_pfn %#x (%d MB), lowmem to pfn %#x; MemTotal %d kB, MemFree %d kB, HighTotal %d kB, "
            "HighFree %d kB; %d CPU(s). Wheel: zoom, drag: pan, double-click: reset, hover: what it is."
            % (m["max_pfn"], (m["max_pfn"] << 12) >> 20, m["max_low_pfn"], mi.get("MemTotal", 0) * 4,
               mi.get("MemFree", 0) * 4, mi.get("HighTotal", 0) * 4, mi.get("HighFree", 0) * 4,
               m.get("cpus", 1)))


def _boundary(pfn, width, cls, label):
    """A staircase between frame pfn-1 and frame pfn, and its label (placed
    with the callouts by _labels: (wanted y, [(x, y) it points at], text, kind or None, tooltip))."""
    row, col = divmod(pfn, width)
    d = "M%d,%d L%d,%d L%d,%d" % (col, row + 1, col, row, width, row)
    if col:
        d += " M0,%d L%d,%d" % (row + 1, col, row + 1)
    return '<path class="line %s" d="%s"/>' % (cls, d), (row + 0.5, [(width, row + 0.5)], label, None, label)


PHYS_PX = 900        # the CSS width of svg.phys and svg.physlow
MARK_PX = 7          # a marker is at least this many pixels high and wide on the page
MAX_CALLOUTS = 24    # more clusters than this: merge them further apart
SMALL_KINDS_SKIP = ("free", "hole")


def clusters(runs, width, rows, frames):
    """The runs of each owner other than free and hole, grouped per kind into
    clusters of runs less than a 25th of the picture apart (further when
    there would be more than MAX_CALLOUTS): [(kind, frames, [(start, end) of
    each run])]."""
    gap = max(1, width * rows // 25)
    while True:
        out, last = [], {}
        for r in runs:
            if r["kind"] in SMALL_KINDS_SKIP or r["start"] >= frames:
                continue
            end = min(r["start"] + r["count"], frames)
            c = last.get(r["kind"])
            if c is not None and r["start"] - c[2][-1][1] <= gap:
                c[1] += end - r["start"]
                c[2].append((r["start"], end))
            else:
                c = [r["kind"], end - r["start"], [(r["start"], end)]]
                last[r["kind"]] = c
                out.append(c)
        if len(out) <= MAX_CALLOUTS or gap >= frames:
            return [tuple(c) for c in out]
        gap *= 2


def mark_box(first, end, width, rows, minsize):
    """The box (x, y, w, h) around frames [first, end) of the grid, at least
    minsize grid units in each direction and kept inside the grid."""
    r0, r1 = first // width, (end - 1) // width
    x0, x1 = (first % width, (end - 1) % width + 1) if r0 == r1 else (0, width)
    w, h = max(x1 - x0, minsize), max(r1 + 1 - r0, minsize)
    x = min(max(0, (x0 + x1 - w) / 2.0), max(0, width - w))
    y = min(max(0, (r0 + r1 + 1 - h) / 2.0), max(0, rows - h))
    return x, y, w, h


def _place_labels(wanted, lo, hi, sp):
    """Label positions in the order of wanted (sorted), each at least sp
    apart, as near their wanted y as that allows, inside [lo, hi] when they
    fit: overlapping labels are merged into a block centred on their mean."""
    blocks = []  # [top, n, sum of wanted]
    for y in wanted:
        blocks.append([y, 1, y])
        while True:
            b = blocks[-1]
            b[0] = min(max(b[2] / b[1] - (b[1] - 1) * sp / 2.0, lo), max(lo, hi - (b[1] - 1) * sp))
            if len(blocks) > 1 and blocks[-2][0] + blocks[-2][1] * sp > b[0]:
                a = blocks.pop(-2)
                b[1], b[2] = a[1] + b[1], a[2] + b[2]
                continue
            break
    return [b[0] + i * sp for b in blocks for i in range(b[1])]


def _callouts(s, frames, width, rows, unit):
    """Markers around the small owners' runs (the grid shows them a few
    frames big; runs closer than a marker are boxed together) and one label
    per cluster: (svg of the boxes, label items)."""
    halos, boxes, items = [], [], []
    minsize = MARK_PX * unit
    for kind, n, spans in clusters(s["runs"], width, rows, frames):
        groups = [list(spans[0])]
        for a, b in spans[1:]:
            if a - groups[-1][1] <= minsize:
                groups[-1][1] = b
            else:
                groups.append([a, b])
        anchors = []
        for first, end in groups:
            x, y, w, h = mark_box(first, end, width, rows, minsize)
            geom = 'x="%.1f" y="%.1f" width="%.1f" height="%.1f"' % (x, y, w, h)
            halos.append('<rect class="markhalo" %s/>' % geom)
            boxes.append('<rect class="mark" %s style="stroke:%s" data-mark="%s" data-first="%d" data-end="%d"/>'
                         % (geom, KIND_COLOURS[kind], kind, first, end))
            anchors.append((x + w, y + h / 2.0))
        words = KIND_WORDS.get(kind, kind)
        size = "%d frames" % n if n < 2560 else "%.1f MB" % (n * 4096.0 / MB)
        tip = "%s: %d frames (%.1f MB) in %d run(s), pfn %#x-%#x" % (words, n, n * 4096.0 / MB, len(spans),
                                                                       spans[0][0], spans[-1][1] - 1)
        items.append((sum(a[1] for a in anchors) / len(anchors), anchors, "%s: %s" % (words, size), kind, tip))
    return "".join(halos) + "".join(boxes), items


def _labels(items, width, lo, hi, font):
    """The zone lines' labels (kind None) and the callouts' (a swatch of the
    kind first) in one column right of the grid, spread so that none
    overlaps another, each with leader lines to what it names; returns
    (svg, the y below the last label)."""
    items = sorted(items, key=lambda it: it[0])
    ys = _place_labels([it[0] for it in items], lo, hi, font * 1.3)
    tx, bend, out = width + width * 0.05, width + width * 0.02, []
    for (_, anchors, text, kind, tip), y in zip(items, ys):
        for ax, ay in anchors:
            out.append('<path class="leader" d="M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f"/>'
                       % (ax, ay, bend, ay, tx - font * 0.3, y))
        x = tx
        if kind:
            out.append('<rect class="csw k-%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>'
                       % (kind, tx, y - font * 0.4, font * 0.8, font * 0.8))
            x += font
        out.append('<text class="%s" x="%.1f" y="%.1f" data-tip="%s">%s</text>'
                   % ("callout" if kind else "linelabel", x, y, esc(tip), esc(text)))
    return "".join(out), (max(ys) + font if ys else lo)


def physical_svg(s):
    """All frames, and (when there is HighMem) a close-up of lowmem, where
    the kernel's own frames are: the close-up's svg has class physlow, so
    counts of the whole picture (svg.phys) see every frame once."""
    out = _grid_svg(s, s["machine"]["max_pfn"], "phys", True) + zone_strips(s)
    low = s["machine"]["max_low_pfn"]
    if low < s["machine"]["max_pfn"]:
        out += ("<h3>Close-up: lowmem, the first %d MB (the direct map; where every kernel "
                "structure lives)</h3>" % (low >> 8)) + _grid_svg(s, low, "physlow", False)
    return out


STRIP_PX, MIN_SEG = 760, 4   # a zone strip's width, the least width of an owner in it
NOTE_CHARS = 120             # a strip's note longer than this (about 770 px) takes two lines


def strip_widths(counts, total):
    """Widths of the segments of a strip for counts [(kind, n)] of total
    frames: proportional, except that every owner with a frame gets at least
    MIN_SEG px, taken from the largest segment; they add up to STRIP_PX."""
    w = [max(MIN_SEG, STRIP_PX * n / float(total)) if n else 0.0 for _, n in counts]
    big = max(range(len(w)), key=lambda i: counts[i][1])
    w[big] -= sum(w) - STRIP_PX
    return w


def zone_strips(s):
    """Per zone, one bar of its frames by owner, so that what a zone holds
    besides free memory shows at any size, with the largest few named."""
    out, y = [], 0
    for z in s["zones"]:
        counts = [(k, sum(r["count"] for r in s["runs"] if r["zone"] == z["name"] and r["kind"] == k))
                  for k in s["kinds"]]
        total = sum(n for _, n in counts)
        if not total:
            continue
        x = 0.0
        out.append('<text class="stripname" x="-8" y="%d">%s</text>' % (y + 13, esc(z["name"])))
        for (k, n), w in zip(counts, strip_widths(counts, total)):
            if n:
                out.append('<rect class="seg k-%s" x="%.2f" y="%d" width="%.2f" height="18" data-seg="%s" '
                           'data-zone="%s" data-n="%d" data-tip="%s in %s: %d frames (%.1f MB, %.2f%%)"/>'
                           % (k, x, y, w, k, z["name"], n, esc(KIND_WORDS.get(k, k)), z["name"], n,
                              n * 4096.0 / MB, 100.0 * n / total))
                x += w
        # per-CPU list frames are free too ("besides free and holes")
        used = sorted(((n, k) for k, n in counts if n and k not in SMALL_KINDS_SKIP + ("pcp",)),
                      reverse=True)
        words = ", ".join("%s %s" % (KIND_WORDS.get(k, k), _mb(n)) for n, k in used[:3])
        more = " and %d more" % (len(used) - 3) if len(used) > 3 else ""
        head = "%.0f MB spanned; besides free and holes:" % (total * 4096.0 / MB)
        owners = (words or "nothing") + more
        if len(head) + len(owners) > NOTE_CHARS:  # a second line, not text past the picture's edge
            out.append('<text class="stripnote" x="0" y="%d">%s</text>' % (y + 32, head))
            out.append('<text class="stripnote" x="0" y="%d">%s</text>' % (y + 46, esc(owners)))
            y += 64
        else:
            out.append('<text class="stripnote" x="0" y="%d">%s %s</text>' % (y + 32, head, esc(owners)))
            y += 50
    return ('<h3>What each zone holds</h3><p class=note>A bar per zone: its frames by owner, to scale, '
            'except that an owner with any frame is drawn at least %d px wide (the largest owner gives up '
            'the difference); hover a segment for its exact count.</p><div class="fig"><svg class="strips" '
            'viewBox="-90 -4 %d %d" style="width:%dpx"><g>%s</g></svg></div>'
            % (MIN_SEG, STRIP_PX + 100, y, STRIP_PX + 100, "".join(out)))


def _mb(n):
    return "%.1f MB" % (n * 4096.0 / MB) if n >= 256 else "%d frames" % n


def _grid_svg(s, frames, cls, with_legend):
    width = grid_width(frames)
    rows = (frames + width - 1) // width
    parts = []
    for r in s["runs"]:
        if r["start"] >= frames:
            break
        for (x, y, w, h, n) in run_rects(r["start"], min(r["count"], frames - r["start"]), width):
            first = y * width + x
            parts.append('<rect x="%d" y="%d" width="%d" height="%d" class="k-%s" data-kind="%s" '
                         'data-zone="%s" data-first="%d" data-n="%d" data-run="%d" data-runn="%d" '
                         'data-order="%d"/>' % (x, y, w, h, r["kind"], r["kind"], r["zone"], first,
                                                n, r["start"], r["count"], r["order"]))
    lines, items = [], []
    for z in s["zones"][1:]:
        if z["end"] > z["start"] and 0 < z["start"] < frames:  # (a zone starting at frames: not here)
            what = "lowmem ends (max_low_pfn): HighMem" if z["name"] == "HighMem" else z["name"]
            path, item = _boundary(z["start"], width, "zone", "%s from %d MB" % (what, (z["start"] << 12) >> 20))
            lines.append(path)
            items.append(item)
    if frames > PFN_4G:
        path, item = _boundary(PFN_4G, width, "g4", "4 GiB: only PAE reaches above")
        lines.append(path)
        items.append(item)
    font = max(width / 48.0, 4)
    left = max(width * 0.1, (len("%d MB" % ((frames * 4096) >> 20)) + 1) * font * 0.62)  # the axis labels
    # the right margin holds the labels: about 0.6 em a character
    longest = max([len(it[2]) for it in items] + [len(KIND_WORDS[k]) + 18 for k in KIND_WORDS])
    right = width * 0.08 + longest * font * 0.62
    unit = (left + width + right) / PHYS_PX  # grid units per pixel on the page
    marks, callouts = _callouts(s, frames, width, rows, unit)
    labels, bottom = _labels(items + callouts, width, 0, rows, font)
    ylabels = "".join('<text class="axis" x="-%d" y="%d">%d MB</text>' % (width // 200 + 1, y + 1, (y * width * 4096) >> 20)
                      for y in range(0, rows, max(1, rows // 16)))
    legend = _legend(s) if with_legend else ""
    top, height = -font, max(rows, bottom) + 2 * font
    return ('<div class="fig"><svg class="zoom %s" data-width="%d" viewBox="%d %d %d %d" '
            'preserveAspectRatio="xMinYMin meet"><g style="font-size:%.1fpx">%s%s%s%s%s</g></svg>%s</div>'
            % (cls, width, -left, top, left + width + right, height, font, "".join(parts),
               "".join(lines), marks, labels, ylabels, legend))


def _legend(s):
    per = {}
    for r in s["runs"]:
        per[r["kind"]] = per.get(r["kind"], 0) + r["count"]
    rows = []
    for k in s["kinds"]:
        n = per.get(k, 0)
        rows.append('<tr data-kind="%s" data-n="%d"><td><span class="sw k-%s"></span></td><td>%s</td>'
                    '<td class=num>%d</td><td class=num>%.1f MB</td></tr>'
                    % (k, n, k, esc(KIND_WORDS.get(k, k)), n, n * 4096 / MB))
    return ('<table class="legend"><tr><th></th><th>owner</th><th>frames</th><th>size</th></tr>%s'
            '<tr><td></td><td>all frames</td><td class=num>%d</td><td class=num>%.1f MB</td></tr></table>'
            % ("".join(rows), s["machine"]["max_pfn"], s["machine"]["max_pfn"] * 4096 / MB))


# ---- 2: the kernel's gigabyte ----------------------------------------------------

VIRT_COLOURS = {"lowmem": "#a6cee3", "gap": "#ffffff", "vmalloc": "#cab2d6", "guard": "#000000",
                "pkmap": "#fb9a99", "unused": "#f0f0f0", "fixmap": "#fdbf6f", "top": "#000000"}


def _size(n):
    return "%d MB" % (n >> 20) if n >= MB and n % MB == 0 else "%d kB" % (n >> 10)


def virtual_svg(s):
    base, h = 0xC0000000, 1024.0  # 1 px = 1 MB
    y = lambda va: h - (va - base) / MB
    out = []
    for v in s["virt"]:
        y0, y1 = y(v["end"]), y(v["start"])
        out.append('<rect class="vreg" x="0" y="%.3f" width="120" height="%.3f" fill="%s" '
                   'data-tip="%s %#x-%#x (%s)"/>' % (y0, max(y1 - y0, 0.05), VIRT_COLOURS.get(v["name"], "#ccc"),
                                                     esc(v["name"]), v["start"], v["end"] & 0xffffffff,
                                                     _size(v["end"] - v["start"])))
        if y1 - y0 > 14:
            out.append('<text class="vlabel" x="60" y="%.1f">%s</text>' % ((y0 + y1) / 2 + 4, esc(v["name"])))
    for va in (base, 0xE0000000, 0xF0000000, 0xFFFFFFFF):
        out.append('<text class="axis" x="-4" y="%.1f">%#010x</text>' % (y(va) + 4, va))
    insets = [_vmalloc_inset(s), _pkmap_inset(s), _fixmap_inset(s)]
    return ('<div class="fig"><svg class="zoom virt" viewBox="-90 -10 1010 1050" '
            'preserveAspectRatio="xMinYMin meet"><g>%s%s</g></svg></div>' % ("".join(out), "".join(insets)))


def _region(s, name):
    for v in s["virt"]:
        if v["name"] == name:
            return v
    return {"start": 0, "end": 0}


def _vmalloc_inset(s):
    """The used part of the vmalloc area to its own scale: each area, its guard page."""
    vm = _region(s, "vmalloc")
    top = max([a["end"] for a in s["vmaps"]] + [vm["start"] + 64 * 4096])
    span = top - vm["start"]
    x0, w, hgt = 200, 560, 40
    out = ['<text class="title" x="%d" y="20">vmalloc area in use: %#x-%#x (%s of %s), %d area(s)</text>'
           % (x0, vm["start"], top, _size(span), _size(vm["end"] - vm["start"]), len(s["vmaps"])),
           '<rect x="%d" y="30" width="%d" height="%d" fill="#f7f7f7" stroke="#999"/>' % (x0, w, hgt)]
    px = lambda va: x0 + (va - vm["start"]) * w / span
    for a in s["vmaps"]:
        body_end = a["start"] + a["pages"] * 4096
        out.append('<rect class="vmap" x="%.2f" y="30" width="%.2f" height="%d" fill="%s" data-kind="%s" '
                   'data-tip="%s %#x-%#x, %d page(s), caller %s"/>'
                   % (px(a["start"]), max(px(body_end) - px(a["start"]), 0.5), hgt,
                      KIND_COLOURS["vmalloc"] if a["type"] == "vmalloc" else "#b2df8a", a["type"],
                      a["type"], a["start"], body_end, a["pages"], esc(a["caller"])))
        out.append('<rect class="guardpage" x="%.2f" y="30" width="%.2f" height="%d" fill="#000" '
                   'data-tip="guard page %#x (never mapped)"/>' % (px(body_end), max(px(a["end"]) - px(body_end), 0.5), hgt, body_end))
    vb = y_of(vm["start"])
    out.append('<path class="connector" d="M120,%.1f L%d,70 M120,%.1f L%d,30"/>' % (vb, x0, vb - 1, x0))
    return "".join(out)


def y_of(va):
    return 1024.0 - (va - 0xC0000000) / MB


def _pkmap_inset(s):
    """The 512 pkmap slots: free, in use (count > 1: count - 1 users), cached (count 1)."""
    slots = {p["slot"]: p for p in s["pkmap"]}
    x0, y0, cell = 200, 130, 17
    used = sum(1 for p in s["pkmap"] if p["count"] > 1)
    cached = sum(1 for p in s["pkmap"] if p["count"] == 1)
    out = ['<text class="title" x="%d" y="%d">pkmap window 0xffc00000: 512 slots, %d in use (red), '
           '%d cached (amber)</text>' % (x0, y0 - 8, used, cached)]
    for i in range(512):
        p = slots.get(i)
        state = "free" if not p or p["count"] == 0 else "cached" if p["count"] == 1 else "used"
        tip = "pkmap slot %d at %#x: %s" % (i, 0xFFC00000 + i * 4096, state)
        if p and p["pfn"] < 1 << 60:
            tip += ", pfn %#x (physical %#x)" % (p["pfn"], p["pfn"] << 12)
        if state == "used":
            tip += ", %d user(s)" % (p["count"] - 1)
        out.append('<rect class="pk pk-%s" x="%d" y="%d" width="%d" height="%d" data-tip="%s"/>'
                   % (state, x0 + (i % 32) * cell, y0 + (i // 32) * cell, cell - 2, cell - 2, esc(tip)))
    vb = y_of(0xFFC00000)
    out.append('<path class="connector" d="M120,%.1f L%d,%d"/>' % (vb, x0, y0))
    return "".join(out)


def _fixmap_inset(s):
    """The fixmap: the APIC, I/O APIC and ACPI pages, then 16 kmap_atomic slots per CPU."""
    x0, y0, cell = 200, 450, 30
    out = ['<text class="title" x="%d" y="%d">fixmap %#x-%#x</text>'
           '<text class="sub" x="%d" y="%d">device and firmware pages, then 16 kmap_atomic slots '
           'per CPU (green: mapped)</text>'
           % (x0, y0 - 22, _region(s, "fixmap")["start"], _region(s, "fixmap")["end"], x0, y0 - 6)]
    specials = [f for f in s["fixmap"] if f["what"] != "kmap"]
    for i, f in enumerate(specials):
        mapped = f["pfn"] is not None
        out.append('<rect class="fx fx-%s" x="%d" y="%d" width="%d" height="%d" data-tip="fixmap %d %s at %#x: %s"/>'
                   % ("on" if mapped else "off", x0 + i * cell, y0, cell - 3, cell - 3, f["idx"], f["what"], f["va"],
                      "physical %#x" % (f["pfn"] << 12) if mapped else "not mapped"))
        out.append('<text class="small" x="%d" y="%d">%s</text>' % (x0 + i * cell + 2, y0 + 17, f["what"][:4]))
    cpus = s["machine"].get("cpus", 1)
    for f in s["fixmap"]:
        if f["what"] != "kmap":
            continue
        mapped = f["pfn"] is not None
        x, y = x0 + 60 + f["slot"] * cell, y0 + 45 + f["cpu"] * cell
        state = "on" if mapped else ("off" if f["cpu"] < cpus else "absent")
        out.append('<rect class="fx fx-%s" x="%d" y="%d" width="%d" height="%d" data-tip="CPU %d kmap_atomic slot %d at %#x: %s"/>'
                   % (state, x, y, cell - 3, cell - 3, f["cpu"], f["slot"], f["va"],
                      "pfn %#x (physical %#x)" % (f["pfn"], f["pfn"] << 12) if mapped else "empty"))
    for c in range(s["machine"].get("nr_cpus", 8)):
        out.append('<text class="small" x="%d" y="%d">CPU %d</text>' % (x0, y0 + 62 + c * cell, c))
    out.append('<path class="connector" d="M120,%.1f L%d,%d"/>' % (y_of(0xFFF75000), x0, y0))
    return "".join(out)


# ---- 3: processes ------------------------------------------------------------------

def process_svgs(s):
    if not s["tasks"]:
        return "<p>No process in this snapshot (a boot without user space).</p>"
    out = ['<table class="legend"><tr>%s</tr></table>' % "".join(
        '<td><span class="sw" style="background:%s"></span> %s</td>' % (c, esc(STATE_WORDS[k]))
        for k, c in STATE_COLOURS.items()),
        '<p class=note>Each region is drawn as rows of 256 cells, one cell per 4 KB page, so a row is '
        '1 MB of its addresses, lowest at the top left. Above it, the region as /proc/PID/maps prints '
        'it: addresses, permissions, file offset, device, inode, file. Hovering a cell names the '
        'page\'s virtual address and, when present, its frame.</p>']
    for t in s["tasks"]:
        out.append(_task_svg(t))
    return "".join(out)


def _state_order(k):
    return list(STATE_COLOURS).index(k) if k in STATE_COLOURS else len(STATE_COLOURS)


def _task_svg(t):
    per_row, y, parts = 256, 0, []
    counts = {}
    for v in t["vmas"]:
        parts.append('<text class="vmalabel" x="0" y="%d">%s</text>' % (y + 12, esc(v["desc"])))
        y += 16
        for r in v["pages"]:
            counts[r["state"]] = counts.get(r["state"], 0) + r["count"]
            first = (r["va"] - v["start"]) >> 12
            for (x, yy, w, h, n) in run_rects(first, r["count"], per_row):
                va = v["start"] + ((yy * per_row + x) << 12)
                tip = "%s: %d page(s) from %#x" % (STATE_WORDS.get(r["state"], r["state"]), n, va)
                pfn = ""
                if "pfn" in r:
                    k = (yy * per_row + x) - first
                    pfn = ' data-pfn="%d" data-step="%d"' % (r["pfn"] + k * r["step"], r["step"])
                parts.append('<rect class="pg st-%s" x="%d" y="%.1f" width="%d" height="%.1f" data-va="%d" '
                             'data-n="%d" data-state="%s"%s data-tip="%s"/>'
                             % (r["state"], x * 4, y + yy * 5, w * 4, h * 5 - 1, va, n, r["state"], pfn, esc(tip)))
        rows = (((v["end"] - v["start"]) >> 12) + per_row - 1) // per_row
        y += rows * 5 + 8
    head = "pid %d (%s): %d regions; pages: %s" % (t["pid"], t["name"], len(t["vmas"]), ", ".join(
        "%d %s" % (counts[k], STATE_SHORT.get(k, k)) for k in sorted(counts, key=_state_order)))
    return ('<h3>%s</h3><div class="fig"><svg class="zoom proc" data-cols="%d" viewBox="0 0 %d %d" '
            'preserveAspectRatio="xMinYMin meet"><g>%s</g></svg></div>'
            % (esc(head), per_row, per_row * 4 + 10, y + 4, "".join(parts)))


# ---- the page ------------------------------------------------------------------------

CSS = """
body{font:14px sans-serif;margin:16px;color:#222} h1{font-size:20px} h2{font-size:17px;margin-top:28px}
h3{font-size:14px} .note{color:#555} .warn{color:#b00}
.fig{display:flex;gap:16px;align-items:flex-start} svg.zoom{border:1px solid #ccc;background:#fff;cursor:grab}
svg.phys,svg.physlow{width:900px;height:auto;flex:none} svg.virt{width:1000px;height:auto} svg.proc{width:1100px;height:auto}
rect{shape-rendering:crispEdges} .line{fill:none;stroke-width:3;vector-effect:non-scaling-stroke}
.zone{stroke:#000} .g4{stroke:#d00;stroke-dasharray:6 3} .linelabel,.callout{dominant-baseline:middle}
.mark{fill:none;stroke-width:2;vector-effect:non-scaling-stroke;pointer-events:none}
.markhalo{fill:none;stroke:#fff;stroke-width:5;vector-effect:non-scaling-stroke;pointer-events:none}
.leader{fill:none;stroke:#666;stroke-width:.8;vector-effect:non-scaling-stroke} .csw{stroke:#666;stroke-width:.5;vector-effect:non-scaling-stroke}
.axis{text-anchor:end;font-size:11px} svg.phys .axis,svg.physlow .axis{font-size:inherit} .vlabel{text-anchor:middle;font-size:13px} .title{font-size:14px;font-weight:bold}
.small{font-size:9px} .sub{font-size:12px} .connector{stroke:#888;fill:none;stroke-dasharray:3 3}
.legend{border-collapse:collapse;font-size:13px;white-space:nowrap} .legend td,.legend th{padding:2px 6px} .num{text-align:right}
.sw{display:inline-block;width:14px;height:14px;border:1px solid #888}
.pk-free{fill:#f0f0f0}.pk-used{fill:#e31a1c}.pk-cached{fill:#fdbf6f} .pk{stroke:#999}
.fx-on{fill:#33a02c}.fx-off{fill:#f0f0f0}.fx-absent{fill:#ddd;opacity:.4} .fx{stroke:#999}
.vmalabel{font:11px monospace} .stripname{text-anchor:end;font-size:13px} .stripnote{font-size:11px}
svg.strips{height:auto} .seg{stroke:#fff;stroke-width:.5}
#tip{position:fixed;pointer-events:none;background:#ffffe0;border:1px solid #999;padding:4px 6px;
font:12px monospace;display:none;white-space:pre;z-index:9}
"""
CSS += "".join(".k-%s{fill:%s;background:%s}\n" % (k, c, c) for k, c in KIND_COLOURS.items())
CSS += "".join(".st-%s{fill:%s}\n" % (k, c) for k, c in STATE_COLOURS.items())

JS = r"""
window.__errors = [];
window.onerror = function (m, src, line) { window.__errors.push(m + ' at ' + line); report(); };
function hex(n) { return '0x' + n.toString(16); }
function tipFor(el, ev) {
  if (el.dataset.state) {             // a run of a process's pages: which page
    var sv = el.ownerSVGElement, pt = sv.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    var m = pt.matrixTransform(el.getScreenCTM().inverse());
    var cols = +sv.dataset.cols, x0 = Math.round(+el.getAttribute('x') / 4);
    var i = Math.floor((m.y - +el.getAttribute('y')) / 5) * cols + Math.floor(m.x / 4) - x0;
    i = Math.max(0, Math.min(+el.dataset.n - 1, i));
    var s = 'va ' + hex(+el.dataset.va + i * 4096) + '\n' + el.dataset.tip.split(':')[0];
    if (el.dataset.pfn !== undefined) {
      var pfn = +el.dataset.pfn + i * +el.dataset.step;
      s += '\npfn ' + hex(pfn) + '  physical ' + hex(pfn * 4096);
    }
    return s;
  }
  if (el.dataset.tip && !el.dataset.first) return el.dataset.tip;
  if (el.dataset.first) {            // a run of frames: which one is under the pointer
    var svg = el.ownerSVGElement, w = +svg.dataset.width, p = svg.createSVGPoint();
    p.x = ev.clientX; p.y = ev.clientY;
    var q = p.matrixTransform(el.getScreenCTM().inverse());
    var pfn = Math.floor(q.y) * w + Math.floor(q.x);
    var lo = +el.dataset.first, hi = lo + +el.dataset.n - 1;
    pfn = Math.max(lo, Math.min(hi, pfn));
    var t = 'pfn ' + hex(pfn) + '  physical ' + hex(pfn * 4096) + '\nowner ' + el.dataset.kind +
            '  zone ' + el.dataset.zone + '\nrun ' + hex(+el.dataset.run) + ' +' + el.dataset.runn + ' frames';
    if (el.dataset.kind === 'free') t += '  (blocks of order ' + el.dataset.order + ')';
    return t;
  }
  return null;
}
function setup() {
  var tip = document.getElementById('tip');
  document.addEventListener('mousemove', function (ev) {
    var el = ev.target, t = el && el.dataset ? tipFor(el, ev) : null;
    if (t) { tip.textContent = t; tip.style.display = 'block';
             tip.style.left = (ev.clientX + 14) + 'px'; tip.style.top = (ev.clientY + 14) + 'px'; }
    else tip.style.display = 'none';
  });
  document.querySelectorAll('svg.zoom').forEach(function (svg) {
    var vb0 = svg.getAttribute('viewBox'), drag = null;
    function vb() { return svg.getAttribute('viewBox').split(' ').map(Number); }
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var v = vb(), r = svg.getBoundingClientRect(), f = ev.deltaY < 0 ? 0.8 : 1.25;
      var mx = v[0] + (ev.clientX - r.left) / r.width * v[2], my = v[1] + (ev.clientY - r.top) / r.height * v[3];
      svg.setAttribute('viewBox', [mx - (mx - v[0]) * f, my - (my - v[1]) * f, v[2] * f, v[3] * f].join(' '));
    }, {passive: false});
    svg.addEventListener('mousedown', function (ev) { drag = [ev.clientX, ev.clientY, vb()]; });
    window.addEventListener('mouseup', function () { drag = null; });
    svg.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect(), v = drag[2];
      svg.setAttribute('viewBox', [v[0] - (ev.clientX - drag[0]) / r.width * v[2],
                                   v[1] - (ev.clientY - drag[1]) / r.height * v[3], v[2], v[3]].join(' '));
    });
    svg.addEventListener('dblclick', function () { svg.setAttribute('viewBox', vb0); });
  });
  report();
}
// Whether everything fits at this window's width: text cut off at its
// picture's edge, text over other text in one picture, a page wider than the
// window (tools/memview --png refuses to write such a picture).
function layout() {
  var cut = [], over = [];
  document.querySelectorAll('svg').forEach(function (svg) {
    var b = svg.getBoundingClientRect(), seen = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var r = t.getBoundingClientRect(), s = t.textContent;
      if (!r.width) return;
      if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1)
        cut.push(s);
      seen.forEach(function (o) {
        if (Math.min(r.right, o[0].right) - Math.max(r.left, o[0].left) > 1 &&
            Math.min(r.bottom, o[0].bottom) - Math.max(r.top, o[0].top) > 1) over.push(s + ' | ' + o[1]);
      });
      seen.push([r, s]);
    });
  });
  var d = document.documentElement;
  return {cut: cut, overlap: over, width: d.scrollWidth, height: d.scrollHeight, window: window.innerWidth};
}
// What was drawn, counted from the elements themselves (and their computed
// colours), for a reader of the DOM: tests/browser/ compares it with the snapshot.
function report() {
  var drawn = {frames: {}, zones: {}, colours: {}, legend: {}, pages: {}, errors: window.__errors};
  document.querySelectorAll('svg.phys rect[data-kind]').forEach(function (r) {
    var k = r.dataset.kind, z = r.dataset.zone, n = +r.dataset.n;
    drawn.frames[k] = (drawn.frames[k] || 0) + n;
    drawn.zones[z] = drawn.zones[z] || {};
    drawn.zones[z][k] = (drawn.zones[z][k] || 0) + n;
    var c = getComputedStyle(r).fill;
    drawn.colours[k] = drawn.colours[k] || {};
    drawn.colours[k][c] = (drawn.colours[k][c] || 0) + n;
  });
  document.querySelectorAll('table.legend tr[data-kind]').forEach(function (tr) {
    drawn.legend[tr.dataset.kind] = {n: +tr.dataset.n,
      colour: getComputedStyle(tr.querySelector('.sw')).backgroundColor};
  });
  document.querySelectorAll('svg.proc rect[data-state]').forEach(function (r) {
    drawn.pages[r.dataset.state] = (drawn.pages[r.dataset.state] || 0) + +r.dataset.n;
  });
  drawn.marks = {};
  document.querySelectorAll('svg.phys rect.mark, svg.physlow rect.mark').forEach(function (r) {
    var b = r.getBoundingClientRect(), k = r.ownerSVGElement.classList.contains('phys') ? 'phys' : 'physlow';
    drawn.marks[k] = drawn.marks[k] || [];
    drawn.marks[k].push({kind: r.dataset.mark, first: +r.dataset.first, end: +r.dataset.end,
                         w: b.width, h: b.height});
  });
  drawn.strips = {};
  document.querySelectorAll('svg.strips rect[data-seg]').forEach(function (r) {
    var z = drawn.strips[r.dataset.zone] = drawn.strips[r.dataset.zone] || {};
    z[r.dataset.seg] = (z[r.dataset.seg] || 0) + +r.dataset.n;
  });
  drawn.callouts = [];
  document.querySelectorAll('svg text.callout').forEach(function (t) { drawn.callouts.push(t.textContent); });
  drawn.layout = layout();
  drawn.vmaps = document.querySelectorAll('svg.virt rect.vmap').length;
  drawn.pkmap_used = document.querySelectorAll('svg.virt rect.pk-used').length;
  var out = document.getElementById('drawn');
  if (out) out.textContent = JSON.stringify(drawn);
}
document.addEventListener('DOMContentLoaded', setup);
"""


def page(title, body):
    return ("<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>%s</title><style>%s</style>"
            "<script>%s</script></head><body>%s<div id=tip></div>"
            "<pre id=drawn hidden></pre></body></html>\n" % (esc(title), CSS, JS, body))
