/* e820.c - print, sanitize and query the physical memory map.
 *
 * Firmware maps are written by many hands and some of them lie. Everything
 * here assumes the worst of its input: entries may wrap around 2^64, overlap
 * each other, or claim memory a PAE CPU cannot reach. No 64-bit division is
 * used (the freestanding build has no libgcc), only shifts and compares.
 */
#include "e820.h"
#include "kstring.h"
#include "printk.h"

typedef unsigned long long ull; /* what %llx wants on both builds */

int e820_add(struct e820_table *t, u64 addr, u64 size, u32 type)
{
	if (t->nr >= E820_MAX_ENTRIES) {
		struct e820_entry *last = &t->map[E820_MAX_ENTRIES - 1];

		if (last->type == type && last->size <= ~last->addr &&
		    last->addr + last->size == addr && size <= ~0ULL - last->size) {
			last->size += size; /* continues the last entry: nothing lost */
			return 0;
		}
		if (!t->dropped++)
			pr_err("e820: table full (%d entries), dropping [mem 0x%016llx-0x%016llx] "
			       "type %u (and counting what else does not fit)\n", E820_MAX_ENTRIES,
			       (ull)addr, (ull)(addr + size - 1), type);
		if (type == E820_USABLE)
			t->dropped_usable += size;
		return -1;
	}
	t->map[t->nr].addr = addr;
	t->map[t->nr].size = size;
	t->map[t->nr].type = type;
	t->nr++;
	return 0;
}

void e820_report_dropped(const struct e820_table *t)
{
	if (t->dropped)
		pr_err("e820: %u entries did not fit the %d-entry table: %llu bytes (%lluMB) of "
		       "usable RAM among them will not be used\n", t->dropped, E820_MAX_ENTRIES,
		       (ull)t->dropped_usable, (ull)(t->dropped_usable >> 20));
}

const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_USABLE: return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI data";
	case E820_NVS: return "ACPI NVS";
	case E820_UNUSABLE: return "unusable";
	default: return NULL;
	}
}

/* Name of any type, "type N" for unknown ones; buf must hold 16 bytes. */
static const char *type_str(u32 type, char *buf)
{
	const char *name = e820_type_name(type);

	if (name)
		return name;
	snprintf(buf, 16, "type %u", type);
	return buf;
}

/* Last byte of an entry. Saturates so a wrapping entry still reads as
 * "to the top of the address space" rather than as a tiny low range. */
static u64 last_byte(u64 addr, u64 size)
{
	if (size && size - 1 > ~addr)
		return ~0ULL;
	return addr + size - 1;
}

/* Exclusive end, saturated at 2^64 - 1 for the same reason. */
static u64 end_sat(const struct e820_entry *e)
{
	return e->size > ~e->addr ? ~0ULL : e->addr + e->size;
}

static bool covers(const struct e820_entry *e, u64 addr)
{
	return addr >= e->addr && addr - e->addr < e->size;
}

/* Table sizes come from callers that might be corrupted: never trust nr. */
static u32 nr_entries(const struct e820_table *t)
{
	return t->nr < E820_MAX_ENTRIES ? t->nr : E820_MAX_ENTRIES;
}

void e820_print(const struct e820_table *t, const char *who)
{
	char buf[16];

	for (u32 i = 0; i < nr_entries(t); i++) {
		const struct e820_entry *e = &t->map[i];

		pr_info("%s: [mem 0x%016llx-0x%016llx] %s\n", who, (ull)e->addr,
			(ull)last_byte(e->addr, e->size), type_str(e->type, buf));
	}
}

/* ---- sanitize ------------------------------------------------------------ */

/* Scratch for e820_sanitize: resolving overlaps can split one entry around
 * each of the others, so the result may need up to 2n - 1 slots. */
static u64 points[2 * E820_MAX_ENTRIES];
static struct e820_entry scratch[2 * E820_MAX_ENTRIES];

/* Strictness: usable is the weakest claim (someone else saying "don't touch"
 * must win), then the larger type number. u64 so that 0xffffffff + 1 fits. */
static u64 type_rank(u32 type)
{
	return type == E820_USABLE ? 0 : (u64)type + 1;
}

static void warn_above_limit(u64 start, u64 last, u64 dropped)
{
	pr_warn("e820: ignoring [mem 0x%016llx-0x%016llx] above the 64 GB PAE limit (0x%llx bytes dropped)\n",
		(ull)start, (ull)last, (ull)dropped);
}

/* Drop empty entries and clip everything to [0, E820_PHYS_LIMIT). Afterwards
 * every entry has size > 0 and addr + size <= the limit: ends fit in a u64. */
static int clip_entries(struct e820_table *t)
{
	int problems = 0;
	u32 n = 0;

	for (u32 i = 0; i < t->nr; i++) {
		struct e820_entry e = t->map[i];
		u64 last = last_byte(e.addr, e.size);

		if (e.size == 0) {
			pr_warn("e820: dropping empty entry at 0x%016llx\n", (ull)e.addr);
			problems++;
			continue;
		}
		if (e.size - 1 > ~e.addr) {
			pr_warn("e820: [mem 0x%016llx-...] size 0x%llx wraps past 2^64\n",
				(ull)e.addr, (ull)e.size);
			problems++;
		}
		if (e.addr >= E820_PHYS_LIMIT) {
			warn_above_limit(e.addr, last, e.size);
			problems++;
			continue;
		}
		if (last >= E820_PHYS_LIMIT) {
			warn_above_limit(E820_PHYS_LIMIT, last, e.size - (E820_PHYS_LIMIT - e.addr));
			e.size = E820_PHYS_LIMIT - e.addr;
			problems++;
		}
		t->map[n++] = e;
	}
	t->nr = n;
	return problems;
}

/* Insertion sort by address (then size): n <= 128, and the common case of
 * an already sorted map costs one pass. Returns 1 if anything moved. */
static int sort_entries(struct e820_table *t)
{
	int moved = 0;

	for (u32 i = 1; i < t->nr; i++) {
		struct e820_entry e = t->map[i];
		u32 j = i;

		while (j > 0 && (t->map[j - 1].addr > e.addr ||
				 (t->map[j - 1].addr == e.addr && t->map[j - 1].size > e.size))) {
			t->map[j] = t->map[j - 1];
			j--;
		}
		if (j != i) {
			t->map[j] = e;
			moved = 1;
		}
	}
	return moved;
}

static void report_overlap(const struct e820_entry *e, const struct e820_entry *far)
{
	char b1[16], b2[16];

	if (e->type == far->type)
		pr_warn("e820: [mem 0x%016llx-0x%016llx] overlaps [mem 0x%016llx-0x%016llx] of the same type %s: merged\n",
			(ull)e->addr, (ull)(e->addr + e->size - 1), (ull)far->addr,
			(ull)(far->addr + far->size - 1), type_str(e->type, b1));
	else
		pr_warn("e820: [mem 0x%016llx-0x%016llx] %s overlaps [mem 0x%016llx-0x%016llx] %s: the stricter type wins\n",
			(ull)e->addr, (ull)(e->addr + e->size - 1), type_str(e->type, b1),
			(ull)far->addr, (ull)(far->addr + far->size - 1), type_str(far->type, b2));
}

/* On the sorted, clipped table: count entries that overlap an earlier one
 * (reported: firmware bugs are worth seeing) or touch the previous one with
 * the same type (merged silently: some BIOSes split RAM that way). */
static int count_conflicts(const struct e820_table *t)
{
	const struct e820_entry *far = NULL; /* the entry reaching furthest so far */
	int problems = 0;

	for (u32 i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->map[i], *prev = e - 1;

		if (far && e->addr < far->addr + far->size) {
			report_overlap(e, far);
			problems++;
		} else if (i > 0 && e->addr == prev->addr + prev->size && e->type == prev->type) {
			problems++;
		}
		if (!far || e->addr + e->size > far->addr + far->size)
			far = e;
	}
	return problems;
}

/* Every start and end, sorted, without duplicates: between two consecutive
 * points the set of covering entries cannot change. Returns the count. */
static u32 collect_points(const struct e820_table *t)
{
	u32 n = 0, out = 0;

	for (u32 i = 0; i < t->nr; i++) {
		points[n++] = t->map[i].addr;
		points[n++] = t->map[i].addr + t->map[i].size;
	}
	for (u32 i = 1; i < n; i++) {
		u64 p = points[i];
		u32 j = i;

		for (; j > 0 && points[j - 1] > p; j--)
			points[j] = points[j - 1];
		points[j] = p;
	}
	for (u32 i = 0; i < n; i++)
		if (out == 0 || points[out - 1] != points[i])
			points[out++] = points[i];
	return out;
}

/* The strictest type among the entries covering addr; false if none does. */
static bool strictest_at(const struct e820_table *t, u64 addr, u32 *type)
{
	bool found = false;

	for (u32 i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->map[i];

		if (covers(e, addr) && (!found || type_rank(e->type) > type_rank(*type))) {
			*type = e->type;
			found = true;
		}
	}
	return found;
}

/* Walk the elementary intervals, giving each its strictest type and merging
 * it into the previous output entry when they touch and agree. */
static u32 resolve_into_scratch(const struct e820_table *t)
{
	u32 np = collect_points(t), n = 0;

	for (u32 i = 0; i + 1 < np; i++) {
		struct e820_entry *last = n ? &scratch[n - 1] : NULL;
		u32 type = 0;

		if (!strictest_at(t, points[i], &type))
			continue; /* a hole in the map */
		if (last && last->type == type && last->addr + last->size == points[i]) {
			last->size += points[i + 1] - points[i];
			continue;
		}
		scratch[n].addr = points[i];
		scratch[n].size = points[i + 1] - points[i];
		scratch[n].type = type;
		n++;
	}
	return n;
}

int e820_sanitize(struct e820_table *t)
{
	int problems = 0;
	u32 n;

	if (t->nr > E820_MAX_ENTRIES) {
		pr_err("e820: table claims %u entries, only %d exist\n", t->nr, E820_MAX_ENTRIES);
		t->nr = E820_MAX_ENTRIES;
		problems++;
	}
	problems += clip_entries(t);
	problems += sort_entries(t);
	problems += count_conflicts(t);
	n = resolve_into_scratch(t);
	if (n > E820_MAX_ENTRIES) {
		/* Dropping the top is safe: memory not in the map is never used. */
		u64 lost = 0;

		for (u32 i = E820_MAX_ENTRIES; i < n; i++)
			lost += scratch[i].type == E820_USABLE ? scratch[i].size : 0;
		pr_err("e820: resolved map needs %u entries, only %d fit: ignoring [mem 0x%016llx-0x%016llx] (%llu usable bytes)\n",
		       n, E820_MAX_ENTRIES, (ull)scratch[E820_MAX_ENTRIES].addr,
		       (ull)(scratch[n - 1].addr + scratch[n - 1].size - 1), (ull)lost);
		n = E820_MAX_ENTRIES;
		problems++;
	}
	memcpy(t->map, scratch, n * sizeof(scratch[0]));
	t->nr = n;
	return problems;
}

/* ---- queries ------------------------------------------------------------- */

u64 e820_total(const struct e820_table *t, u32 type)
{
	u64 sum = 0;

	for (u32 i = 0; i < nr_entries(t); i++) {
		u64 size = t->map[i].size;

		if (t->map[i].type != type)
			continue;
		sum = size > ~sum ? ~0ULL : sum + size; /* a raw map may be absurd */
	}
	return sum;
}

u64 e820_end_of_ram(const struct e820_table *t)
{
	u64 end = 0;

	for (u32 i = 0; i < nr_entries(t); i++)
		if (t->map[i].type == E820_USABLE && t->map[i].size)
			end = MAX(end, end_sat(&t->map[i]));
	return end;
}

bool e820_range_is(const struct e820_table *t, u64 start, u64 end, u32 type)
{
	u64 cur = start;
	bool progress = true;

	if (start >= end)
		return false;
	/* Repeated passes so an unsorted map works too: each pass that moves
	 * cur does so by a whole entry, so there are at most n passes. */
	while (cur < end && progress) {
		progress = false;
		for (u32 i = 0; i < nr_entries(t); i++) {
			const struct e820_entry *e = &t->map[i];

			if (e->type == type && covers(e, cur)) {
				cur = end_sat(e);
				progress = true;
			}
		}
	}
	return cur >= end;
}

bool e820_lookup(const struct e820_table *t, u64 addr, u32 *type)
{
	for (u32 i = 0; i < nr_entries(t); i++) {
		if (covers(&t->map[i], addr)) {
			*type = t->map[i].type;
			return true;
		}
	}
	return false;
}
