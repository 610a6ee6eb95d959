"""memsnap.py - hl-memsnap FILE: the memview snapshot (docs/memview.md) of a
stopped kernel, read from outside through gdb, for tools/memview to draw.

It writes what the monitor's `memsnap` writes for the first two parts:
every frame's owner kind, zone and free order as runs (the same decision
order as mm/page_owner_kind.c, from mem_map, zones, memblock, the vmalloc
tree and the pkmap slots), and the kernel's gigabyte (regions, vmalloc
areas with their callers, pkmap slots, fixmap slots). The third part,
processes, is left out (a "note" line says so): use the monitor's
`memsnap PID` or /proc/highland/memsnap for those. Because the kernel is
stopped, this snapshot is exact where a live one is a sequence of looks.
"""
import gdb

from .core import HlCommand, command, const, format_caller, out, read_bytes, symbol_value, uint
from .core import has_symbol, offset_of
from .mm import MM
from .paging import Fixmap, PageWalk, TableReader, enum_const
from .vmalloc import BusyTree

KINDS = ["hole", "reserved", "kernel", "mem_map", "free", "pcp", "slab", "kmalloc_large",
         "pagetable", "vmalloc", "anon", "pagecache", "swapcache", "pkmap", "kernel_other"]
PAGE = 4096
PFN_4G = 1 << 20
CHUNK = 1 << 20  # bytes of mem_map read at a time
VM_ALLOC = 0x1  # include/vmalloc.h (a #define: not in DWARF)


def _member_offset(t, name):
    """Byte offset of member name in struct t, looking into anonymous unions
    (struct page's mapping shares one with slab_cache)."""
    for f in t.fields():
        if f.name == name:
            return f.bitpos // 8
        if f.name is None:
            try:
                return f.bitpos // 8 + _member_offset(f.type.strip_typedefs(), name)
            except gdb.GdbError:
                pass
    raise gdb.GdbError(f"struct page has no member {name}: hl-memsnap needs updating")


class Frames:
    """mem_map read in chunks; fields of one struct page by pfn."""

    def __init__(self, mm):
        self.mm, self.size = mm, mm.page_size
        self.off = {f: offset_of("struct page", f) for f in ("flags", "_refcount", "_mapcount", "private")}
        self.off["mapping"] = _member_offset(gdb.lookup_type("struct page"), "mapping")
        self.base, self.buf = None, b""

    def _u32(self, pfn, field):
        a = pfn * self.size + self.off[field]
        if self.base is None or not (self.base <= a < self.base + len(self.buf) - 4):
            self.base = a - a % CHUNK
            n = min(CHUNK + 64, self.mm.max_pfn * self.size - self.base)
            self.buf = read_bytes(self.mm.mem_map + self.base, n)
        return int.from_bytes(self.buf[a - self.base:a - self.base + 4], "little")

    def flags(self, pfn):
        return self._u32(pfn, "flags")

    def signed(self, pfn, field):
        v = self._u32(pfn, field)
        return v - (1 << 32) if v & 0x80000000 else v


class Classifier:
    def __init__(self, mm, frames, ram, image, memmap, vmalloc_pfns, pkmap_pfns):
        self.mm, self.f = mm, frames
        self.ram, self.image, self.memmap = ram, image, memmap
        self.vmalloc, self.pkmap = vmalloc_pfns, pkmap_pfns
        self.bit = {n: 1 << b for n, b in mm.flag_bit.items()}
        self.max_order = mm.max_order

    def _free_head(self, pfn):
        for o in range(self.max_order):
            head = pfn & ~((1 << o) - 1)
            if self.f.flags(head) & self.bit["buddy"]:
                order = self.f._u32(head, "private")
                if order < self.max_order and pfn < head + (1 << order):
                    return order
        return None

    def _alloc_head(self, pfn):
        for o in range(1, self.max_order):
            head = pfn & ~((1 << o) - 1)
            order = self.f._u32(head, "private")
            if self.f.flags(head) & self.bit["head"] and order < self.max_order and pfn < head + (1 << order):
                return head
        return pfn

    def _of_page(self, pfn, fl):
        b, mapping = self.bit, self.f._u32(pfn, "mapping")
        if fl & b["slab"]:
            return "slab"
        if fl & b["large_kmalloc"]:
            return "kmalloc_large"
        if fl & b.get("table", 0):
            return "pagetable"
        if pfn in self.vmalloc:
            return "vmalloc"
        if fl & b.get("swapcache", 0):
            return "swapcache"
        if mapping & 1:
            return "anon"
        if mapping:
            return "pagecache"
        if self.f.signed(pfn, "_mapcount") >= 0:
            return "anon"
        if pfn in self.pkmap:
            return "pkmap"
        return "kernel_other"

    def kind(self, pfn):
        """(kind, order) of frame pfn."""
        if not any(s <= pfn < e for s, e in self.ram):
            return "hole", 0
        if self.image[0] <= pfn < self.image[1]:
            return "kernel", 0
        if self.memmap[0] <= pfn < self.memmap[1]:
            return "mem_map", 0
        fl = self.f.flags(pfn)
        if fl & self.bit["reserved"]:
            return "reserved", 0
        if fl & self.bit["pcp"]:
            return "pcp", 0
        if self.f.signed(pfn, "_refcount") == 0:
            order = self._free_head(pfn)
            if order is not None:
                return "free", order
        if fl & self.bit["tail"]:
            head = self._alloc_head(pfn)
            if head != pfn:
                hf = self.f.flags(head)
                if hf & self.bit["large_kmalloc"]:
                    return "kmalloc_large", 0
                if self._of_page(head, hf) == "slab":
                    return "slab", 0
        return self._of_page(pfn, fl), 0


def _pfn_of(va, reader):
    w = PageWalk(va, reader)
    return None if w.stopped or w.phys is None else w.phys >> 12


def snapshot():
    mm, reader, fix = MM(), TableReader(), Fixmap()
    page_offset = const("PAGE_OFFSET")
    mem = symbol_value("memblock")["memory"]
    ram = [((uint(r["base"]) + PAGE - 1) // PAGE, (uint(r["base"]) + uint(r["size"])) // PAGE)
           for r in (mem["regions"][i] for i in range(int(mem["cnt"])))]
    image = (uint(symbol_value("&__boot_start")) // PAGE,
             (uint(symbol_value("&_end")) - page_offset + PAGE - 1) // PAGE)
    mm_pa = mm.mem_map - page_offset
    memmap = (mm_pa // PAGE, (mm_pa + mm.max_pfn * mm.page_size + PAGE - 1) // PAGE)
    vstart = uint(symbol_value("vmalloc_start"))
    vend = fix.pkmap_base - 2 * PAGE
    tree = BusyTree(vstart, vend)
    vmalloc_pfns = set()
    for _, a in tree.areas:
        if int(a["flags"]) & VM_ALLOC:
            for i in range(int(a["nr_pages"])):
                p = _pfn_of(uint(a["node"]["start"]) + i * PAGE, reader)
                if p is not None:
                    vmalloc_pfns.add(p)
    last = const("LAST_PKMAP")
    counts = symbol_value("pkmap_count") if has_symbol("pkmap_count") else None
    pk = []
    for i in range(last):
        cnt = int(counts[i]) if counts is not None else 0
        pfn = _pfn_of(fix.pkmap_base + i * PAGE, reader)
        if cnt or pfn is not None:
            pk.append((i, cnt, pfn))
    pkmap_pfns = {p for _, c, p in pk if c and p is not None}
    cls = Classifier(mm, Frames(mm), ram, image, memmap, vmalloc_pfns, pkmap_pfns)

    zones = [(mm.zone_name(i), mm.zone(i)) for i in range(mm.nr_zones)]
    managed = [uint(z["managed_pages"]) for _, z in zones]
    free = [uint(z["free_pages"]) for _, z in zones]
    hi = mm.zone_highmem
    cpus = sum(1 for c in range(fix.nr_cpus) if _online(c))
    lines = ["memsnap-begin v1",
             "machine max_pfn=%#x max_low_pfn=%#x page_offset=%#x high_memory=%#x cpus=%d nr_cpus=%d "
             "page_size=%d" % (mm.max_pfn, mm.max_low_pfn, page_offset, uint(symbol_value("high_memory")),
                               cpus, fix.nr_cpus, PAGE),
             "meminfo MemTotal=%d MemFree=%d HighTotal=%d HighFree=%d" % (sum(managed), sum(free), managed[hi], free[hi])]
    for (name, z), f in zip(zones, free):
        start, span = uint(z["zone_start_pfn"]), uint(z["spanned_pages"])
        lines.append("zone %s start=%#x end=%#x present=%d managed=%d free=%d" % (
            name, start, start + span, uint(z["present_pages"]), uint(z["managed_pages"]), f))
    lines.append("kinds " + " ".join(KINDS))
    lines.append("note taken by gdb's hl-memsnap from a stopped kernel; processes are not included "
                 "(the monitor's memsnap PID has them)")
    lines += ["ram %#x %#x" % r for r in ram]
    lines += ["image %#x %#x" % image, "mem_map %#x %#x" % memmap]
    lines += _runs(cls, mm, zones)
    lines += _virtual(fix, tree, pk, vstart, vend, reader)
    lines.append("memsnap-end")
    return lines


def _online(cpu):
    try:
        return bool(symbol_value("cpu_locals")[cpu]["online"])
    except (gdb.error, gdb.GdbError):
        return cpu == 0


def _runs(cls, mm, zones):
    out_lines, pfn = [], 0
    bounds = sorted({uint(z["zone_start_pfn"]) for _, z in zones} | {PFN_4G})
    while pfn < mm.max_pfn:
        kind, order = cls.kind(pfn)
        zone = mm.page_zonenum(cls.f.flags(pfn))
        stop = min([b for b in bounds if b > pfn] + [mm.max_pfn])
        n = 1
        while pfn + n < stop and cls.kind(pfn + n) == (kind, order):
            n += 1
        out_lines.append("run %#x %d %s %d %s" % (pfn, n, kind, order, mm.zone_name(zone)))
        pfn += n
    return out_lines


def _virtual(fix, tree, pk, vstart, vend, reader):
    high = uint(symbol_value("high_memory"))
    page_offset = const("PAGE_OFFSET")
    pk_end = fix.pkmap_base + const("LAST_PKMAP") * PAGE
    lines = ["virt lowmem %#x %#x" % (page_offset, high), "virt gap %#x %#x" % (high, vstart),
             "virt vmalloc %#x %#x" % (vstart, vend), "virt guard %#x %#x" % (vend, fix.pkmap_base),
             "virt pkmap %#x %#x" % (fix.pkmap_base, pk_end), "virt unused %#x %#x" % (pk_end, fix.start),
             "virt fixmap %#x %#x" % (fix.start, fix.top), "virt top %#x 0x0" % fix.top]
    for _, a in tree.areas:
        kind = "vmalloc" if int(a["flags"]) & VM_ALLOC else "vmap"
        lines.append("vmap %#x %#x %d %s %s" % (uint(a["node"]["start"]), uint(a["node"]["end"]),
                                               int(a["nr_pages"]), kind, format_caller(uint(a["caller"]))))
    for i, cnt, pfn in pk:
        lines.append("pkmap %d %d %#x" % (i, cnt, pfn if pfn is not None else 0xFFFFFFFF))
    names = {enum_const("FIX_APIC_BASE", 0): "apic", enum_const("FIX_IO_APIC", 1): "ioapic"}
    for idx in range(fix.end):
        pfn = _pfn_of(fix.fix_to_virt(idx), reader)
        cpu = slot = -1
        what = names.get(idx, "acpi")
        if idx >= fix.kmap_begin:
            what, cpu, slot = "kmap", (idx - fix.kmap_begin) // fix.km_max, (idx - fix.kmap_begin) % fix.km_max
        lines.append("fixmap %d %#x %s %d %d %#x" % (idx, fix.fix_to_virt(idx), what, cpu, slot,
                                                     pfn if pfn is not None else (1 << 64) - 1))
    return lines


@command
class HlMemsnap(HlCommand):
    """the memview snapshot of the stopped kernel (frames, kernel gigabyte) into FILE."""
    NAME = "hl-memsnap"
    USAGE = "FILE"

    def run(self, arg):
        if not arg:
            raise gdb.GdbError("hl-memsnap: give a FILE to write (then: tools/memview FILE -o page.html)")
        lines = snapshot()
        try:
            with open(arg, "w") as f:
                f.write("\n".join(lines) + "\n")
        except OSError as e:
            raise gdb.GdbError(f"hl-memsnap: cannot write {arg}: {e}")
        runs = sum(1 for l in lines if l.startswith("run "))
        out(f"hl-memsnap: {len(lines)} lines ({runs} runs of frames) written to {arg}; "
            f"draw it with: tools/memview {arg} -o memview.html")
