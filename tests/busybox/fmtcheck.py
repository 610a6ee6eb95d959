#!/usr/bin/env python3
"""fmtcheck - compare a file's text with a committed format, line by line.

The formats in tests/busybox/linux-6.1/*.fmt say what Linux 6.1 prints (each
file's header names the Linux source it was read from). Notation, one
template line per output line:
  literal text     must be there exactly (spaces and tabs included)
  {N}              a number right-aligned in N columns (Linux's width N; a
                   longer number may overflow the column, as in Linux)
  {n}  {-n}        an unsigned / a possibly negative decimal number
  {f2}             a decimal number with two fraction digits (12.34)
  {f}              any decimal number, fraction optional
  {xN}             N hex digits;  {x} any hex number
  {w}              a word (no blanks);  {s} any text (lazy);  {*} the rest
  {Ns}             a word right-aligned in N columns
A line starting with '*' repeats: one or more output lines match it.
A line starting with '?' is optional: zero or one line.
Lines starting with '#' are comments; blank lines in a .fmt are ignored.

Importable: check(fmt_path, text) -> list of problems ("" list: it matches).
Command line: fmtcheck.py FORMAT FILE  (exit 1 and the problems if not).
"""
import re
import sys

TOKEN = re.compile(r"\{(-?n|\d+s?|f2|f|x\d*|w|s|\*)\}")


def _compile(tpl):
    """A template line -> (regex, width checks [(group, width)])."""
    out, widths, pos, g = [], [], 0, 0
    for m in TOKEN.finditer(tpl):
        out.append(re.escape(tpl[pos:m.start()]))
        t = m.group(1)
        g += 1
        if t.isdigit():
            out.append(r"( *\d+)")
            widths.append((g, int(t)))
        elif t.endswith("s") and t[:-1].isdigit():
            out.append(r"( *\S+)")
            widths.append((g, int(t[:-1])))
        else:
            out.append({"n": r"(\d+)", "-n": r"(-?\d+)", "f2": r"(\d+\.\d\d)",
                        "f": r"(\d+(?:\.\d+)?)", "x": r"([0-9a-f]+)", "w": r"(\S+)",
                        "s": r"(.*?)", "*": r"(.*)"}.get(t) or r"([0-9a-f]{%s})" % t[1:])
        pos = m.end()
    out.append(re.escape(tpl[pos:]))
    return re.compile("".join(out) + r"\Z"), widths


def load(fmt_path):
    """The template lines of a .fmt file: [(kind, template, regex, widths)]."""
    lines = []
    with open(fmt_path) as f:
        for raw in f.read().split("\n"):
            if not raw.strip() or raw.startswith("#"):
                continue
            kind = raw[0] if raw[0] in "*?" else ""
            tpl = raw[1:] if kind else raw
            rx, widths = _compile(tpl)
            lines.append((kind, tpl, rx, widths))
    return lines


def _match(entry, line):
    _, _, rx, widths = entry
    m = rx.match(line)
    if not m:
        return False
    for g, w in widths:
        field = m.group(g)
        if len(field) != w and not (len(field) > w and not field.startswith(" ")):
            return False
    return True


def check(fmt_path, text):
    tpl = load(fmt_path)
    got = text.split("\n")
    if got and got[-1] == "":
        got.pop()
    problems, i = [], 0
    for entry in tpl:
        kind, t = entry[0], entry[1]
        if kind == "*":
            n = 0
            while i < len(got) and _match(entry, got[i]):
                i, n = i + 1, n + 1
            if n == 0:
                problems.append("line %d: %r does not match %r (one or more)"
                                % (i + 1, got[i] if i < len(got) else "<end>", t))
                return problems
        elif kind == "?":
            if i < len(got) and _match(entry, got[i]):
                i += 1
        else:
            if i >= len(got):
                problems.append("missing line: %r (output ended after %d lines)" % (t, len(got)))
                return problems
            if not _match(entry, got[i]):
                problems.append("line %d: %r does not match %r" % (i + 1, got[i], t))
                return problems
            i += 1
    if i < len(got):
        problems.append("line %d: %r is more than the format has (%d lines matched)"
                        % (i + 1, got[i], i))
    return problems


def main(argv):
    if len(argv) != 3:
        print("usage: fmtcheck.py FORMAT FILE", file=sys.stderr)
        return 2
    with open(argv[2]) as f:
        problems = check(argv[1], f.read())
    for p in problems:
        print("%s: %s" % (argv[2], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
