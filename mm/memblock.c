/* memblock.c - the early boot allocator.
 *
 * Two lists of physical ranges, each kept sorted, non-overlapping and merged
 * (no two regions even touch): the RAM there is, and the parts of it that
 * are taken. Free memory is the first minus the second and is never stored,
 * only computed. Everything lives in static arrays: this runs before any
 * other allocator exists, so a full array is reported and refused rather
 * than grown. No 64-bit division (the freestanding build avoids libgcc's).
 */
#include "memblock.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"

typedef unsigned long long ull; /* what %llx wants on both builds */

#define PHYS_MAX (~(phys_addr_t)0)

struct memblock memblock = {
	.memory.name = "memory",
	.reserved.name = "reserved",
};

void memblock_reset(void)
{
	memset(&memblock, 0, sizeof(memblock));
	memblock.memory.name = "memory";
	memblock.reserved.name = "reserved";
}

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* A range reaching past the top of the address space would make base + size
 * wrap to a small number: clip it to the top instead, as a caller asking for
 * "everything from base up" expects. */
static phys_addr_t cap_size(phys_addr_t base, phys_addr_t size)
{
	return size > PHYS_MAX - base ? PHYS_MAX - base : size;
}

/* ---- inserting and removing ranges --------------------------------------- */

/* Index of the first region that ends at or after addr: the first one that
 * could touch a range starting at addr. */
static unsigned first_touching(const struct memblock_type *t, phys_addr_t addr)
{
	unsigned i = 0;

	while (i < t->cnt && region_end(&t->regions[i]) < addr)
		i++;
	return i;
}

/* Put [base, end) into t, swallowing every region it overlaps or touches.
 * A merged reserved region keeps the name of the lowest region that was
 * already there: the first owner is the one worth reporting. */
static int insert_range(struct memblock_type *t, phys_addr_t base, phys_addr_t end,
			const char *name)
{
	unsigned first = first_touching(t, base), last = first;

	while (last < t->cnt && t->regions[last].base <= end) {
		struct memblock_region *r = &t->regions[last];

		if (last == first)
			name = r->name;
		base = MIN(base, r->base);
		end = MAX(end, region_end(r));
		last++;
	}
	if (last == first && t->cnt >= MEMBLOCK_MAX_REGIONS) {
		pr_err("memblock: %s array full (%u regions), cannot add [mem 0x%016llx-0x%016llx]\n",
		       t->name, MEMBLOCK_MAX_REGIONS, (ull)base, (ull)(end - 1));
		return -1;
	}
	/* regions[first, last) collapse into one slot at first. */
	memmove(&t->regions[first + 1], &t->regions[last],
		(t->cnt - last) * sizeof(t->regions[0]));
	t->cnt = t->cnt - (last - first) + 1;
	t->regions[first] = (struct memblock_region){ base, end - base, name };
	return 0;
}

static void delete_region(struct memblock_type *t, unsigned i)
{
	memmove(&t->regions[i], &t->regions[i + 1], (t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/* Take [base, end) out of t. Only a region strictly containing the range
 * needs a new slot (it splits in two); check that before touching anything
 * so a refused removal leaves the list as it was. */
static int remove_range(struct memblock_type *t, phys_addr_t base, phys_addr_t end)
{
	unsigned i = first_touching(t, base);

	if (i < t->cnt && t->regions[i].base < base && region_end(&t->regions[i]) > end) {
		struct memblock_region *r = &t->regions[i];

		if (t->cnt >= MEMBLOCK_MAX_REGIONS) {
			pr_err("memblock: %s array full (%u regions), cannot split it to remove [mem 0x%016llx-0x%016llx]\n",
			       t->name, MEMBLOCK_MAX_REGIONS, (ull)base, (ull)(end - 1));
			return -1;
		}
		memmove(&t->regions[i + 1], &t->regions[i], (t->cnt - i) * sizeof(t->regions[0]));
		t->cnt++;
		t->regions[i + 1].base = end;
		t->regions[i + 1].size = region_end(r) - end;
		r->size = base - r->base;
		return 0;
	}
	while (i < t->cnt && t->regions[i].base < end) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t rend = region_end(r);

		if (rend <= base) {
			i++; /* only touches the range: nothing to take */
		} else if (r->base < base) {
			r->size = base - r->base; /* keep the head */
			i++;
		} else if (rend > end) {
			r->base = end; /* keep the tail */
			r->size = rend - end;
			i++;
		} else {
			delete_region(t, i);
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	size = cap_size(base, size);
	if (!size)
		return 0;
	return insert_range(&memblock.memory, base, base + size, NULL);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	size = cap_size(base, size);
	if (!size)
		return 0;
	return remove_range(&memblock.memory, base, base + size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size, const char *name)
{
	size = cap_size(base, size);
	if (!size)
		return 0;
	return insert_range(&memblock.reserved, base, base + size, name);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	size = cap_size(base, size);
	if (!size)
		return 0;
	return remove_range(&memblock.reserved, base, base + size);
}

static bool type_contains(const struct memblock_type *t, phys_addr_t addr)
{
	for (unsigned i = 0; i < t->cnt && t->regions[i].base <= addr; i++)
		if (addr < region_end(&t->regions[i]))
			return true;
	return false;
}

bool memblock_is_reserved(phys_addr_t addr) { return type_contains(&memblock.reserved, addr); }
bool memblock_is_memory(phys_addr_t addr) { return type_contains(&memblock.memory, addr); }

/* ---- free ranges: memory minus reserved ---------------------------------- */

/* The complement of the reserved list is a series of gaps: gap g lies
 * between reserved[g - 1] and reserved[g] (gap 0 starts at 0, the last one
 * runs to the top). Free ranges are memory regions intersected with gaps;
 * both lists are sorted, so one pass over each finds them all. */
static void reserved_gap(unsigned g, phys_addr_t *lo, phys_addr_t *hi)
{
	const struct memblock_type *r = &memblock.reserved;

	*lo = g ? region_end(&r->regions[g - 1]) : 0;
	*hi = g < r->cnt ? r->regions[g].base : PHYS_MAX;
}

/* The callback must not change memblock: the walk holds indices into it. */
void memblock_for_each_free_range(void (*fn)(phys_addr_t start, phys_addr_t end, void *ctx),
				  void *ctx)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned g = 0;

	for (unsigned m = 0; m < mem->cnt; m++) {
		phys_addr_t mb = mem->regions[m].base, me = region_end(&mem->regions[m]);

		for (; g <= memblock.reserved.cnt; g++) {
			phys_addr_t lo, hi;

			reserved_gap(g, &lo, &hi);
			if (lo >= me)
				break; /* this gap starts past the region */
			if (MAX(lo, mb) < MIN(hi, me))
				fn(MAX(lo, mb), MIN(hi, me), ctx);
			if (hi >= me)
				break; /* the gap may reach into the next region */
		}
	}
}

/* Highest aligned place for size bytes inside [lo, hi) and [start, end). */
static bool fit_top(phys_addr_t lo, phys_addr_t hi, phys_addr_t size, phys_addr_t align,
		    phys_addr_t start, phys_addr_t end, phys_addr_t *found)
{
	lo = MAX(lo, start);
	hi = MIN(hi, end);
	if (hi <= lo || hi - lo < size)
		return false;
	phys_addr_t cand = ALIGN_DOWN(hi - size, align);
	if (cand < lo)
		return false;
	*found = cand;
	return true;
}

/* The free-range walk run backwards: highest range first. Allocating from
 * the top keeps the low, scarce memory (ZONE_DMA, the first 16 MB) for the
 * callers that need it, as Linux does. */
static phys_addr_t find_top_down(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				 phys_addr_t end)
{
	const struct memblock_type *mem = &memblock.memory;
	int g = (int)memblock.reserved.cnt;
	phys_addr_t found;

	for (int m = (int)mem->cnt - 1; m >= 0; m--) {
		phys_addr_t mb = mem->regions[m].base, me = region_end(&mem->regions[m]);

		for (; g >= 0; g--) {
			phys_addr_t lo, hi;

			reserved_gap((unsigned)g, &lo, &hi);
			if (hi <= mb)
				break; /* gap lies below: maybe in a lower region */
			if (lo < me && fit_top(MAX(lo, mb), MIN(hi, me), size, align, start, end, &found))
				return found;
			if (lo < mb)
				break; /* gap reaches into lower regions too */
		}
	}
	return 0;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end, const char *name)
{
	phys_addr_t addr;

	if (!align)
		align = 1; /* no constraint asked for */
	if (!size || end <= start || (align & (align - 1)))
		return 0; /* nothing sensible to find: the caller reports it */
	addr = find_top_down(size, align, start, end);
	/* Address 0 doubles as the failure value; page 0 is reserved anyway. */
	if (!addr || memblock_reserve(addr, size, name))
		return 0;
	memblock.allocated += size;
	return addr;
}

struct free_stats {
	phys_addr_t total, largest;
	unsigned ranges;
};

static void count_free(phys_addr_t start, phys_addr_t end, void *ctx)
{
	struct free_stats *st = ctx;

	st->total += end - start;
	st->largest = MAX(st->largest, end - start);
	st->ranges++;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align, const char *name)
{
	phys_addr_t limit = memblock.current_limit ? memblock.current_limit : PHYS_MAX;
	phys_addr_t addr = memblock_phys_alloc_range(size, align, 0, limit, name);
	struct free_stats st = { 0, 0, 0 };

	if (addr)
		return addr;
	/* Boot cannot continue without this memory: show why it is missing. */
	memblock_for_each_free_range(count_free, &st);
	memblock_dump();
	panic("memblock: cannot allocate %llu bytes (align %#llx) for %s below %#llx: "
	      "%llu bytes free in %u ranges (largest %#llx, at any address), %u/%u reserved regions used",
	      (ull)size, (ull)align, name ? name : "(unnamed)", (ull)limit, (ull)st.total,
	      st.ranges, (ull)st.largest, memblock.reserved.cnt, MEMBLOCK_MAX_REGIONS);
}

void memblock_set_current_limit(phys_addr_t limit) { memblock.current_limit = limit; }

static phys_addr_t type_size(const struct memblock_type *t)
{
	phys_addr_t sum = 0;

	for (unsigned i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void) { return type_size(&memblock.memory); }
phys_addr_t memblock_reserved_size(void) { return type_size(&memblock.reserved); }

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? region_end(&t->regions[t->cnt - 1]) : 0;
}

/* ---- dump ---------------------------------------------------------------- */

static void dump_type(const struct memblock_type *t)
{
	pr_info(" %s.cnt  = 0x%x\n", t->name, t->cnt);
	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (t == &memblock.reserved)
			pr_info("  %s[0x%x]\t[0x%016llx-0x%016llx], 0x%llx bytes %s\n", t->name, i,
				(ull)r->base, (ull)(region_end(r) - 1), (ull)r->size,
				r->name ? r->name : "(unnamed)");
		else
			pr_info("  %s[0x%x]\t[0x%016llx-0x%016llx], 0x%llx bytes\n", t->name, i,
				(ull)r->base, (ull)(region_end(r) - 1), (ull)r->size);
	}
}

void memblock_dump(void)
{
	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = 0x%llx reserved size = 0x%llx\n", (ull)memblock_phys_mem_size(),
		(ull)memblock_reserved_size());
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
}
