#!/usr/bin/env python3
"""check_helpers.py - judge the gdb session of tests/gdb/run-helpers.sh.

Usage: check_helpers.py GDB_OUTPUT SERIAL_LOG [PANIC_GDB_OUTPUT PANIC_SERIAL_LOG]

GDB_OUTPUT holds the framed outputs of tests/gdb/helpers.gdb ("@@@ BEGIN tag
| command" ... "@@@ END tag", "@@@ VALUE tag 0x..", "@@@ PHYS tag same|differ",
"@@@ GPA tag gpa: 0x.." from QEMU's own page walk); SERIAL_LOG is what the
kernel printed, its own meminfo/buddyinfo/zoneinfo among it. The optional
second pair is the session of tests/gdb/panic.gdb (a kernel stopped after a
panic). Each comparison is one TAP test; a failure says which line differs.
"""
import re
import sys

STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")
PAGE_OFFSET = 0xC0000000


class Session:
    def __init__(self, text):
        self.text = text
        self.blocks, self.errors, self.values, self.phys, self.gpa = {}, {}, {}, {}, {}
        self.skipped = set()  # symbols the kernel lacks (guarded steps not run)
        cur, lines = None, []
        for line in text.splitlines():
            m = re.match(r"^@@@ (BEGIN|END|ERROR|VALUE|PHYS|GPA|SKIP) (\S+)(?: \| | )?(.*)$",
                         line)
            if not m:
                if cur is not None:
                    lines.append(line)
                continue
            kind, tag, rest = m.groups()
            if kind == "BEGIN":
                cur, lines = tag, []
            elif kind == "END" and cur == tag:
                self.blocks[tag] = lines
                cur = None
            elif kind == "ERROR":
                self.errors[tag] = rest
            elif kind == "VALUE":
                self.values[tag] = int(rest, 16) if rest.startswith("0x") else None
            elif kind == "PHYS":
                self.phys[tag] = rest
            elif kind == "GPA":
                self.gpa[tag] = rest
            elif kind == "SKIP":
                self.skipped.add(tag)

    def block(self, tag):
        if tag not in self.blocks:
            raise Fail(f"no output for '{tag}' (the gdb session stopped early? see the .out file)")
        if tag in self.errors:
            raise Fail(f"'{tag}' failed: {self.errors[tag]}")
        return self.blocks[tag]

    def value(self, tag):
        v = self.values.get(tag)
        if v is None:
            raise Fail(f"no value '{tag}' from gdb")
        return v


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def serial_lines(text):
    """The kernel's lines with their "[    t.tttttt] " stamps removed."""
    return [STAMP.sub("", line.rstrip("\r")) for line in text.splitlines()]


def kernel_meminfo(lines):
    for i, line in enumerate(lines):
        if line.startswith("MemTotal:"):
            block = []
            for ln in lines[i:]:
                if not re.match(r"^[A-Za-z_()]+:\s+\d+ kB$", ln):
                    break
                block.append(ln)
            return block
    raise Fail("the kernel printed no meminfo (MemTotal:) in the serial log")


def kernel_buddyinfo(lines):
    block = [ln for ln in lines if re.match(r"^Node 0, zone +\S+ +(\d+ +)+$", ln)]
    if not block:
        raise Fail("the kernel printed no buddyinfo in the serial log")
    return block


def kernel_zoneinfo(lines):
    for i, line in enumerate(lines):
        if re.match(r"^Node 0, zone +\S+$", line):
            block = []
            for ln in lines[i:]:
                if not (re.match(r"^Node 0, zone +\S+$", ln) or ln.startswith(" ")):
                    break
                block.append(ln)
            return block
    raise Fail("the kernel printed no zoneinfo in the serial log")


def compare(what, ours, theirs):
    """ours (gdb) must equal theirs (the kernel), line by line."""
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        if a != b:
            raise Fail(f"{what} line {n}: gdb says {a!r}, the kernel {b!r}")
    if len(ours) != len(theirs):
        raise Fail(f"{what}: gdb printed {len(ours)} lines, the kernel {len(theirs)}")


def compare_meminfo(ours, theirs):
    """hl-meminfo prints a subset of /proc/meminfo's lines (those gdb can
    compute from memory): each must equal the kernel's line of that name,
    in the kernel's order."""
    keyed = {ln.split(":")[0]: (i, ln) for i, ln in enumerate(theirs)}
    last = -1
    for a in ours:
        key = a.split(":")[0]
        if key not in keyed:
            raise Fail(f"meminfo: gdb prints {key!r}, the kernel has no such line")
        i, b = keyed[key]
        if a != b:
            raise Fail(f"meminfo {key}: gdb says {a!r}, the kernel {b!r}")
        if i < last:
            raise Fail(f"meminfo {key}: out of the kernel's order")
        last = i
    if len(ours) < 5:
        raise Fail(f"meminfo: gdb printed only {len(ours)} lines")


def expect(lines, *patterns):
    text = "\n".join(lines)
    for p in patterns:
        if not re.search(p, text, re.M):
            raise Fail(f"no match for /{p}/ in:\n" + text)


def refuse(lines, *patterns):
    text = "\n".join(lines)
    for p in patterns:
        if re.search(p, text, re.M):
            raise Fail(f"unexpected /{p}/ in:\n" + text)


def e820_after_updates(lines):
    """The boot map as "BIOS-e820:" lines, with the kernel's logged
    "e820: update [mem A-B] X ==> Y" changes applied (split, as Linux does)."""
    entries = []
    for ln in lines:
        m = re.match(r"^BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.+)$", ln)
        if m:
            entries.append([int(m.group(1), 16), int(m.group(2), 16), m.group(3)])
    for ln in lines:
        m = re.match(r"^e820: update \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.+) ==> (.+)$", ln)
        if not m:
            continue
        a, b, old, new = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)
        out = []
        for s, e, t in entries:
            if t != old or e < a or s > b:
                out.append([s, e, t])
                continue
            if s < a:
                out.append([s, a - 1, t])
            out.append([max(s, a), min(e, b), new])
            if e > b:
                out.append([b + 1, e, t])
        entries = out
    return [f"BIOS-e820: [mem 0x{s:016x}-0x{e:016x}] {t}" for s, e, t in entries]


def kernel_slabinfo(lines):
    """The kernel's own slabinfo, if it printed one (else [])."""
    for i, line in enumerate(lines):
        if line == "slabinfo - version: 2.1":
            block = [line]
            for ln in lines[i + 1:]:
                if not (ln.startswith("# name") or re.search(r" : slabdata ", ln)):
                    break
                block.append(ln)
            return block
    return []


def cpus_up(lines):
    """CPUs the kernel brought up ("smp: Brought up 1 node, N CPUs"), else 1."""
    for ln in lines:
        m = re.match(r"^smp: Brought up \d+ nodes?, (\d+) CPU", ln)
        if m:
            return int(m.group(1))
    return 1


def walk_phys(lines):
    m = re.search(r"=> phys 0x([0-9a-f]+) \(pfn 0x([0-9a-f]+)\): (\S+ \S+) page, (.*)$",
                  "\n".join(lines), re.M)
    if not m:
        raise Fail("the walk did not end at a frame:\n" + "\n".join(lines))
    return int(m.group(1), 16), m.group(3), m.group(4)


def check_gpa(s, tag, phys):
    """QEMU's own walk (monitor gva2gpa) agrees with hl-pagewalk."""
    g = s.gpa.get(tag, "")
    if phys is None:
        if "Unmapped" not in g:
            raise Fail(f"QEMU's walk says '{g}', hl-pagewalk says not mapped")
        return
    m = re.match(r"gpa: 0x([0-9a-f]+)", g)
    if not m or int(m.group(1), 16) != phys:
        raise Fail(f"QEMU's walk says '{g}', hl-pagewalk says 0x{phys:x}")
    if tag in s.phys and not s.phys[tag].startswith("same"):
        raise Fail(f"bytes at the VA and at phys 0x{phys:x} differ: {s.phys[tag]}")


def tests(s, kernel, raw):
    """(description, function) pairs; a function raises Fail."""
    t = []

    def test(desc):
        def reg(fn):
            t.append((desc, fn))
            return fn
        return reg

    @test("gdb stops at monitor_run, after mm init and the kernel's reports")
    def _():
        pc = s.value("pc")
        if not re.search(r"^monitor_run in section \.text", s.text, re.M):
            raise Fail(f"pc 0x{pc:x} is not monitor_run")
        kernel_zoneinfo(kernel)  # the reports came first

    @test("hl-help lists every hl-* command gdb knows")
    def _():
        known = [c for c in s.block("complete") if c.startswith("hl-")
                 and not c.startswith("hl-test-")]
        listed = {ln.split()[0] for ln in s.block("help") if ln.startswith("  hl-")}
        missing = sorted(set(known) - listed)
        if missing or len(known) < 13:
            raise Fail(f"hl-help misses {missing} (gdb knows {known})")

    @test("hl-cmdline matches the kernel's 'Command line:'")
    def _():
        line = next((ln for ln in kernel if ln.startswith("Command line: ")), None)
        if line is None:
            raise Fail("no 'Command line:' in the serial log")
        compare("cmdline", s.block("cmdline"), [line[len("Command line: "):]])

    @test("hl-e820 matches the kernel's BIOS-e820 map (with its logged updates)")
    def _():
        ours = [ln for ln in s.block("e820") if ln.startswith("BIOS-e820:")]
        compare("e820", ours, e820_after_updates(kernel))

    @test("hl-dmesg holds every line the console printed, in order")
    def _():
        ours = [ln.rstrip("\r") for ln in s.block("dmesg")]
        printed = [ln.rstrip("\r") for ln in raw.splitlines() if STAMP.match(ln)]
        i = 0
        for ln in ours:
            if i < len(printed) and ln == printed[i]:
                i += 1
        if i != len(printed) or not printed:
            raise Fail(f"console line {i + 1} not in hl-dmesg's output: "
                       f"{printed[i] if i < len(printed) else '(none)'!r}")

    @test("hl-meminfo equals the kernel's meminfo")
    def _():
        compare_meminfo(s.block("meminfo"), kernel_meminfo(kernel))

    @test("hl-buddyinfo equals the kernel's buddyinfo, every list consistent")
    def _():
        compare("buddyinfo", s.block("buddyinfo"), kernel_buddyinfo(kernel))

    @test("hl-zoneinfo equals the kernel's zoneinfo")
    def _():
        compare("zoneinfo", s.block("zoneinfo"), kernel_zoneinfo(kernel))

    @test("hl-freelist: every list consistent, block counts as in buddyinfo")
    def _():
        out = s.block("freelist")
        expect(out, r"^hl-freelist: every free list is consistent$")
        for ln in kernel_buddyinfo(kernel):
            zone, counts = ln.split()[3], ln.split()[4:]
            expect(out, rf"^zone {zone}: \d+ free blocks \({' '.join(counts)}\) .*: ok$")

    @test("hl-page 0: reserved, zone DMA, refcount 1")
    def _():
        expect(s.block("page-reserved"), r"^page:0x[0-9a-f]{8} pfn:0x0 refcount:1 mapcount:0 "
               r"order:- zone:DMA$", r"^flags: 0x1\(reserved\)$", r"^state: reserved")

    @test("hl-page 0x40000: a free order-10 HighMem block on the free list")
    def _():
        expect(s.block("page-free"),
               r"^page:0x[0-9a-f]{8} pfn:0x40000 refcount:0 mapcount:0 order:10 zone:HighMem$",
               r"^flags: 0x80000042\(buddy\|highmem\)$",
               r"^state: free: first page of an order-10 block, pfn 0x40000-0x403ff",
               r"^lru: next 0x[0-9a-f]{8} \((pfn 0x[0-9a-f]+|head zones\[2\]\.free_area\[10\]"
               r"[^)]*)\) prev 0x[0-9a-f]{8} \((pfn|head)",
               r"^private: 10  mapping: 0x00000000  index: 0x0$",
               r"^last alloc/free by: not recorded \(page_owner=on records it\)$")

    @test("hl-page 0x40001: inside the free block at 0x40000")
    def _():
        expect(s.block("page-inside"), r"^flags: 0x80000040\(highmem\)$",
               r"^state: free: inside the order-10 free block at pfn 0x40000$")

    @test("hl-page max_pfn is refused: no struct page")
    def _():
        err = s.errors.get("page-beyond", "")
        if f"pfn 0x{s.value('max_pfn'):x} is beyond max_pfn" not in err:
            raise Fail(f"expected a 'beyond max_pfn' error, got {err!r}")

    @test("hl-page names the page_ext last_caller as a symbol (show_zoneinfo+0x10/size)")
    def _():
        expect(s.block("page-caller"), r"^last alloc/free by: show_zoneinfo\+0x10/0x[0-9a-f]+$")

    @test("hl-pagewalk of a lowmem address (mem_map): a 2 MB page, as QEMU walks it")
    def _():
        out = s.block("walk-lowmem")
        va = s.value("lowmem_va")
        phys, size, perm = walk_phys(out)
        expect(out, r"^  PGD\[3\] .* P( A)? -> PMD page", r"^  PMD\[\d+\] .* P RW A D PS G( NX)? ->")
        if phys != va - PAGE_OFFSET or size != "2 MB" or not perm.startswith("writable"):
            raise Fail(f"va 0x{va:x} -> 0x{phys:x} {size} {perm}")
        check_gpa(s, "walk-lowmem", phys)

    @test("hl-pagewalk of kernel text: a 4 KB page, read-only, executable")
    def _():
        out = s.block("walk-text")
        va = s.value("text_va")
        phys, size, perm = walk_phys(out)
        if (phys != va - PAGE_OFFSET or size != "4 KB" or
                not perm.startswith("read-only, executable")):
            raise Fail(f"va 0x{va:x} -> 0x{phys:x} {size} {perm}")
        refuse(out, r"^  PTE.* RW", r"^  PTE.* NX")
        check_gpa(s, "walk-text", phys)

    @test("hl-pagewalk 0 (NULL): the walk stops at the PGD")
    def _():
        expect(s.block("walk-null"), r"^  PGD\[0\] .* not present$",
               r"^  => walk stopped at the PGD: PGD\[0\] not present")
        check_gpa(s, "walk-null", None)

    @test("hl-pagewalk VMALLOC_START: the walk stops at the PTE (not present)")
    def _():
        out = s.block("walk-vmalloc")
        expect(out, rf"^VA 0x{s.value('vmalloc_start'):08x}:", r"^  PMD\[\d+\] .* P RW",
               r"^  => walk stopped at the PTE: PTE\[\d+\] not present")
        check_gpa(s, "walk-vmalloc", None)

    @test("hl-kmap-atomic: every online CPU at depth 0, no stale slot")
    def _():
        out = s.block("kmap")
        expect(out, r"^kmap_atomic: 16 slots per CPU",
               *[rf"^CPU {c}: depth 0$" for c in range(cpus_up(kernel))])
        refuse(out, "BROKEN", "STALE", r"^CPU \d+: depth [1-9]")

    @test("hl-pkmap: after boot every pkmap slot is free and unmapped")
    def _():
        out = s.block("pkmap")
        expect(out, r"^pkmap: window 0x[0-9a-f]{8}-0x[0-9a-f]{8} \(512 slots\)$",
               r"^pkmap: 0 slot\(s\) in use, 0 waiting for a flush, 512 free$")
        refuse(out, "BROKEN", "count 0 but mapped")

    @test("hl-threads: init, one idle task per CPU, kswapd0 and loadavg, init current on CPU 0 in monitor_run")
    def _():
        n = cpus_up(kernel)
        out = s.block("threads")
        expect(out, rf"^threads: {n + 3} tasks$",
               r"^    1  init +running +0$",
               *[rf"^    0  swapper/{c} +(running|runnable) +{c}$" for c in range(n)],
               r"^    2  kswapd0 +(sleeping|running|runnable) +\d+$",
               r"^    3  loadavg +(sleeping|running|runnable) +\d+$",
               r"^CPU 0: current init \(task at 0x[0-9a-f]{8}\)$",
               r"^  vCPU 0 \(gdb thread 1\): pc 0x[0-9a-f]{8} monitor_run\+0x0/",
               *[rf"^  vCPU {c} \(gdb thread {c + 1}\): pc 0x[0-9a-f]{{8}} \w+\+0x"
                 for c in range(n)])
        refuse(out, "BROKEN")

    @test("hl-slabinfo: the kernel's slabinfo format, counts consistent with meminfo's Slab:")
    def _():
        out = s.block("slabinfo")
        if out and out[0].startswith("slabinfo: this kernel has no slab allocator"):
            raise Skip("no slab allocator in this kernel")
        theirs = kernel_slabinfo(kernel)
        if theirs:
            compare("slabinfo", out, theirs)
            return
        expect(out, r"^slabinfo - version: 2\.1$", r"^# name +<active_objs> <num_objs>")
        refuse(out, r"^hl-slabinfo: ")
        rows = [ln.split() for ln in out[2:]]
        pages = 0
        for r in rows:
            if len(r) != 16 or r[6] != ":" or r[7] != "tunables" or r[11] != ":":
                raise Fail(f"malformed row {' '.join(r)}")
            active, num, per, slabs, pps = int(r[1]), int(r[2]), int(r[4]), int(r[13]), int(r[5])
            if active > num or num != slabs * per:
                raise Fail(f"inconsistent row {' '.join(r)}")
            pages += slabs * pps
        slab_kb = [int(ln.split()[1]) for ln in kernel_meminfo(kernel) if ln.startswith("Slab:")]
        if slab_kb and pages * 4 > slab_kb[0]:
            raise Fail(f"the caches hold {pages * 4} kB of slabs, meminfo says Slab: {slab_kb[0]}")

    @test("hl-vmallocinfo: the kernel's vmallocinfo format, tree and purge list sound")
    def _():
        out = s.block("vmallocinfo")
        if out and out[0].startswith("vmallocinfo: this kernel has no vmalloc"):
            raise Skip("no vmalloc in this kernel")
        refuse(out, r"^hl-vmallocinfo: ")
        for ln in out:
            if not re.match(r"^0x[0-9a-f]{8}-0x[0-9a-f]{8} +\d+ (\S+ pages=\d+ (vmalloc|vmap)|"
                            r"unpurged vm_area)$", ln):
                raise Fail(f"malformed line {ln!r}")
        used = sum(int(re.search(r"pages=(\d+) vmalloc$", ln).group(1)) for ln in out
                   if ln.endswith(" vmalloc"))
        used_kb = [int(ln.split()[1]) for ln in kernel_meminfo(kernel)
                   if ln.startswith("VmallocUsed:")]
        if used_kb and used * 4 != used_kb[0]:
            raise Fail(f"vmalloc areas hold {used * 4} kB, meminfo says VmallocUsed: {used_kb[0]}")

    @test("hl-kmap-atomic with a mapping set by hand: depth 1, slot 0 -> pfn 0x40000")
    def _():
        out = s.block("kmap-depth1")
        expect(out, r"^CPU 0: depth 1$",
               rf"^  slot  0 va 0x{s.value('kmap_va'):08x}: pte 0x0+40000163 -> pfn 0x40000, "
               r"zone HighMem$")
        refuse(out, "BROKEN", "STALE")

    @test("hl-pagewalk of that kmap_atomic slot ends at phys 0x40000000, as QEMU walks it")
    def _():
        phys, size, _ = walk_phys(s.block("walk-kmap"))
        if phys != 0x40000000 or size != "4 KB":
            raise Fail(f"-> 0x{phys:x} {size}")
        check_gpa(s, "walk-kmap", phys)

    @test("hl-kmap-atomic reports a slot still mapped above the top of the stack")
    def _():
        expect(s.block("kmap-stale"), r"^CPU 0: depth 0$",
               rf"^  CPU 0 slot  0 va 0x{s.value('kmap_va'):08x}: STALE: .* pfn 0x40000")
        refuse(s.block("kmap-restored"), "STALE", "BROKEN")

    @test("corrupted back link: hl-buddyinfo names zone, order, entry and node")
    def _():
        n1, n2, n3 = s.value("n1"), s.value("n2"), s.value("n3")
        expect(s.block("corrupt-prev"),
               rf"^hl-buddyinfo: BROKEN LIST zone Normal free_area\[10\]: entry 3: node "
               rf"0x{n3:08x} \(pfn 0x{s.value('n3_pfn'):x}\) has prev 0x{n1:08x} .*expected "
               rf"0x{n2:08x}")

    @test("restored link: hl-buddyinfo is clean and equals the kernel's again")
    def _():
        compare("buddyinfo", s.block("restored-prev"), kernel_buddyinfo(kernel))

    @test("a loop in a free list is reported, not followed forever")
    def _():
        expect(s.block("corrupt-loop"),
               rf"^hl-buddyinfo: BROKEN LIST zone Normal free_area\[10\]: loop: entry 3, node "
               rf"0x{s.value('n1'):08x} .* is entry 1 again$")

    @test("a walk is bounded by the kernel's count + 1 (nr_free 5: stops at entry 7)")
    def _():
        expect(s.block("corrupt-count"),
               r"^Node 0, zone  HighMem( +\d+)+ +5 $",
               r"^hl-buddyinfo: BROKEN LIST zone HighMem free_area\[10\]: more than 6 entries "
               r".*walk stopped at entry 7")

    @test("a next link outside mem_map: hl-freelist says where")
    def _():
        expect(s.block("corrupt-next"),
               rf"BROKEN LIST zone Normal free_area\[10\]: entry 3: the next link of "
               rf"0x{s.value('n2'):08x} .* is 0x00001000, not the lru field of a struct page",
               r"^hl-freelist: 1 problem\(s\)$")

    @test("a per-CPU list head with a bad prev: hl-zoneinfo says which list")
    def _():
        out = s.block("corrupt-pcp")
        compare("zoneinfo", out[:-1], kernel_zoneinfo(kernel))
        expect(out, r"^hl-zoneinfo: BROKEN LIST zone DMA cpu 0 order-0 per-CPU list: the head's prev is "
                    rf"0x{s.value('n1'):08x}")

    @test("a slab list with a bad back link: hl-slabinfo names the cache and list")
    def _():
        if "slab_caches" in s.skipped:
            raise Skip("no slab allocator in this kernel")
        expect(s.block("corrupt-slab"),
               r"^hl-slabinfo: BROKEN LIST cache \S+ partial slabs: the head's prev is ")
        refuse(s.block("restored-slab"), r"^hl-slabinfo: ")

    @test("a vmalloc tree root and purge list that are broken: hl-vmallocinfo says where")
    def _():
        if "vmap_busy" in s.skipped:
            raise Skip("no vmalloc in this kernel")
        expect(s.block("corrupt-vmap-tree"),
               r"^hl-vmallocinfo: BROKEN TREE vmap_busy: vmap_busy = 0x00001000, which cannot "
               r"be read")
        expect(s.block("corrupt-vmap-purge"),
               r"^hl-vmallocinfo: BROKEN LIST vmap_purge_list: the head's prev is "
               rf"0x{s.value('n1'):08x}")
        refuse(s.block("restored-vmap"), r"^hl-vmallocinfo: ")

    @test("after every repair, hl-freelist finds all lists consistent")
    def _():
        expect(s.block("final"), r"^hl-freelist: every free list is consistent$")

    return t


def panic_tests(s, kernel, raw):
    """The session of tests/gdb/panic.gdb: a kernel stopped after a panic."""
    t = []

    def test(desc):
        def reg(fn):
            t.append((desc, fn))
            return fn
        return reg

    @test("panicked kernel: gdb stops in machine_exit after the oops and the panic")
    def _():
        s.value("pc")
        if not re.search(r"^machine_exit in section \.text", s.text, re.M):
            raise Fail("gdb did not stop in machine_exit")
        expect(kernel, r"^Kernel panic - not syncing: Fatal exception")

    @test("panicked kernel: hl-dmesg holds the oops and the panic, as the console printed them")
    def _():
        ours = [ln.rstrip("\r") for ln in s.block("dmesg")]
        printed = [ln.rstrip("\r") for ln in raw.splitlines() if STAMP.match(ln)]
        tail = [ln for ln in printed if "Oops:" in ln or "Kernel panic" in ln]
        if not tail or any(ln not in ours for ln in tail):
            raise Fail(f"hl-dmesg lacks {[ln for ln in tail if ln not in ours] or 'the oops'}")

    @test("panicked kernel: hl-meminfo and hl-buddyinfo equal the kernel's reports")
    def _():
        compare_meminfo(s.block("meminfo"), kernel_meminfo(kernel))
        compare("buddyinfo", s.block("buddyinfo"), kernel_buddyinfo(kernel))

    @test("panicked kernel: hl-pagewalk 0 stops at the PGD, where the oops says NULL faulted")
    def _():
        expect(kernel, r"^BUG: kernel NULL pointer dereference, address: 0+$")
        expect(s.block("walk-null"), r"^  => walk stopped at the PGD")

    @test("panicked kernel: hl-threads shows vCPU 0 in machine_exit, hl-kmap-atomic depth 0")
    def _():
        expect(s.block("threads"), r"^  vCPU 0 \(gdb thread 1\): pc 0x[0-9a-f]{8} machine_exit\+0x0/")
        expect(s.block("kmap"), r"^CPU 0: depth 0$")
        refuse(s.block("kmap"), "BROKEN", "STALE")

    return t


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    s = Session(open(sys.argv[1], errors="replace").read())
    raw = open(sys.argv[2], errors="replace").read()
    ts = tests(s, serial_lines(raw), raw)
    if len(sys.argv) == 5:
        ps = Session(open(sys.argv[3], errors="replace").read())
        praw = open(sys.argv[4], errors="replace").read()
        ts += panic_tests(ps, serial_lines(praw), praw)
    print(f"1..{len(ts)}")
    failed = 0
    for n, (desc, fn) in enumerate(ts, 1):
        try:
            fn()
            print(f"ok {n} {desc}")
        except Skip as e:
            print(f"ok {n} {desc} # SKIP {e}")
        except Fail as e:
            failed += 1
            print(f"not ok {n} {desc}")
            for line in str(e).splitlines():
                print(f"    # {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
