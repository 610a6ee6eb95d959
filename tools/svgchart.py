"""svgchart - time and instruction tables as SVG bar charts (standard library).

Used by `tools/bench --svg FILE` (the kernel's figures per RAM size with
their targets, and the user-space figures beside Linux 6.1's) and by
`tools/boot-time --svg FILE` (wall times per configuration). One chart is a
list of rows; each row has one bar per series (a RAM size, "Linux 6.1").
Rows differ by orders of magnitude (getpid: hundreds of instructions, fork
of 64 MB: millions), so each row is scaled to its own largest value and
every bar carries its number: compare bars within a row, read numbers across.
A marker (a target) is a vertical line in its row.
"""
import html

PALETTE = ["#1f78b4", "#ff7f00", "#33a02c", "#6a3d9a", "#e31a1c", "#b15928", "#a6cee3"]
LINUX_COLOUR = "#4d4d4d"


def _num(v):
    if v is None:
        return "-"
    if v >= 100 or v == int(v):
        return "{:,.0f}".format(v)
    return "%.3f" % v


def grouped_bars(title, series, rows, unit="", markers=None, note=""):
    """An SVG document: title; series names (a name starting "Linux" is drawn
    grey); rows [(label, [value or None per series])]; markers {label: (value,
    text)}. Returns the SVG text."""
    markers = markers or {}
    label_w, bar_w, bar_h, gap = 230, 420, 13, 10
    row_h = bar_h * len(series) + gap
    top = 58 + (14 if note else 0)
    height = top + row_h * len(rows) + 20
    width = label_w + bar_w + 140
    e = html.escape
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="#fff"/>',
           '<text x="8" y="18" font-size="14" font-weight="bold">%s</text>' % e(title)]
    if note:
        out.append('<text x="8" y="34" fill="#555">%s</text>' % e(note))
    x = 8
    for i, s in enumerate(series):
        colour = LINUX_COLOUR if s.startswith("Linux") else PALETTE[i % len(PALETTE)]
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (x, top - 22, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 16, top - 12, e(s)))
        x += 24 + 7 * len(s)
    for r, (label, values) in enumerate(rows):
        y0 = top + r * row_h
        vals = [v for v in values if v is not None]
        if label in markers:
            vals.append(markers[label][0])
        scale_max = max(vals) if vals and max(vals) > 0 else 1
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (label_w - 8, y0 + row_h / 2, e(label)))
        for i, v in enumerate(values):
            colour = LINUX_COLOUR if series[i].startswith("Linux") else PALETTE[i % len(PALETTE)]
            y = y0 + i * bar_h
            w = 0 if v is None else max(1.0, bar_w * v / scale_max)
            out.append('<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s" '
                       'data-row="%s" data-series="%s" data-value="%s"><title>%s, %s: %s %s</title></rect>'
                       % (label_w, y, w, bar_h - 2, colour, e(label), e(series[i]),
                          "" if v is None else repr(v), e(label), e(series[i]), _num(v), e(unit)))
            out.append('<text x="%.1f" y="%d">%s</text>' % (label_w + w + 4, y + bar_h - 3, _num(v)))
        if label in markers:
            mv, text = markers[label]
            mx = label_w + bar_w * mv / scale_max
            out.append('<line class="marker" x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#d00" '
                       'stroke-width="2" stroke-dasharray="3 2"><title>%s</title></line>'
                       % (mx, mx, y0 - 2, y0 + bar_h * len(series), e(text)))
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#eee"/>'
                   % (8, width - 8, y0 + row_h - gap / 2, y0 + row_h - gap / 2))
    out.append('<text x="8" y="%d" fill="#555">%s</text>'
               % (height - 6, e("each row scaled to its largest value" + (" and marker" if markers else "")
                                + (", in " + unit if unit else ""))))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _float(v):
    try:
        return float(str(v).split()[0])
    except (ValueError, IndexError):
        return None


def write_bench(path, sizes, results, names, targets, counts, user=None, linux_user=None):
    """tools/bench's tables: the kernel's figures (targets as markers) and, when
    given, the user-space figures beside Linux 6.1's, one SVG each (the user
    chart in PATH with -user before the extension). Returns the files written."""
    series = ["%d MB" % m for m in sizes]
    rows = [(n, [_float(results[m].get(n, ("-",))[0]) for m in sizes]) for n in names if n not in counts]
    marks = {n: (t, "target <= %d" % t) for n, t in targets.items()}
    with open(path, "w") as f:
        f.write(grouped_bars("Highland kernel benchmarks (instructions per operation, QEMU -icount)",
                             series, rows, "instructions", marks, "dashed red: the target"))
    written = [path]
    if user and linux_user:
        upath = path[:-4] + "-user.svg" if path.endswith(".svg") else path + "-user"
        urows = [(n, [_float(user[m].get(n, ("-",))[0]) for m in sizes] + [float(linux_user[n])])
                 for n in linux_user]
        umarks = {n: (v / 2, "target: half of Linux 6.1's") for n, v in linux_user.items()}
        with open(upath, "w") as f:
            f.write(grouped_bars("User space on Highland beside Linux 6.1 (instructions)",
                                 series + ["Linux 6.1"], urows, "instructions", umarks,
                                 "grey: Linux 6.1 on the same operation; dashed red: the target (half)"))
        written.append(upath)
    return written


def write_boot_time(path, labels, medians, cmdline, repeat):
    """tools/boot-time's table: per configuration, the median wall time to
    `Memory:`, to `all tests passed` and to QEMU's exit."""
    series = ["to Memory:", "to all tests passed", "to QEMU exit"]
    rows = list(zip(labels, medians))
    with open(path, "w") as f:
        f.write(grouped_bars("Highland boot time (seconds, qemu-system-i386 -accel tcg)", series, rows,
                             "seconds", None, "`%s`, median of %d boots; no Linux figure to set beside "
                             "these: none is recorded for this machine" % (cmdline, repeat)))
    return [path]
