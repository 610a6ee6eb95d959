"""paging.py - the kernel's page tables seen from gdb: hl-pagewalk (one PAE
walk from swapper_pg_dir), hl-kmap-atomic (each CPU's fixmap slot stack),
hl-pkmap (the kmap() window).

Page-table pages are read through their direct-map addresses (phys +
PAGE_OFFSET), which exist only for lowmem; every kernel page table is in
lowmem (arch/x86/paging.c allocates them from memblock below max_low_pfn).
A table anywhere else is reported, not read.
"""
import gdb

from .core import (HlCommand, PAGE_SIZE, address_of, array_len, command, const, has_symbol,
                   out, read_bytes, symbol_value, uint)
from .mm import MM, parse_number

PTE_PFN_MASK = 0x000FFFFFFFFFF000  # bits 12..51 (arch/x86/include/pgtable.h)
ENTRY_BITS = [(0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
              (7, "PS"), (8, "G"), (63, "NX")]
# A PDPT entry under PAE has only P, PWT, PCD and the address; bits 1, 2,
# 5..8 and 63 are reserved (a CPU refuses to load CR3 with them set). QEMU's
# TCG walker sets A (bit 5) in PDPT entries anyway, so that one is ignored.
PDPT_RESERVED = (1 << 1) | (1 << 2) | (0xE << 5) | (1 << 63)
LEVELS = ("PGD", "PMD", "PTE")


def entry_flags(e, level):
    names = []
    for bit, name in ENTRY_BITS:
        if e & (1 << bit):
            if bit == 7 and level == "PTE":
                name = "PAT"  # bit 7 of a 4 KB PTE
            names.append(name)
    return " ".join(names)


class TableReader:
    """Reads page-table pages (4 KB at a time, cached for one command)."""

    def __init__(self):
        self.page_offset = const("PAGE_OFFSET")
        self.lowmem_end = uint(symbol_value("max_low_pfn")) << const("PAGE_SHIFT")
        self.cache = {}

    def entry(self, table_phys, index):
        """(kernel address of the entry, its 64-bit value); None if the table
        is not in lowmem."""
        if table_phys >= self.lowmem_end:
            return None
        va = self.page_offset + table_phys + index * 8
        page = self.cache.get(table_phys)
        if page is None:
            page = read_bytes(self.page_offset + table_phys, PAGE_SIZE)
            self.cache[table_phys] = page
        return va, int.from_bytes(page[index * 8:index * 8 + 8], "little")

    def pgd_entry(self, pgd, index):
        """The PDPT entry `index` of the PDPT at kernel address pgd."""
        key = ("pgd", pgd)
        table = self.cache.get(key)
        if table is None:
            table = read_bytes(pgd, 32)
            self.cache[key] = table
        return int.from_bytes(table[index * 8:index * 8 + 8], "little")


class PageWalk:
    """The PAE walk of va from the PDPT at pgd (kernel address of
    swapper_pg_dir by default).

    .steps:  [(level, index, entry address, entry value)]
    .phys, .size: the physical address va maps to and the page size, or
    .stopped: (level, why) where the walk ended without a frame.
    """

    def __init__(self, va, reader=None, pgd=None):
        self.va = va & 0xFFFFFFFF
        self.reader = reader or TableReader()
        self.pgd = pgd if pgd is not None else address_of("swapper_pg_dir")
        self.steps, self.phys, self.size, self.stopped = [], None, None, None
        self.notes = []
        self._walk()

    def _walk(self):
        va = self.va
        idx = {"PGD": (va >> 30) & 3, "PMD": (va >> 21) & 511, "PTE": (va >> 12) & 511}
        a = self.pgd + idx["PGD"] * 8
        e = self.reader.pgd_entry(self.pgd, idx["PGD"])
        self.steps.append(("PGD", idx["PGD"], a, e))
        if not e & 1:
            self.stopped = ("PGD", f"PGD[{idx['PGD']}] not present")
            return
        if e & PDPT_RESERVED:
            self.notes.append(f"PGD[{idx['PGD']}] has reserved bits set (0x{e & PDPT_RESERVED:x}):"
                              f" a CPU refuses to load such a PDPT into CR3")
        table = e & PTE_PFN_MASK
        for level in ("PMD", "PTE"):
            r = self.reader.entry(table, idx[level])
            if r is None:
                self.stopped = (level, f"the {level} page at phys 0x{table:x} is not in lowmem: "
                                       f"gdb cannot read it through the direct map")
                return
            a, e = r
            self.steps.append((level, idx[level], a, e))
            if not e & 1:
                self.stopped = (level, f"{level}[{idx[level]}] not present")
                return
            if level == "PMD" and e & (1 << 7):
                self.size = 2 << 20
                self.phys = (e & PTE_PFN_MASK & ~(self.size - 1)) | (va & (self.size - 1))
                return
            table = e & PTE_PFN_MASK
        self.size = PAGE_SIZE
        self.phys = table | (va & (PAGE_SIZE - 1))

    @property
    def leaf(self):
        return self.steps[-1][3]

    def permissions(self):
        """'writable, NX, global, kernel-only' as the CPU would combine them."""
        lower = [e for lvl, _, _, e in self.steps if lvl != "PGD"]
        rw = all(e & 2 for e in lower)
        user = all(e & 4 for e in lower)
        nx = any(e & (1 << 63) for e in lower)
        glob = bool(self.leaf & (1 << 8))
        return ", ".join(["writable" if rw else "read-only", "NX" if nx else "executable",
                          "global" if glob else "not global", "user" if user else "kernel-only"])


def print_walk(w):
    out(f"VA 0x{w.va:08x}: PGD[{(w.va >> 30) & 3}] PMD[{(w.va >> 21) & 511}] "
        f"PTE[{(w.va >> 12) & 511}] offset 0x{w.va & 0xfff:x} "
        f"(from swapper_pg_dir at 0x{w.pgd:08x})")
    for level, i, a, e in w.steps:
        text = f"  {level}[{i}]".ljust(11) + f"at 0x{a:08x}: 0x{e:016x}"
        if not e & 1:
            out(text + "  not present")
            continue
        text += "  " + entry_flags(e, level)
        if level == "PMD" and e & (1 << 7):
            text += f" -> 2 MB page at phys 0x{e & PTE_PFN_MASK & ~((2 << 20) - 1):x}"
        elif level == "PTE":
            text += f" -> 4 KB page at phys 0x{e & PTE_PFN_MASK:x}"
        else:
            text += f" -> {LEVELS[LEVELS.index(level) + 1]} page at phys 0x{e & PTE_PFN_MASK:x}"
        out(text)
    for note in w.notes:
        out(f"  note: {note}")
    if w.stopped:
        out(f"  => walk stopped at the {w.stopped[0]}: {w.stopped[1]} "
            f"(VA 0x{w.va:08x} is not mapped)")
    else:
        kind = "2 MB" if w.size == 2 << 20 else "4 KB"
        out(f"  => phys 0x{w.phys:x} (pfn 0x{w.phys >> 12:x}): {kind} page, {w.permissions()}")


@command
class HlPagewalk(HlCommand):
    """the PAE walk of a kernel address from swapper_pg_dir: each entry with its
    flags, ending at the physical frame or where the walk stopped."""
    NAME = "hl-pagewalk"
    USAGE = "VA"

    def run(self, arg):
        va = parse_number(arg, "virtual address (usage: hl-pagewalk VA)")
        print_walk(PageWalk(va))


def enum_const(name, default):
    """An enumerator of the kernel (in DWARF when its enum type is used)."""
    try:
        return int(gdb.parse_and_eval(name))
    except (gdb.error, RuntimeError):
        return default


class Fixmap:
    """The fixmap and pkmap layout (include/layout.h): enum fixed_addresses
    from DWARF, sizes from the kmap_ctrl array, the rest from const()."""

    def __init__(self):
        ctrl = symbol_value("kmap_ctrl")
        self.nr_cpus = array_len(ctrl) or array_len(symbol_value("zones[0].pcp"))  # NR_CPUS
        self.km_max = array_len(ctrl[0]["addr"]) - 1  # KM_MAX_IDX (addr[0] is a guard)
        self.top = const("FIXADDR_TOP")
        # Before the SMP issue the kmap slots were the whole fixmap (no enum).
        self.kmap_begin = enum_const("FIX_KMAP_BEGIN", 0)
        self.end = enum_const("__end_of_fixed_addresses",
                              self.kmap_begin + self.km_max * self.nr_cpus)
        self.start = self.top - self.end * PAGE_SIZE  # FIXADDR_START
        try:
            self.pkmap_base = int(gdb.parse_and_eval("PKMAP_BASE")) & 0xFFFFFFFF
        except (gdb.error, RuntimeError):
            self.pkmap_base = ((self.start - const("LAST_PKMAP") * PAGE_SIZE) &
                               ~(const("PMD_SIZE") - 1))

    def fix_to_virt(self, idx):
        return self.top - (idx + 1) * PAGE_SIZE

    def kmap_slot_va(self, cpu, i):
        return self.fix_to_virt(self.kmap_begin + cpu * self.km_max + i)


def online_cpus(nr_cpus):
    """CPU numbers that are online (cpu_locals[].online, from the SMP issue),
    else just CPU 0; plus any CPU the caller must show anyway."""
    try:
        locs = symbol_value("cpu_locals")  # extern struct cpu_local cpu_locals[];
        n = min(nr_cpus, array_len(locs) or nr_cpus)
        cpus = [c for c in range(n) if bool(locs[c]["online"])]
        return cpus or [0]
    except gdb.GdbError:
        return [0]


def frame_text(mm, w):
    if w.stopped:
        return f"not mapped ({w.stopped[1]})"
    pfn = w.phys >> 12
    zone = ""
    if pfn < mm.max_pfn:
        flags = uint(mm.page(pfn)["flags"])
        z = mm.page_zonenum(flags)
        zone = f", zone {mm.zone_name(z) if z < mm.nr_zones else '?'}"
    return f"pte 0x{w.leaf:016x} -> pfn 0x{pfn:x}{zone}"


@command
class HlKmapAtomic(HlCommand):
    """each CPU's kmap_atomic slot stack (kmap_ctrl): depth, and the address,
    PTE and frame of every slot in use; stale PTEs above the top are reported."""
    NAME = "hl-kmap-atomic"

    def run(self, arg):
        mm = MM()
        fx = Fixmap()
        ctrl = symbol_value("kmap_ctrl")
        reader = TableReader()
        count = sum(uint(ctrl[c]["maps"]) for c in range(fx.nr_cpus))  # per CPU
        errors = uint(symbol_value("kmap_atomic_errors"))
        first = fx.kmap_slot_va(fx.nr_cpus - 1, fx.km_max - 1)
        out(f"kmap_atomic: {fx.km_max} slots per CPU, fixmap 0x{first:08x}-"
            f"0x{fx.kmap_slot_va(0, 0) + PAGE_SIZE:08x}; {count} highmem mappings since boot, "
            f"{errors} misuse report(s)")
        online = online_cpus(fx.nr_cpus)
        for cpu in range(fx.nr_cpus):
            c = ctrl[cpu]
            depth = int(c["idx"])
            if cpu not in online and depth == 0:
                continue  # offline and unused: its slots are checked below anyway
            line = f"CPU {cpu}: depth {depth}" + ("" if cpu in online else " (offline)")
            if depth < 0 or depth > fx.km_max:
                out(line + f"  BROKEN: depth outside 0..{fx.km_max} (kmap_ctrl[{cpu}].idx)")
                depth = max(0, min(depth, fx.km_max))
            else:
                out(line)
            for i in range(depth):
                va = fx.kmap_slot_va(cpu, i)
                w = PageWalk(va, reader)
                recorded = uint(c["addr"][i + 1])  # addr[0] is a guard
                text = f"  slot {i:2} va 0x{va:08x}: {frame_text(mm, w)}"
                if recorded != va:
                    text += f"  BROKEN: kmap_ctrl[{cpu}].addr[{i + 1}] is 0x{recorded:08x}"
                if w.stopped:
                    text += "  BROKEN: a slot in use with no mapping"
                out(text)
        # Every slot above a stack's top must be unmapped (kunmap_atomic
        # clears the PTE): a present one is a leak or a stale mapping.
        for cpu in range(fx.nr_cpus):
            depth = max(0, min(int(ctrl[cpu]["idx"]), fx.km_max))
            for i in range(depth, fx.km_max):
                w = PageWalk(fx.kmap_slot_va(cpu, i), reader)
                if not w.stopped:
                    out(f"  CPU {cpu} slot {i:2} va 0x{w.va:08x}: STALE: above the top of the "
                        f"stack (depth {depth}) but mapped: {frame_text(mm, w)}")


@command
class HlPkmap(HlCommand):
    """the pkmap (kmap) window: each slot's use count and mapping."""
    NAME = "hl-pkmap"

    def run(self, arg):
        mm = MM()
        base = Fixmap().pkmap_base
        last = const("LAST_PKMAP")
        reader = TableReader()
        walks = [PageWalk(base + i * PAGE_SIZE, reader) for i in range(last)]
        present = [i for i, w in enumerate(walks) if not w.stopped]
        window = f"0x{base:08x}-0x{base + last * PAGE_SIZE:08x} ({last} slots)"
        if not has_symbol("pkmap_count"):
            out(f"pkmap: the window at PKMAP_BASE {window} has no users yet: this kernel has "
                f"no kmap() (no symbol pkmap_count); {len(present)} of its {last} PTEs present")
            for i in present:
                out(f"  slot {i:3} va 0x{base + i * PAGE_SIZE:08x}: UNEXPECTED mapping: "
                    f"{frame_text(mm, walks[i])}")
            return
        counts = symbol_value("pkmap_count")
        n = min(last, array_len(counts) or last)
        used = flush = 0
        out(f"pkmap: window {window}")
        for i in range(n):
            cnt = int(counts[i])
            w = walks[i]
            va = base + i * PAGE_SIZE
            if cnt == 0:
                if not w.stopped:
                    out(f"  slot {i:3} va 0x{va:08x}: count 0 but mapped: {frame_text(mm, w)}")
                continue
            if cnt == 1:
                flush += 1
                state = "unused, still mapped until the next flush"
            else:
                used += 1
                state = f"mapped, {cnt - 1} user(s)"
            problem = "  BROKEN: in use with no mapping" if cnt > 1 and w.stopped else ""
            out(f"  slot {i:3} va 0x{va:08x}: count {cnt} ({state}) {frame_text(mm, w)}{problem}")
        out(f"pkmap: {used} slot(s) in use, {flush} waiting for a flush, {n - used - flush} free")
