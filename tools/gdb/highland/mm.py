"""mm.py - the page allocator seen from gdb: hl-meminfo, hl-buddyinfo,
hl-zoneinfo (the kernel's own reports, same format and numbers: compare
mm/page_reports.c), hl-freelist (every free list walked and checked, as
check_free_areas does) and hl-page (one struct page, decoded).

Reads zones[], mem_map and the struct pages through gdb only.
"""
import gdb

from .core import (HlCommand, ListWalk, PAGE_SIZE, array_len, command, const, format_caller,
                   has_symbol, lookup_type, offset_of, out, poison_name, symbol_value, uint)


def parse_number(arg, what):
    """An expression gdb understands (0x10, 4096, max_pfn-1, $var)."""
    if not arg:
        raise gdb.GdbError(f"missing {what}")
    try:
        return int(gdb.parse_and_eval(arg)) & 0xFFFFFFFF
    except gdb.error as e:
        raise gdb.GdbError(f"bad {what} '{arg}': {e}")


class MM:
    """Snapshot of the page allocator's global shape (addresses, sizes), read
    when a command starts; page and zone contents are read on demand."""

    def __init__(self):
        self.zones = symbol_value("zones")
        self.nr_zones = array_len(self.zones) or int(gdb.parse_and_eval("MAX_NR_ZONES"))
        self.zones_addr = uint(self.zones.address)
        self.zone_size = lookup_type("struct zone").sizeof
        self.mem_map = uint(symbol_value("mem_map"))
        self.max_pfn = uint(symbol_value("max_pfn"))
        self.max_low_pfn = uint(symbol_value("max_low_pfn"))
        self.page_type = lookup_type("struct page")
        self.page_size = self.page_type.sizeof
        self.lru_off = offset_of("struct page", "lru")
        self.max_order = array_len(self.zones[0]["free_area"])
        self.nr_cpus = array_len(self.zones[0]["pcp"])
        self.zone_highmem = int(gdb.parse_and_eval("ZONE_HIGHMEM"))
        self.zones_shift = const("ZONES_SHIFT")
        self.zones_mask = const("ZONES_MASK")
        self.flag_names = {}
        for f in lookup_type("enum pageflags").fields():
            if f.name.startswith("PG_"):
                self.flag_names[f.enumval] = f.name[3:]
        self.flag_bit = {name: bit for bit, name in self.flag_names.items()}
        self._heads = None
        self._slab_heads = None

    # ---- zones
    def zone(self, i):
        return self.zones[i]

    def zone_name(self, i):
        try:
            return self.zones[i]["name"].string()
        except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
            return f"zone{i}"

    def populated(self, i):
        return uint(self.zones[i]["present_pages"]) != 0

    def zone_by_arg(self, arg):
        for i in range(self.nr_zones):
            if arg.lower() == self.zone_name(i).lower() or arg == str(i):
                return i
        names = ", ".join(self.zone_name(i) for i in range(self.nr_zones))
        raise gdb.GdbError(f"no zone '{arg}' (zones: {names}, or their numbers)")

    def list_heads(self):
        """{address of a list head in zones[]: its name}"""
        if self._heads is None:
            self._heads = {}
            for i in range(self.nr_zones):
                z, name = self.zones[i], self.zone_name(i)
                for o in range(self.max_order):
                    a = uint(z["free_area"][o]["free_list"].address)
                    self._heads[a] = f"zones[{i}].free_area[{o}].free_list, zone {name}"
                for c in range(self.nr_cpus):
                    for o in range(self.nr_pcp_lists):
                        a = uint(z["pcp"][c]["lists"][o].address)
                        self._heads[a] = f"zones[{i}].pcp[{c}].lists[{o}], zone {name}"
        return self._heads

    def slab_list_heads(self):
        """{address of a slab cache's partial/full/empty list head: its name}"""
        if self._slab_heads is None:
            self._slab_heads = {}
            try:
                ktype = lookup_type("struct kmem_cache")
                off = offset_of("struct kmem_cache", "list")
                w = ListWalk(uint(symbol_value("&slab_caches")), "slab_caches", 4096)
                for node in w.nodes:
                    c = gdb.Value(node - off).cast(ktype.pointer()).dereference()
                    for f in ("partial", "full", "empty"):
                        self._slab_heads[uint(c[f].address)] = (
                            f"of cache {c['name'].string()}'s {f} slabs")
            except (gdb.error, gdb.GdbError, gdb.MemoryError, UnicodeDecodeError):
                pass  # no slab allocator (or a broken one: hl-slabinfo says)
        return self._slab_heads

    # ---- pages
    def page_addr(self, pfn):
        return (self.mem_map + pfn * self.page_size) & 0xFFFFFFFF

    def page_pfn(self, addr):
        """pfn of the struct page at addr, or None if addr is not one."""
        off = (addr - self.mem_map) & 0xFFFFFFFF
        if off % self.page_size or off // self.page_size >= self.max_pfn:
            return None
        return off // self.page_size

    def lru_pfn(self, node):
        """pfn of the struct page whose lru is at node, or None."""
        return self.page_pfn((node - self.lru_off) & 0xFFFFFFFF)

    def page(self, pfn):
        v = gdb.Value(self.page_addr(pfn)).cast(self.page_type.pointer()).dereference()
        v.fetch_lazy()
        return v

    def flags_text(self, flags):
        """'buddy|highmem' for the PG_* bits of flags (zone bits left out)."""
        names, zone_bits = [], self.zones_mask << self.zones_shift
        for bit in range(32):
            if flags & (1 << bit) and not (1 << bit) & zone_bits:
                names.append(self.flag_names.get(bit, f"bit{bit}"))
        return "|".join(names)

    def page_zonenum(self, flags):
        return (flags >> self.zones_shift) & self.zones_mask

    def has(self, flags, name):
        return bool(flags & (1 << self.flag_bit[name]))

    def describe(self, addr):
        """What a list pointer points at, for messages."""
        pfn = self.lru_pfn(addr)
        if pfn is not None:
            return f"pfn 0x{pfn:x}"
        if addr == 0:
            return "NULL"
        if poison_name(addr):
            return poison_name(addr)
        head = self.list_heads().get(addr)
        if head:
            return "head " + head
        head = self.slab_list_heads().get(addr)
        if head:
            return "head " + head
        if self.page_pfn(addr) is not None:
            return f"struct page of pfn 0x{self.page_pfn(addr):x}, not its lru field"
        if addr >= const("PAGE_OFFSET"):  # kernel symbols only, not the boot stub's
            try:
                s = gdb.execute(f"info symbol 0x{addr:x}", to_string=True).strip()
                if not s.startswith("No symbol"):
                    return s.split(" in section")[0]
            except gdb.error:
                pass
        return "not a struct page"

    def check_lru_node(self, addr):
        """None if addr is the lru field of a struct page in mem_map."""
        if self.lru_pfn(addr) is not None:
            return None
        return "not the lru field of a struct page in mem_map (" + self.describe(addr) + ")"

    def walk_page_list(self, head, name, claimed, zone_index):
        spanned = uint(self.zones[zone_index]["spanned_pages"])
        limit = min(claimed & 0xFFFFFFFF, spanned) + 1
        return ListWalk(head, name, limit, describe=self.describe, check_node=self.check_lru_node)

    def free_list_walk(self, i, o):
        fa = self.zones[i]["free_area"][o]
        return self.walk_page_list(uint(fa["free_list"].address),
                                   f"zone {self.zone_name(i)} free_area[{o}]",
                                   uint(fa["nr_free"]), i)

    @property
    def nr_pcp_lists(self):
        """Per-CPU lists per CPU: one per order up to PAGE_ALLOC_COSTLY_ORDER."""
        return array_len(self.zones[0]["pcp"][0]["lists"])

    def pcp_walk(self, i, cpu, order):
        """CPU cpu's list of order-`order` blocks in zone i (count is in pages)."""
        pcp = self.zones[i]["pcp"][cpu]
        return self.walk_page_list(uint(pcp["lists"][order].address),
                                   f"zone {self.zone_name(i)} cpu {cpu} order-{order} per-CPU list",
                                   int(pcp["count"]) >> order, i)


def kb(pages):
    return pages << (const("PAGE_SHIFT") - 10)


def check_lists(mm, i, free=True, pcp=True):
    """Walk zone i's free lists and/or per-CPU lists, checking links and
    counts. Returns (problems, walks): one line per problem ("BROKEN LIST
    ..." or "COUNT MISMATCH ..."), and [(kind, order or cpu, ListWalk)]."""
    problems, walks = [], []
    z, name = mm.zones[i], mm.zone_name(i)
    lists = []
    if free:
        lists += [("free", o, mm.free_list_walk, uint(z["free_area"][o]["nr_free"]), "nr_free")
                  for o in range(mm.max_order)]
    for kind, n, walk, claimed, field in lists:
        w = walk(i, n)
        walks.append((kind, n, w))
        if w.problem:
            problems.append("BROKEN LIST " + w.problem)
        elif len(w.nodes) != claimed:
            problems.append(f"COUNT MISMATCH {w.name}: {field} is {claimed}, the list has "
                            f"{len(w.nodes)}")
    # per-CPU lists: one per order; count is the pages on all of a CPU's lists
    for c in range(mm.nr_cpus if pcp else 0):
        claimed, seen, broken = int(z["pcp"][c]["count"]), 0, False
        for o in range(mm.nr_pcp_lists):
            w = mm.pcp_walk(i, c, o)
            walks.append(("pcp", o, w))
            if w.problem:
                problems.append("BROKEN LIST " + w.problem)
                broken = True
            seen += len(w.nodes) << o
        if not broken and seen != claimed:
            problems.append(f"COUNT MISMATCH zone {name} cpu {c} per-CPU lists: count is "
                            f"{claimed}, the lists have {seen}")
    return problems, walks


def report_problems(cmd, problems):
    for p in problems:
        out(f"{cmd}: {p}")


def lock_note(mm, cmd):
    """A zone lock held where gdb stopped: counts may be mid-update."""
    for i in range(mm.nr_zones):
        lock = mm.zones[i]["lock"]
        try:
            held = int(lock["next"]) != int(lock["owner"])
        except gdb.error:
            continue
        if held:
            out(f"{cmd}: note: zone {mm.zone_name(i)}'s lock is held (cpu "
                f"{int(lock['cpu'])}): lists and counts may be in the middle of a change")


@command
class HlMeminfo(HlCommand):
    """MemTotal, MemFree, HighTotal, ... as the kernel's show_meminfo."""
    NAME = "hl-meminfo"

    def run(self, arg):
        mm = MM()
        total = sum(uint(mm.zones[i]["managed_pages"]) for i in range(mm.nr_zones))
        free = sum(uint(mm.zones[i]["free_pages"]) for i in range(mm.nr_zones))
        high_total = uint(mm.zones[mm.zone_highmem]["managed_pages"])
        high_free = uint(mm.zones[mm.zone_highmem]["free_pages"])
        lines = [("MemTotal:", kb(total)), ("MemFree:", kb(free)),
                 ("HighTotal:", kb(high_total)), ("HighFree:", kb(high_free)),
                 ("LowTotal:", kb(total - high_total)), ("LowFree:", kb(free - high_free))]
        # The process lines (mm/page_reports.c; counters are longs, a
        # transient negative reads as 0 there too).
        def pages(name):
            v = uint(symbol_value(name))
            return 0 if v >= 1 << 31 else v
        procs = has_symbol("nr_anon_mapped")
        if procs:
            lines += [("SwapTotal:", 0), ("SwapFree:", 0), ("Dirty:", 0), ("Writeback:", 0),
                      ("AnonPages:", kb(pages("nr_anon_mapped"))),
                      ("Mapped:", kb(pages("nr_file_mapped")))]
        # The lines the slab and vmalloc allocators add, when the kernel has them.
        if has_symbol("slab_nr_pages"):
            lines.append(("Slab:", kb(uint(symbol_value("slab_nr_pages")))))
        if procs:
            lines.append(("PageTables:", kb(pages("nr_pagetable_pages"))))
        if has_symbol("nr_vmalloc_pages"):
            from .paging import Fixmap  # noqa: E402 (paging imports this module)
            vmalloc_end = Fixmap().pkmap_base - 2 * PAGE_SIZE  # VMALLOC_END, layout.h
            lines.append(("VmallocTotal:",
                          (vmalloc_end - uint(symbol_value("vmalloc_start"))) >> 10))
            lines.append(("VmallocUsed:", kb(uint(symbol_value("nr_vmalloc_pages")))))
        for label, value in lines:
            out(f"{label:<16}{value:>8} kB")


@command
class HlBuddyinfo(HlCommand):
    """free blocks per zone and order, as /proc/buddyinfo; then walks every free
    list, checking its links and nr_free, and names any broken one."""
    NAME = "hl-buddyinfo"

    def run(self, arg):
        mm = MM()
        problems = []
        for i in range(mm.nr_zones):
            if not mm.populated(i):
                continue
            fa = mm.zones[i]["free_area"]
            line = "Node 0, zone %8s " % mm.zone_name(i)
            line += "".join("%6d " % uint(fa[o]["nr_free"]) for o in range(mm.max_order))
            out(line)
            problems += check_lists(mm, i, pcp=False)[0]
        report_problems(self.NAME, problems)
        lock_note(mm, self.NAME)


@command
class HlZoneinfo(HlCommand):
    """each zone's counters, watermarks and per-CPU lists, as /proc/zoneinfo
    (the kernel's show_zoneinfo); then checks the per-CPU lists' links."""
    NAME = "hl-zoneinfo"

    def run(self, arg):
        mm = MM()
        problems = []
        for i in range(mm.nr_zones):
            z = mm.zones[i]
            wm = z["watermark"]
            out("Node 0, zone %8s" % mm.zone_name(i))
            out(f"  pages free     {uint(z['free_pages'])}")
            out(f"        min      {uint(wm[0])}")
            out(f"        low      {uint(wm[1])}")
            out(f"        high     {uint(wm[2])}")
            out(f"        spanned  {uint(z['spanned_pages'])}")
            out(f"        present  {uint(z['present_pages'])}")
            out(f"        managed  {uint(z['managed_pages'])}")
            lr = [uint(z["lowmem_reserve"][j]) for j in range(array_len(z["lowmem_reserve"]))]
            lr.append(lr[mm.zone_highmem])  # Linux's ZONE_MOVABLE column (page_reports.c)
            out("        protection: (%s)" % ", ".join(str(x) for x in lr))
            if not mm.populated(i):
                continue
            # the zone counters (mm/page_reports.c print_zone_lru): free, LRU lists
            out(f"      nr_free_pages {uint(z['free_pages'])}")
            lru = ("inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable")
            for k, name in enumerate(lru):
                out(f"      nr_zone_{name} {uint(z['lruvec']['nr'][k])}")
            out("  pagesets")
            for c in range(mm.nr_cpus):
                pcp = z["pcp"][c]
                if c and not int(pcp["count"]):
                    continue
                out(f"    cpu: {c}")
                out(f"              count: {int(pcp['count'])}")
                out(f"              high:  {int(pcp['high'])}")
                out(f"              batch: {int(pcp['batch'])}")
            out(f"  start_pfn:           {uint(z['zone_start_pfn'])}")
            problems += check_lists(mm, i, free=False)[0]
        report_problems(self.NAME, problems)
        lock_note(mm, self.NAME)


def check_block(mm, i, o, pfn):
    """What is wrong with the block at pfn on zone i's free_area[o] (as the
    kernel's check_block in mm/page_check.c)."""
    z = mm.zones[i]
    p = mm.page(pfn)
    flags, why = uint(p["flags"]), []
    start, end = uint(z["zone_start_pfn"]), uint(z["zone_start_pfn"]) + uint(z["spanned_pages"])
    if not mm.has(flags, "buddy"):
        why.append("no PG_buddy")
    if uint(p["private"]) != o:
        why.append(f"its order (private) is {uint(p['private'])}")
    if pfn & ((1 << o) - 1):
        why.append(f"not aligned to {1 << o} pages")
    if pfn < start or pfn + (1 << o) > end:
        why.append(f"outside the zone [0x{start:x}-0x{end:x})")
    if mm.page_zonenum(flags) != i:
        why.append(f"zone bits say zone {mm.page_zonenum(flags)}")
    bad = flags & sum(1 << mm.flag_bit[n] for n in ("reserved", "pcp", "head", "tail", "slab")
                      if n in mm.flag_bit)
    if bad:
        why.append(f"flags 0x{flags:x}({mm.flags_text(flags)})")
    if int(p["_refcount"]) != 0 or int(p["_mapcount"]) != -1:
        why.append(f"refcount {int(p['_refcount'])} mapcount {int(p['_mapcount']) + 1}")
    return why


def check_pcp_page(mm, i, pfn):
    """What is wrong with pfn on one of zone i's per-CPU lists."""
    p = mm.page(pfn)
    flags, why = uint(p["flags"]), []
    allowed = sum(1 << mm.flag_bit[n] for n in ("pcp", "highmem", "poisoned")
                  if n in mm.flag_bit) | (mm.zones_mask << mm.zones_shift)
    if not mm.has(flags, "pcp") or flags & ~allowed:
        why.append(f"flags 0x{flags:x}({mm.flags_text(flags)})")
    if mm.page_zonenum(flags) != i:
        why.append(f"zone bits say zone {mm.page_zonenum(flags)}")
    if int(p["_refcount"]) != 0 or int(p["_mapcount"]) != -1:
        why.append(f"refcount {int(p['_refcount'])} mapcount {int(p['_mapcount']) + 1}")
    return why


@command
class HlFreelist(HlCommand):
    """walk and check every free list (as the kernel's check_free_areas); with
    ZONE ORDER (or ZONE pcp [CPU]) list that list's blocks."""
    NAME = "hl-freelist"
    USAGE = "[ZONE [ORDER|pcp [CPU]]]"

    def run(self, arg):
        mm = MM()
        args = arg.split()
        if len(args) >= 2:
            return self.list_one(mm, mm.zone_by_arg(args[0]), args[1:])
        zones = [mm.zone_by_arg(args[0])] if args else range(mm.nr_zones)
        total = 0
        for i in zones:
            if not mm.populated(i):
                out(f"zone {mm.zone_name(i)}: empty")
                continue
            total += self.check_zone(mm, i)
        lock_note(mm, self.NAME)
        out(f"{self.NAME}: {total} problem(s)" if total else
            f"{self.NAME}: every free list is consistent")

    def check_zone(self, mm, i):
        z, name = mm.zones[i], mm.zone_name(i)
        problems, walks = check_lists(mm, i)
        blocks = pages = pcp_pages = 0
        counts = []
        for kind, n, w in walks:
            for node in w.nodes:
                pfn = mm.lru_pfn(node)
                if kind == "free":
                    why = check_block(mm, i, n, pfn)
                else:
                    why = check_pcp_page(mm, i, pfn)
                if why:
                    problems.append(f"{w.name}: pfn 0x{pfn:x}: " + ", ".join(why))
            if kind == "free":
                counts.append(len(w.nodes))
                blocks += len(w.nodes)
                pages += len(w.nodes) << n
            else:
                pcp_pages += len(w.nodes) << n
        free = uint(z["free_pages"])
        if not problems and pages + pcp_pages != free:
            problems.append(f"COUNT MISMATCH zone {name}: free_pages is {free}, the lists hold "
                            f"{pages + pcp_pages} (buddy {pages} + per-CPU {pcp_pages})")
        out(f"zone {name}: {blocks} free blocks ({' '.join(map(str, counts))}) = {pages} pages, "
            f"{pcp_pages} on per-CPU lists, free_pages {free}: "
            f"{'ok' if not problems else str(len(problems)) + ' problem(s)'}")
        for p in problems:
            out(f"  {self.NAME}: {p}")
        return len(problems)

    def list_one(self, mm, i, args):
        if args[0] == "pcp":
            cpus = [parse_number(args[1], "cpu")] if len(args) > 1 else range(mm.nr_cpus)
            for c in cpus:
                if c >= mm.nr_cpus:
                    raise gdb.GdbError(f"cpu {c} out of range (0..{mm.nr_cpus - 1})")
                for o in range(mm.nr_pcp_lists):
                    w = mm.pcp_walk(i, c, o)
                    self.print_walk(mm, w, o, len(w.nodes))
            return
        o = parse_number(args[0], "order")
        if o >= mm.max_order:
            raise gdb.GdbError(f"order {o} out of range (0..{mm.max_order - 1})")
        self.print_walk(mm, mm.free_list_walk(i, o), o,
                        uint(mm.zones[i]["free_area"][o]["nr_free"]))

    def print_walk(self, mm, w, o, claimed):
        out(f"{w.name}: {len(w.nodes)} entries (the kernel counts {claimed})")
        for n, node in enumerate(w.nodes, 1):
            pfn = mm.lru_pfn(node)
            pfns = f"0x{pfn:x}-0x{pfn + (1 << o) - 1:x}" if o else f"0x{pfn:x}"
            out(f"  {n:4}: pfn {pfns} page 0x{mm.page_addr(pfn):08x}")
        if w.problem:
            out(f"{self.NAME}: BROKEN LIST {w.problem}")


def slab_cache_name(addr):
    """'kmalloc-64 (0xc01e4000)' for the struct kmem_cache at addr."""
    try:
        s = gdb.Value(addr).cast(gdb.lookup_type("struct kmem_cache").pointer()).dereference()
        return f"{s['name'].string()} (0x{addr:08x})"
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return f"at 0x{addr:08x} (index)"


def slab_freelist_text(first):
    return "none" if first == 0xFFFFFFFF else f"number {first}"  # FREELIST_END


def slab_cache_order(addr):
    try:
        s = gdb.Value(addr).cast(gdb.lookup_type("struct kmem_cache").pointer()).dereference()
        return uint(s["order"])
    except (gdb.error, gdb.MemoryError):
        return None


def containing_block(mm, pfn, want):
    """(head pfn, order) of the block containing pfn whose head has flag
    `want` (buddy: a free block, head: an allocated one), or None."""
    for o in range(1, mm.max_order):
        base = pfn & ~((1 << o) - 1)
        if base == pfn:
            continue
        try:
            p = mm.page(base)
        except gdb.MemoryError:
            return None
        flags, order = uint(p["flags"]), uint(p["private"])
        if mm.has(flags, want) and order >= o and pfn < base + (1 << order):
            return base, order
    return None


def last_caller_text(pfn):
    """The page's last alloc/free caller from the page_ext side table
    (include/mm.h), which exists only with page_owner=on or debug_pagealloc=on."""
    table = gdb.parse_and_eval("page_ext_table")
    if uint(table) == 0:
        return "not recorded (page_owner=on records it)"
    return format_caller(uint(table[pfn]["last_caller"]))


@command
class HlPage(HlCommand):
    """one struct page, decoded: flags by name, zone, counts, order, state, lru
    links, last alloc/free caller."""
    NAME = "hl-page"
    USAGE = "PFN"

    def run(self, arg):
        mm = MM()
        pfn = parse_number(arg, "pfn (usage: hl-page PFN)")
        if pfn >= mm.max_pfn:
            raise gdb.GdbError(f"pfn 0x{pfn:x} is beyond max_pfn 0x{mm.max_pfn:x}: no struct page")
        p = mm.page(pfn)
        flags = uint(p["flags"])
        zi = mm.page_zonenum(flags)
        zname = mm.zone_name(zi) if zi < mm.nr_zones else "?"
        order = uint(p["private"])
        has_order = any(mm.has(flags, n) for n in ("buddy", "head", "large_kmalloc")
                        if n in mm.flag_bit)
        if "slab" in mm.flag_bit and mm.has(flags, "slab"):
            # a slab's private is its freelist; its order is its cache's
            order = slab_cache_order(uint(p["slab_cache"]))
            has_order = order is not None
        out(f"page:0x{mm.page_addr(pfn):08x} pfn:0x{pfn:x} refcount:{int(p['_refcount'])} "
            f"mapcount:{int(p['_mapcount']) + 1} order:{order if has_order else '-'} "
            f"zone:{zname}")
        out(f"flags: 0x{flags:x}({mm.flags_text(flags)})")
        phys = pfn << const("PAGE_SHIFT")
        where = ("lowmem, kernel address 0x%08x" % (phys + const("PAGE_OFFSET"))
                 if pfn < mm.max_low_pfn else "highmem, no permanent kernel address")
        out(f"phys: 0x{phys:09x} ({where})")
        out("state: " + self.state(mm, pfn, p, flags, order))
        nxt, prv = uint(p["lru"]["next"]), uint(p["lru"]["prev"])
        out(f"lru: next 0x{nxt:08x} ({mm.describe(nxt)}) prev 0x{prv:08x} ({mm.describe(prv)})")
        if "slab" in mm.flag_bit and mm.has(flags, "slab"):
            out(f"private: {uint(p['private'])}  slab_cache: 0x{uint(p['slab_cache']):08x}  "
                f"inuse: {uint(p['inuse'])}")
        else:
            out(f"private: {uint(p['private'])}  mapping: 0x{uint(p['mapping']):08x}  "
                f"index: 0x{uint(p['index']):x}")
        out(f"last alloc/free by: {last_caller_text(pfn)}")

    def state(self, mm, pfn, p, flags, order):
        h = lambda n: n in mm.flag_bit and mm.has(flags, n)  # noqa: E731
        if h("reserved"):
            return "reserved (never given to the buddy allocator)"
        if h("buddy"):
            return (f"free: first page of an order-{order} block, pfn 0x{pfn:x}-"
                    f"0x{pfn + (1 << order) - 1:x}, on free_area[{order}]")
        if h("pcp"):
            return "free: on a per-CPU list (order 0)"
        if h("slab"):
            cache = uint(p["slab_cache"])
            if h("head"):  # a slab's first page: private and inuse are the slab's
                return (f"slab of cache {slab_cache_name(cache)}: {uint(p['inuse'])} objects "
                        f"in use, first free object {slab_freelist_text(uint(p['private']))}")
            return f"a page inside a slab of cache {slab_cache_name(cache)}"
        if h("large_kmalloc"):
            return f"allocated: a large kmalloc of order {order}"
        if h("head"):
            return (f"allocated: first page of an order-{order} block, pfn 0x{pfn:x}-"
                    f"0x{pfn + (1 << order) - 1:x}")
        if h("tail"):
            blk = containing_block(mm, pfn, "head")
            return (f"allocated: tail page of the order-{blk[1]} block at pfn 0x{blk[0]:x}"
                    if blk else "tail page, but no PG_head page found before it: corrupt?")
        blk = containing_block(mm, pfn, "buddy")
        if blk:
            return f"free: inside the order-{blk[1]} free block at pfn 0x{blk[0]:x}"
        return "no allocator state (refcount %d)" % int(p["_refcount"])
