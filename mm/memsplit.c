/* memsplit.c - where usable RAM ends and where lowmem stops.
 *
 * A 32-bit kernel maps at most MAXMEM of physical memory permanently (the
 * direct map, 1 GB minus the vmalloc reserve); frames above max_low_pfn are
 * HIGHMEM and must be mapped on demand. This file decides max_pfn and
 * max_low_pfn from the sanitized e820 map, the CPU's physical address width
 * and the command line options mem=, vmalloc= and highmem=, each with the
 * meaning Linux gives it. An option that makes no sense is ignored with a
 * message saying why, never half-applied.
 */
#include "memsplit.h"
#include "cmdline.h"
#include "kstring.h"
#include "layout.h"
#include "mm.h"
#include "printk.h"

typedef unsigned long long ull; /* what %llx wants on both builds */

#define LOWMEM_MIN MB(64)  /* below this the kernel cannot hold mem_map and slabs */
/* The least usable RAM Highland boots with: QEMU -m 16 gives 15.5 MB usable
 * and passes every suite; at -m 8 and 12 the vmalloc and slab suites run out
 * of memory, at -m 4 memblock cannot even build the page tables. */
#define RAM_MIN MB(15)
/* Lowmem besides mem_map: kernel image, page tables, slabs, a working buddy. */
#define MEMMAP_ROOM MB(32)
#define VMALLOC_MIN MB(32) /* 8 MB guard gap + 4 MB pkmap/fixmap + a usable vmalloc area */
#define DIRECT_MAP_SPAN GB(1) /* PAGE_OFFSET to 4 GB: direct map + vmalloc reserve */

static ull pages_to_mb(u64 pages) { return (ull)(pages >> (20 - PAGE_SHIFT)); }

/* ---- command line -------------------------------------------------------- */

enum opt_state { OPT_ABSENT, OPT_OK, OPT_BAD };

/* A size as the user would write it: 512M, 1G, 4K, or bytes. */
static void format_size(char *buf, size_t len, u64 val)
{
	if (val && !(val & (GB(1) - 1)))
		snprintf(buf, len, "%lluG", (ull)(val >> 30));
	else if (val && !(val & (MB(1) - 1)))
		snprintf(buf, len, "%lluM", (ull)(val >> 20));
	else if (val && !(val & (KB(1) - 1)))
		snprintf(buf, len, "%lluK", (ull)(val >> 10));
	else
		snprintf(buf, len, "%llu", (ull)val);
}

/* Read key=SIZE (K/M/G suffixes) and print it back into buf for messages.
 * Trailing junk makes the whole value bad ("mem=512Mb" is more likely a typo
 * than a wish for 512 MB); cmdline_get_size() has said why. */
static enum opt_state size_option(const char *key, char *buf, size_t len, u64 *val)
{
	int err = cmdline_get_size(key, val);

	if (err == -ENOENT)
		return OPT_ABSENT;
	if (err)
		return OPT_BAD;
	format_size(buf, len, *val);
	return OPT_OK;
}

/* ---- shrinking the map --------------------------------------------------- */

/* Usable bytes of the map at or above addr. */
static u64 usable_above(const struct e820_table *map, u64 addr)
{
	u64 sum = 0;

	for (u32 i = 0; i < map->nr; i++) {
		const struct e820_entry *e = &map->map[i];
		u64 end = e->addr + e->size;

		if (e->type == E820_USABLE && end > addr)
			sum += end - MAX(e->addr, addr);
	}
	return sum;
}

/* Cut every usable entry at addr: entries above go, one that straddles it
 * is shortened. Other types stay, so the map still describes what is there
 * (Linux's mem= removes only E820_TYPE_RAM too). A sanitized map's entries
 * do not wrap, so e->addr + e->size is safe. */
static void remove_usable_above(struct e820_table *map, u64 addr)
{
	u32 n = 0;

	for (u32 i = 0; i < map->nr; i++) {
		struct e820_entry e = map->map[i];

		if (e.type == E820_USABLE && e.addr >= addr)
			continue;
		if (e.type == E820_USABLE && e.addr + e.size > addr)
			e.size = addr - e.addr;
		map->map[n++] = e;
	}
	map->nr = n;
}

/* mem=SIZE: use no RAM at or above the address SIZE (Linux removes RAM from
 * SIZE to the top of the address space; it is not a total). mem=0 would
 * remove everything, so, like Linux, it is refused. */
static void apply_mem_limit(struct e820_table *map, struct mem_split *out)
{
	char buf[64];
	u64 limit, end = e820_end_of_ram(map);

	switch (size_option("mem", buf, sizeof(buf), &limit)) {
	case OPT_ABSENT:
		return;
	case OPT_BAD: /* said by cmdline_get_size() */
		return;
	case OPT_OK:
		break;
	}
	if (!limit) {
		pr_warn("mem=%s ignored: a limit of 0 would remove all RAM\n", buf);
		return;
	}
	out->mem_limit = limit;
	if (end <= limit) {
		pr_info("mem=%s: usable RAM already ends at 0x%llx, nothing removed\n", buf, (ull)end);
		return;
	}
	pr_info("e820: remove [mem 0x%016llx-0x%016llx] usable\n", (ull)limit, (ull)(end - 1));
	remove_usable_above(map, limit);
	pr_info("user-defined physical RAM map:\n");
	e820_print(map, "user");
}

/* A PAE entry has 36 address bits, but bits at and above the CPU's own
 * physical width are reserved: a mapping of such a frame faults with the
 * RSVD bit set. So RAM the CPU cannot address is not RAM for us. phys_bits
 * 0 means "unknown" (no CPUID leaf 0x80000008): trust the map, as Linux
 * assumes 36 bits for a PAE CPU. No x86 CPU has fewer than 32. */
static void apply_phys_bits(struct e820_table *map, unsigned phys_bits, struct mem_split *out)
{
	u64 limit, lost;

	if (phys_bits == 0 || phys_bits >= MAX_PHYSMEM_BITS)
		return;
	if (phys_bits < 32) {
		pr_warn("CPU reports %u physical address bits, fewer than any x86 CPU: assuming 32\n",
			phys_bits);
		phys_bits = 32;
	}
	limit = 1ULL << phys_bits;
	lost = usable_above(map, limit);
	if (!lost)
		return;
	pr_warn("CPU addresses only %u physical bits: ignoring %lluMB of RAM above 0x%016llx "
		"(a page-table entry pointing there would fault with the reserved bit set)\n",
		phys_bits, (ull)(lost >> 20), (ull)limit);
	remove_usable_above(map, limit);
	out->ignored_above_phys_bits = lost;
}

/* ---- the lowmem limit ---------------------------------------------------- */

/* vmalloc=SIZE sets the size of the vmalloc reserve at the top of the
 * kernel's gigabyte; lowmem (MAXMEM) gets the rest. Linux adds the 8 MB
 * VMALLOC_OFFSET to the value; Highland takes it as the whole reserve,
 * rounded up to 2 MB so the direct map ends on a large-page boundary. */
static u64 vmalloc_reserve_option(unsigned long max_pfn)
{
	char buf[64];
	u64 size, memmap = ALIGN_UP((u64)max_pfn * sizeof(struct page), MB(1));

	switch (size_option("vmalloc", buf, sizeof(buf), &size)) {
	case OPT_ABSENT:
		return VMALLOC_RESERVE_DEFAULT;
	case OPT_BAD: /* said by cmdline_get_size() */
		return VMALLOC_RESERVE_DEFAULT;
	case OPT_OK:
		break;
	}
	if (size < VMALLOC_MIN) {
		pr_warn("vmalloc=%s ignored: below %lluMB there is no room for the %lluMB guard gap "
			"after lowmem, the pkmap and fixmap windows (4MB) and a useful vmalloc area\n",
			buf, (ull)(VMALLOC_MIN >> 20), (ull)(VMALLOC_OFFSET >> 20));
		return VMALLOC_RESERVE_DEFAULT;
	}
	if (size > DIRECT_MAP_SPAN - LOWMEM_MIN) {
		pr_warn("vmalloc=%s ignored: it would leave less than %lluMB of lowmem "
			"(lowmem is 1GB minus the vmalloc reserve)\n",
			buf, (ull)(LOWMEM_MIN >> 20));
		return VMALLOC_RESERVE_DEFAULT;
	}
	size = ALIGN_UP(size, (u64)PMD_SIZE);
	if (PFN_PHYS(max_pfn) > DIRECT_MAP_SPAN - size &&
	    memmap + MEMMAP_ROOM > DIRECT_MAP_SPAN - size) {
		pr_warn("vmalloc=%s ignored: the %lluMB of lowmem left could not hold mem_map for "
			"%lluMB of RAM (%lluMB) and %lluMB more; at most vmalloc=%lluM here\n", buf,
			(ull)((DIRECT_MAP_SPAN - size) >> 20), pages_to_mb(max_pfn),
			(ull)(memmap >> 20), (ull)(MEMMAP_ROOM >> 20),
			(ull)(ALIGN_DOWN(DIRECT_MAP_SPAN - memmap - MEMMAP_ROOM, (u64)PMD_SIZE) >> 20));
		return VMALLOC_RESERVE_DEFAULT;
	}
	pr_info("vmalloc=%s: vmalloc reserve %lluMB, lowmem limit %lluMB\n", buf,
		(ull)(size >> 20), (ull)((DIRECT_MAP_SPAN - size) >> 20));
	return size;
}

/* highmem=SIZE asks for SIZE bytes of HIGHMEM. Returns it in pages, or -1
 * when absent. Linux would read a garbage value as 0 (no highmem at all);
 * Highland refuses it instead. */
static s64 highmem_option(void)
{
	char buf[64];
	u64 size;

	switch (size_option("highmem", buf, sizeof(buf), &size)) {
	case OPT_ABSENT:
		return -1;
	case OPT_BAD: /* said by cmdline_get_size() */
		return -1;
	case OPT_OK:
		break;
	}
	return (s64)(size >> PAGE_SHIFT);
}

/* All RAM fits below MAXMEM (Linux's lowmem_pfn_init). Without highmem=
 * everything is lowmem. highmem=N forces the top N of it to be HIGHMEM
 * (useful to test highmem paths on a small machine), unless
 *  - N >= all of RAM: "highmem size (N) is bigger than pages available",
 *  - RAM - N < 64 MB: "highmem size (N) results in <64MB lowmem".
 * Both are errors and leave all RAM as lowmem. */
static unsigned long lowmem_only_split(unsigned long max_pfn, s64 want)
{
	u64 req = want < 0 ? 0 : (u64)want;

	if (req && req >= max_pfn) {
		if (req > max_pfn) /* Linux's words, true here */
			pr_err("highmem size (%lluMB) is bigger than pages available (%lluMB)!\n",
			       pages_to_mb(req), pages_to_mb(max_pfn));
		else
			pr_err("highmem size (%lluMB) is all of RAM: no lowmem would be left, "
			       "ignoring it!\n", pages_to_mb(req));
		return max_pfn;
	}
	if (req && max_pfn - req < (LOWMEM_MIN >> PAGE_SHIFT)) {
		pr_err("highmem size (%lluMB) results in <64MB lowmem, ignoring it!\n",
		       pages_to_mb(req));
		return max_pfn;
	}
	if (req)
		pr_info("highmem=: the top %lluMB of RAM becomes HIGHMEM\n", pages_to_mb(req));
	return max_pfn - (unsigned long)req;
}

/* RAM reaches past MAXMEM (Linux's highmem_pfn_init): lowmem is MAXMEM and
 * the rest is HIGHMEM. highmem=N then caps the highmem used: with N below
 * what there is, max_pfn drops to MAXMEM + N and RAM above stays unused
 * (highmem=0 means no highmem at all). With N above what there is:
 * "only X highmem pages available, ignoring highmem size of N" (a warning)
 * and all of it is used. Returns the new max_pfn. */
static unsigned long highmem_split(unsigned long max_pfn, unsigned long maxmem_pfn, s64 want)
{
	u64 avail = max_pfn - maxmem_pfn;

	if (want < 0 || (u64)want == avail)
		return max_pfn;
	if ((u64)want < avail) {
		pr_info("highmem=: using %lluMB of HIGHMEM, RAM from 0x%llx up left unused\n",
			pages_to_mb((u64)want), (ull)PFN_PHYS(maxmem_pfn + (u64)want));
		return maxmem_pfn + (unsigned long)want;
	}
	pr_warn("only %lluMB highmem pages available, ignoring highmem size of %lluMB!\n",
		pages_to_mb(avail), pages_to_mb((u64)want));
	return max_pfn;
}

/* The variables the rest of the kernel reads (defined in mm/zone_init.c). */
static void set_globals(const struct mem_split *s)
{
	max_pfn = s->max_pfn;
	max_low_pfn = s->max_low_pfn;
	high_memory = PAGE_OFFSET + (s->max_low_pfn << PAGE_SHIFT);
	/* Linux rounds high_memory + 8 MB down to 8 MB, which can leave a gap of
	 * only a few pages when lowmem ends unaligned (QEMU's 512 MB map ends at
	 * 0x1ffe0000). Highland keeps the whole 8 MB gap that catches overruns
	 * off the direct map: round up to 2 MB (one page table), then add it. */
	vmalloc_start = ALIGN_UP(high_memory, PMD_SIZE) + VMALLOC_OFFSET;
}

int find_low_pfn_range(struct e820_table *map, unsigned phys_bits, struct mem_split *out)
{
	unsigned long maxmem_pfn;
	u64 end;

	memset(out, 0, sizeof(*out));
	apply_mem_limit(map, out);
	apply_phys_bits(map, phys_bits, out);

	end = MIN(e820_end_of_ram(map), PFN_PHYS(MAX_PFN_PAE));
	out->max_pfn = (unsigned long)PFN_DOWN(end);
	if (!out->max_pfn) {
		pr_err("no usable RAM left in the memory map (not even one whole page)\n");
		return -1;
	}

	if (e820_total(map, E820_USABLE) < RAM_MIN) {
		u64 kb = e820_total(map, E820_USABLE) >> 10;
		char limit[24];

		format_size(limit, sizeof(limit), out->mem_limit);
		if (out->mem_limit)
			pr_err("mem=%s leaves only %lluKB of usable RAM: Highland needs at least "
			       "%lluMB\n", limit, (ull)kb, (ull)(RAM_MIN >> 20));
		else
			pr_err("only %lluKB of usable RAM: Highland needs at least %lluMB "
			       "(QEMU -m 16)\n", (ull)kb, (ull)(RAM_MIN >> 20));
		return -1;
	}
	out->vmalloc_reserve = vmalloc_reserve_option(out->max_pfn);
	out->maxmem = DIRECT_MAP_SPAN - out->vmalloc_reserve;
	maxmem_pfn = (unsigned long)(out->maxmem >> PAGE_SHIFT);

	s64 want = highmem_option();
	if (out->max_pfn <= maxmem_pfn) {
		out->max_low_pfn = lowmem_only_split(out->max_pfn, want);
	} else {
		out->max_low_pfn = maxmem_pfn;
		out->max_pfn = highmem_split(out->max_pfn, maxmem_pfn, want);
	}
	out->highmem_pages = out->max_pfn - out->max_low_pfn;

	/* Linux prints both lines, "0MB HIGHMEM available." included. */
	pr_notice("%lluMB HIGHMEM available.\n", pages_to_mb(out->highmem_pages));
	pr_notice("%lluMB LOWMEM available.\n", pages_to_mb(out->max_low_pfn));
	set_globals(out);
	return 0;
}
