/* sim_mm.c - the simulated machine behind the hosted mm tests (see sim_mm.h):
 * the direct map and kmap_atomic slots over a lazily backed mapping, and a
 * boot that brings the page allocator up like the kernel's mm_core_init. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "arch.h"
#include "mmzone.h"
#include "pkmap.h"
#include "rmap.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"

static unsigned char *sim_mem;
static size_t sim_mem_size;
unsigned sim_phys_bits = 36;

static __attribute__((noreturn)) void sim_die(const char *what, unsigned long long v)
{
	fprintf(stderr, "sim: %s %#llx (simulated RAM is %#zx bytes)\n", what, v, sim_mem_size);
	abort();
}

void *phys_to_virt(phys_addr_t pa)
{
	if (!sim_mem || pa >= sim_mem_size)
		sim_die("phys_to_virt of an address outside simulated RAM:", pa);
	return sim_mem + pa;
}

/* Plain arithmetic, like the kernel's: a foreign pointer gives a huge
 * "physical" address that callers must reject. */
phys_addr_t virt_to_phys(const void *va) { return (phys_addr_t)((uintptr_t)va - (uintptr_t)sim_mem); }

void *arch_kmap_atomic_map(unsigned slot, unsigned long pfn)
{
	if (slot >= FIX_KMAP_SLOTS)
		sim_die("arch_kmap_atomic_map: bad slot", slot);
	return phys_to_virt(PFN_PHYS(pfn));
}

void arch_kmap_atomic_unmap(unsigned slot)
{
	if (slot >= FIX_KMAP_SLOTS)
		sim_die("arch_kmap_atomic_unmap: bad slot", slot);
}

unsigned arch_phys_bits(void) { return sim_phys_bits; }

void *sim_frame(unsigned long pfn) { return phys_to_virt(PFN_PHYS(pfn)); }

static void sim_mem_reserve(unsigned long max_pfn_needed)
{
	size_t size = (size_t)PFN_PHYS(max_pfn_needed);

	if (sim_mem && sim_mem_size >= size)
		return;
	if (sim_mem)
		munmap(sim_mem, sim_mem_size);
	sim_mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (sim_mem == MAP_FAILED) {
		perror("sim: mmap of simulated RAM");
		abort();
	}
	sim_mem_size = size;
}

/* ---- layouts (pfns) ---- */

#define R(s, e) { s, e }
#define LAYOUT(n, maxp, maxlow, ram, rsv) \
	{ n, maxp, maxlow, ram, ARRAY_SIZE(ram), rsv, ARRAY_SIZE(rsv) }

static const struct sim_range tiny_ram[] = { R(0, 0x9f), R(0x100, 0x400) };
static const struct sim_range tiny_rsv[] = { R(0, 1), R(0x100, 0x180) };
const struct sim_layout sim_tiny = LAYOUT("tiny-4M", 0x400, 0x400, tiny_ram, tiny_rsv);

static const struct sim_range holes_ram[] = {
	R(0, 0x9f), R(0x100, 0x1900), /* across DMA/Normal at 0x1000; a hole at 0x1900 */
	R(0x1a00, 0x2e13),            /* ... inside the 4 MB block 0x1800-0x1c00 */
	R(0x2e15, 0x3ffd),            /* across Normal/HighMem at 0x2e80, unaligned ends */
};
static const struct sim_range holes_rsv[] = { R(0, 0x100), R(0x100, 0x300), R(0x2000, 0x2001) };
const struct sim_layout sim_holes = LAYOUT("holes-64M", 0x4000, 0x2e80, holes_ram, holes_rsv);

/* mem_map (32 bytes a page on i386) is allocated at the top of lowmem. */
#define MEMMAP_PAGES(maxp) (((maxp) * 32 + 4095) / 4096)

static const struct sim_range m512_ram[] = { R(0, 0x9f), R(0x100, 0x1ffe0) };
static const struct sim_range m512_rsv[] = {
	R(0, 0x100), R(0x100, 0x600), R(0x1ffe0 - MEMMAP_PAGES(0x1ffe0), 0x1ffe0),
};
const struct sim_layout sim_512m = LAYOUT("512M", 0x1ffe0, 0x1ffe0, m512_ram, m512_rsv);

static const struct sim_range m2g_ram[] = { R(0, 0x9f), R(0x100, 0x7ffe0) };
static const struct sim_range m2g_rsv[] = {
	R(0, 0x100), R(0x100, 0x600), R(0x38000 - MEMMAP_PAGES(0x7ffe0), 0x38000),
};
const struct sim_layout sim_2g = LAYOUT("2G", 0x7ffe0, 0x38000, m2g_ram, m2g_rsv);

static const struct sim_range m8g_ram[] = { R(0, 0x9f), R(0x100, 0xbffe0), R(0x100000, 0x240000) };
static const struct sim_range m8g_rsv[] = {
	R(0, 0x100), R(0x100, 0x600), R(0x38000 - MEMMAP_PAGES(0x240000), 0x38000),
};
const struct sim_layout sim_8g = LAYOUT("8G", 0x240000, 0x38000, m8g_ram, m8g_rsv);

/* ---- boot ---- */

static unsigned long overlap(unsigned long s, unsigned long e, unsigned long a, unsigned long b)
{
	s = MAX(s, a);
	e = MIN(e, b);
	return s < e ? e - s : 0;
}

unsigned long sim_ram_pages(const struct sim_layout *l, unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned i = 0; i < l->nr_ram; i++)
		n += overlap(l->ram[i].start, l->ram[i].end, start, end);
	return n;
}

unsigned long sim_free_pages(const struct sim_layout *l, unsigned long start, unsigned long end)
{
	unsigned long n = sim_ram_pages(l, start, end);

	/* reserved ranges lie inside RAM or in holes; count only the RAM part */
	for (unsigned r = 0; r < l->nr_reserved; r++)
		for (unsigned i = 0; i < l->nr_ram; i++) {
			unsigned long s = MAX(l->reserved[r].start, l->ram[i].start);
			unsigned long e = MIN(l->reserved[r].end, l->ram[i].end);
			if (s < e)
				n -= overlap(s, e, start, end);
		}
	return n;
}

/* The free ranges: RAM minus reserved, maximal (as memblock gives them). */
static void free_ranges(const struct sim_layout *l)
{
	for (unsigned i = 0; i < l->nr_ram; i++) {
		unsigned long cur = l->ram[i].start, end = l->ram[i].end;
		for (unsigned r = 0; r < l->nr_reserved && cur < end; r++) {
			const struct sim_range *rs = &l->reserved[r];
			if (rs->end <= cur || rs->start >= end)
				continue;
			if (rs->start > cur)
				free_pages_bootmem_range(cur, rs->start);
			cur = MAX(cur, rs->end);
		}
		if (cur < end)
			free_pages_bootmem_range(cur, end);
	}
}

void sim_boot(const struct sim_layout *l)
{
	unsigned long end[MAX_NR_ZONES];

	host_cpu_id = 0;
	host_irqs_off = false;
	debug_pagealloc = false;
	sim_mem_reserve(l->max_pfn + SIM_PT_FRAMES); /* + the kernel page tables (sim_vmalloc.c) */
	max_pfn = l->max_pfn;
	max_low_pfn = l->max_low_pfn;
	high_memory = PAGE_OFFSET + (max_low_pfn << PAGE_SHIFT);
	vmalloc_start = ALIGN_UP(high_memory + VMALLOC_OFFSET, VMALLOC_OFFSET);

	free(mem_map);
	mem_map = malloc(max_pfn * sizeof(struct page));
	if (!mem_map)
		abort();
	memset(mem_map, 0xa5, max_pfn * sizeof(struct page));
	memmap_init(0, max_pfn);
	gfp_allowed_mask = __GFP_BITS_MASK; /* booted: allocations may reclaim */
	free(page_ext_table); /* sim_page_ext_on's, if a test turned it on */
	page_ext_attach(NULL);

	end[ZONE_DMA] = MIN(MAX_DMA_PFN, max_low_pfn);
	end[ZONE_NORMAL] = max_low_pfn;
	end[ZONE_HIGHMEM] = max_pfn;
	free_area_init(end);
	for (unsigned i = 0; i < l->nr_ram; i++)
		zone_add_present(l->ram[i].start, l->ram[i].end);
	free_ranges(l);
	setup_per_zone_wmarks();
	zone_pcp_update(1); /* as arch setup does once the CPUs are up; one CPU's share */
	sim_vmalloc_reset(); /* the kernel's page tables, empty */
	page_address_init(); /* after them: it finds the pkmap window's PTE page */
	anon_vma_init();
}

/* ---- test helpers ---- */

void sim_snapshot(struct sim_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		s->free_pages[z] = zones[z].free_pages;
		for (int o = 0; o < MAX_ORDER; o++)
			s->nr_free[z][o] = zones[z].free_area[o].nr_free;
		for (int c = 0; c < NR_CPUS; c++)
			s->pcp_count[z][c] = zones[z].pcp[c].count;
	}
}

bool sim_snapshot_equal(const struct sim_snapshot *a, const struct sim_snapshot *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

unsigned long sim_rand(unsigned long *state)
{
	/* xorshift64*: fixed seeds give the same sequence everywhere */
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (unsigned long)((x * 0x2545F4914F6CDD1DULL) >> 11);
}

void sim_page_ext_on(void)
{
	struct page_ext *t = calloc(max_pfn, sizeof(*t));

	if (!t)
		abort();
	free(page_ext_table);
	page_ext_attach(t);
}

