"""slab.py - hl-slabinfo: the slab caches as /proc/slabinfo (format 2.1, the
kernel's show_slabinfo in mm/slab_report.c), every list checked.

Walks slab_caches (each struct kmem_cache's `list`), and each cache's
partial, full and empty slab lists (the struct page `lru` of each slab's
first page), checking links, counts (nr_partial, nr_empty, nr_slabs) and
that each slab page has PG_slab and index pointing back at its cache.
"""
import gdb

from .core import (HlCommand, ListWalk, array_len, command, has_symbol, offset_of, out,
                   readable, symbol_value, uint)
from .mm import MM

MAX_CACHES = 4096  # the kernel keeps no count of its caches: a generous bound


def cache_name(s):
    try:
        return s["name"].string()
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return "?"


def slab_caches(problems):
    """[(address, gdb.Value of struct kmem_cache)] from slab_caches, newest
    first; a broken link is added to problems and ends the walk."""
    ktype = gdb.lookup_type("struct kmem_cache")
    list_off = offset_of("struct kmem_cache", "list")
    head = uint(symbol_value("&slab_caches"))

    def describe(node):
        if not readable(node - list_off, ktype.sizeof):
            return "unreadable"
        v = gdb.Value(node - list_off).cast(ktype.pointer()).dereference()
        return f"cache {cache_name(v)}"

    def check(node):
        if not readable(node - list_off, ktype.sizeof):
            return "which cannot be read (not a struct kmem_cache)"
        return None

    w = ListWalk(head, "slab_caches", MAX_CACHES, describe=describe, check_node=check)
    if w.problem:
        problems.append("BROKEN LIST " + w.problem)
    return [(n - list_off, gdb.Value(n - list_off).cast(ktype.pointer()).dereference())
            for n in w.nodes]


def cpu_cached(s, c):
    """Objects in CPU c's array: top points one past the last (mm/slab_internal.h)."""
    top = s["cpu"][c]["top"]
    if int(top) == 0:
        return 0
    return (int(top) - int(s["cpu_objs"][c][0].address)) // 4


def cache_info(s, nr_cpus):
    """The figures of the kernel's kmem_cache_get_info (mm/slab_report.c)."""
    cached = sum(cpu_cached(s, c) for c in range(nr_cpus))
    return dict(name=cache_name(s), num_slabs=uint(s["nr_slabs"]),
                num_objs=uint(s["nr_slabs"]) * uint(s["objects"]),
                active_objs=(uint(s["inuse"]) - cached) & 0xFFFFFFFF, objsize=uint(s["size"]),
                objperslab=uint(s["objects"]), pagesperslab=1 << uint(s["order"]),
                cpu_cached=cached, quarantined=uint(s["nr_quarantined"]))


def check_cache(mm, addr, s, nr_cpus):
    """Problems of one cache: its slab lists and per-CPU arrays."""
    problems = []
    name = cache_name(s)
    nr_slabs, nr_partial, nr_empty = (uint(s[f]) for f in ("nr_slabs", "nr_partial", "nr_empty"))
    full = (nr_slabs - nr_partial - nr_empty) & 0xFFFFFFFF
    slab_bit = 1 << mm.flag_bit["slab"]
    seen = 0
    for field, claimed in (("partial", nr_partial), ("full", full), ("empty", nr_empty)):
        head = uint(s[field].address)
        w = ListWalk(head, f"cache {name} {field} slabs", min(claimed, mm.max_pfn) + 1,
                     describe=mm.describe, check_node=mm.check_lru_node)
        if w.problem:
            problems.append("BROKEN LIST " + w.problem)
            continue
        if len(w.nodes) != claimed:
            problems.append(f"COUNT MISMATCH cache {name} {field} slabs: the counters say "
                            f"{claimed}, the list has {len(w.nodes)}")
        seen += len(w.nodes)
        for node in w.nodes:
            pfn = mm.lru_pfn(node)
            p = mm.page(pfn)
            flags, owner = uint(p["flags"]), uint(p["slab_cache"])
            if not flags & slab_bit:
                problems.append(f"cache {name} {field} slabs: pfn 0x{pfn:x} has no PG_slab "
                                f"(flags 0x{flags:x}({mm.flags_text(flags)}))")
            if owner != addr:
                problems.append(f"cache {name} {field} slabs: pfn 0x{pfn:x}'s slab_cache is "
                                f"0x{owner:08x}, not this cache (0x{addr:08x})")
    limit = uint(s["limit"])
    for c in range(nr_cpus):
        avail = cpu_cached(s, c)
        if avail > limit:
            problems.append(f"cache {name} cpu {c}: {avail} cached objects, more than its "
                            f"limit {limit}")
    return problems


@command
class HlSlabinfo(HlCommand):
    """the slab caches, as /proc/slabinfo (the kernel's show_slabinfo); then
    checks every cache's slab lists, counts and per-CPU arrays."""
    NAME = "hl-slabinfo"

    def run(self, arg):
        if not has_symbol("slab_caches"):
            out("slabinfo: this kernel has no slab allocator (no symbol slab_caches)")
            return
        mm = MM()
        problems = []
        caches = slab_caches(problems)
        nr_cpus = array_len(caches[0][1]["cpu"]) if caches else 0
        out("slabinfo - version: 2.1")
        out("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
            " <num_slabs> <sharedavail>")
        for addr, s in caches:
            i = cache_info(s, nr_cpus)
            out("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d" % (
                i["name"], i["active_objs"], i["num_objs"], i["objsize"], i["objperslab"],
                i["pagesperslab"], 0, 0, 0, i["num_slabs"], i["num_slabs"], 0))
        for addr, s in caches:
            problems += check_cache(mm, addr, s, nr_cpus)
        for p in problems:
            out(f"{self.NAME}: {p}")
