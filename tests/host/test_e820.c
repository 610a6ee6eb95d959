/* test_e820.c - hosted tests of mm/e820.c: print format, sanitize on hostile
 * maps (overlaps, wrap-around, > 64 GB, overflow), queries, and a randomized
 * property test of sanitize against a brute-force oracle. */
#include <stdarg.h>
#include "e820.h"
#include "htest.h"

#define LIMIT E820_PHYS_LIMIT
#define TOP (~0ULL)

static void load(struct e820_table *t, const struct e820_entry *e, size_t n)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++)
		t->map[t->nr++] = e[i];
}

#define LOAD(t, ...)                                                           \
	do {                                                                   \
		static const struct e820_entry __e[] = { __VA_ARGS__ };        \
		load(t, __e, ARRAY_SIZE(__e));                                 \
	} while (0)

/* Field by field: struct padding is not part of the contract. */
static bool same_entries(const struct e820_entry *a, const struct e820_entry *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].addr != b[i].addr || a[i].size != b[i].size || a[i].type != b[i].type)
			return false;
	return true;
}

#define CHECK_ENTRY(t, i, a, s, ty)                                            \
	do {                                                                   \
		CHECK_EQ((t)->map[i].addr, a);                                 \
		CHECK_EQ((t)->map[i].size, s);                                 \
		CHECK_EQ((t)->map[i].type, ty);                                \
	} while (0)

/* QEMU 7.2 -m 8192 (machine pc), as SeaBIOS reports it. */
static const struct e820_entry qemu8g[] = {
	{ 0x0, 0x9fc00, E820_USABLE },
	{ 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED },
	{ 0x100000, 0xbfee0000, E820_USABLE },
	{ 0xbffe0000, 0x20000, E820_RESERVED },
	{ 0xfffc0000, 0x40000, E820_RESERVED },
	{ 0x100000000ULL, 0x140000000ULL, E820_USABLE },
};

HTEST(e820_print_format)
{
	struct e820_table t;

	load(&t, qemu8g, ARRAY_SIZE(qemu8g));
	e820_print(&t, "BIOS-e820");
	CHECK(htest_log_contains("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable\n"));

	htest_log_clear();
	LOAD(&t, { 0x1000, 0x1000, E820_ACPI }, { 0x2000, 0x1000, E820_NVS },
	     { 0x3000, 0x1000, E820_UNUSABLE }, { 0x4000, 0x1000, 12 }, { 0x5000, 0x1000, 0 });
	e820_print(&t, "x");
	CHECK(htest_log_contains("x: [mem 0x0000000000001000-0x0000000000001fff] ACPI data\n"));
	CHECK(htest_log_contains("x: [mem 0x0000000000002000-0x0000000000002fff] ACPI NVS\n"));
	CHECK(htest_log_contains("x: [mem 0x0000000000003000-0x0000000000003fff] unusable\n"));
	CHECK(htest_log_contains("x: [mem 0x0000000000004000-0x0000000000004fff] type 12\n"));
	CHECK(htest_log_contains("x: [mem 0x0000000000005000-0x0000000000005fff] type 0\n"));
	CHECK(e820_type_name(6) == NULL);
	CHECK_STREQ(e820_type_name(E820_USABLE), "usable");
}

/* The log holds the message printf-formatted from fmt. */
static bool logged(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool logged(const char *fmt, ...)
{
	char want[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	return htest_log_contains(want);
}

HTEST(e820_add_until_full)
{
	static struct e820_table t;

	memset(&t, 0, sizeof(t));
	htest_log_clear();
	for (int i = 0; i < E820_MAX_ENTRIES; i++) /* alternating: nothing could merge */
		CHECK_EQ(e820_add(&t, (u64)i << 12, 0x1000, i & 1 ? E820_RESERVED : E820_USABLE), 0);
	CHECK(!htest_log_contains("full"));
	CHECK_EQ(e820_add(&t, 0x12345000, 0x1000, E820_NVS), -1);
	CHECK_EQ(t.nr, E820_MAX_ENTRIES);
	CHECK(logged("e820: table full (%d entries), dropping [mem 0x0000000012345000-0x0000000012345fff]",
		     E820_MAX_ENTRIES));
	/* Full, and the caller goes on: usable ranges are counted exactly, and
	 * one continuing the last entry with its type merges into it. */
	CHECK_EQ(e820_add(&t, 0x20000000, 0x300000, E820_USABLE), -1);
	CHECK_EQ(e820_add(&t, 0x30000000, 0x1000, E820_RESERVED), -1);
	u64 end = (u64)E820_MAX_ENTRIES << 12;
	CHECK_EQ(e820_add(&t, end, 0x5000, E820_RESERVED), 0); /* last entry is reserved */
	CHECK_ENTRY(&t, E820_MAX_ENTRIES - 1, end - 0x1000, 0x6000, E820_RESERVED);
	CHECK_EQ(t.dropped, 3);
	CHECK_EQ(t.dropped_usable, 0x300000);
	htest_log_clear();
	e820_report_dropped(&t);
	CHECK(logged("e820: 3 entries did not fit the %d-entry table: 3145728 bytes (3MB) of usable "
		     "RAM among them will not be used", E820_MAX_ENTRIES));
}

HTEST(e820_sanitize_clean_map_is_untouched)
{
	struct e820_table t;

	load(&t, qemu8g, ARRAY_SIZE(qemu8g));
	CHECK_EQ(e820_sanitize(&t), 0);
	CHECK_EQ(t.nr, ARRAY_SIZE(qemu8g));
	CHECK(same_entries(t.map, qemu8g, ARRAY_SIZE(qemu8g)));
	CHECK_EQ(htest_log()[0], '\0'); /* a clean map says nothing */

	memset(&t, 0, sizeof(t));
	CHECK_EQ(e820_sanitize(&t), 0);
	CHECK_EQ(t.nr, 0);
}

HTEST(e820_sanitize_overlap_stricter_wins)
{
	struct e820_table t;

	LOAD(&t, { 0x0, 0x10000, E820_USABLE }, { 0x8000, 0x4000, E820_RESERVED });
	CHECK_EQ(e820_sanitize(&t), 1);
	CHECK_EQ(t.nr, 3);
	CHECK_ENTRY(&t, 0, 0x0, 0x8000, E820_USABLE);
	CHECK_ENTRY(&t, 1, 0x8000, 0x4000, E820_RESERVED);
	CHECK_ENTRY(&t, 2, 0xc000, 0x4000, E820_USABLE);
	CHECK(htest_log_contains("e820: [mem 0x0000000000008000-0x000000000000bfff] reserved overlaps [mem 0x0000000000000000-0x000000000000ffff] usable"));

	/* reserved listed first, usable partly over it: reserved keeps its bytes */
	LOAD(&t, { 0x1000, 0x2000, E820_RESERVED }, { 0x2000, 0x3000, E820_USABLE });
	CHECK(e820_sanitize(&t) > 0);
	CHECK_EQ(t.nr, 2);
	CHECK_ENTRY(&t, 0, 0x1000, 0x2000, E820_RESERVED);
	CHECK_ENTRY(&t, 1, 0x3000, 0x2000, E820_USABLE);
}

HTEST(e820_sanitize_type_ranking)
{
	static const u32 pairs[][3] = { /* a, b, winner */
		{ E820_ACPI, E820_NVS, E820_NVS },      { E820_RESERVED, E820_ACPI, E820_ACPI },
		{ E820_UNUSABLE, E820_NVS, E820_UNUSABLE }, { 12, E820_UNUSABLE, 12 },
		{ 0, E820_USABLE, 0 },                  { 0, E820_RESERVED, E820_RESERVED },
		{ 0xffffffffu, 12, 0xffffffffu },       { E820_USABLE, 7, 7 },
	};
	struct e820_table t;

	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		for (int order = 0; order < 2; order++) {
			memset(&t, 0, sizeof(t));
			e820_add(&t, 0x1000, 0x1000, pairs[i][order]);
			e820_add(&t, 0x1000, 0x1000, pairs[i][!order]);
			CHECK(e820_sanitize(&t) > 0);
			CHECK_EQ(t.nr, 1);
			CHECK_ENTRY(&t, 0, 0x1000, 0x1000, pairs[i][2]);
		}
	}
}

HTEST(e820_sanitize_nested)
{
	struct e820_table t;

	/* usable 0-1M holding ACPI 256K-768K holding NVS 512K-576K, plus a
	 * reserved page overlapping nothing but the outer range */
	LOAD(&t, { 0x0, 0x100000, E820_USABLE }, { 0x40000, 0x80000, E820_ACPI },
	     { 0x80000, 0x10000, E820_NVS }, { 0xf0000, 0x1000, E820_RESERVED });
	CHECK_EQ(e820_sanitize(&t), 3);
	CHECK_EQ(t.nr, 7);
	CHECK_ENTRY(&t, 0, 0x0, 0x40000, E820_USABLE);
	CHECK_ENTRY(&t, 1, 0x40000, 0x40000, E820_ACPI);
	CHECK_ENTRY(&t, 2, 0x80000, 0x10000, E820_NVS);
	CHECK_ENTRY(&t, 3, 0x90000, 0x30000, E820_ACPI);
	CHECK_ENTRY(&t, 4, 0xc0000, 0x30000, E820_USABLE);
	CHECK_ENTRY(&t, 5, 0xf0000, 0x1000, E820_RESERVED);
	CHECK_ENTRY(&t, 6, 0xf1000, 0xf000, E820_USABLE); /* the outer range's tail */
	CHECK_EQ(e820_total(&t, E820_USABLE), 0x40000 + 0x30000 + 0xf000);
	CHECK_EQ(e820_total(&t, E820_ACPI), 0x70000);
	/* the third overlap is reported against the outer range, not its neighbour */
	CHECK(htest_log_contains("[mem 0x00000000000f0000-0x00000000000f0fff] reserved overlaps [mem 0x0000000000000000-0x00000000000fffff] usable"));
}

HTEST(e820_sanitize_duplicates_and_merges)
{
	struct e820_table t;

	LOAD(&t, { 0x1000, 0x1000, E820_RESERVED }, { 0x1000, 0x1000, E820_RESERVED },
	     { 0x1000, 0x1000, E820_RESERVED });
	CHECK_EQ(e820_sanitize(&t), 2);
	CHECK_EQ(t.nr, 1);
	CHECK_ENTRY(&t, 0, 0x1000, 0x1000, E820_RESERVED);

	/* touching ranges of one type merge; of different types they don't */
	LOAD(&t, { 0x0, 0x1000, E820_USABLE }, { 0x1000, 0x1000, E820_USABLE },
	     { 0x2000, 0x1000, E820_USABLE }, { 0x3000, 0x1000, E820_ACPI });
	CHECK_EQ(e820_sanitize(&t), 2);
	CHECK_EQ(t.nr, 2);
	CHECK_ENTRY(&t, 0, 0x0, 0x3000, E820_USABLE);
	CHECK_ENTRY(&t, 1, 0x3000, 0x1000, E820_ACPI);

	/* overlapping same type: one range, no hole, no double counting */
	LOAD(&t, { 0x0, 0x3000, E820_USABLE }, { 0x2000, 0x3000, E820_USABLE });
	CHECK_EQ(e820_sanitize(&t), 1);
	CHECK_EQ(t.nr, 1);
	CHECK_ENTRY(&t, 0, 0x0, 0x5000, E820_USABLE);
	CHECK(htest_log_contains("e820: [mem 0x0000000000002000-0x0000000000004fff] overlaps [mem 0x0000000000000000-0x0000000000002fff] of the same type usable: merged"));
}

HTEST(e820_sanitize_zero_and_unsorted)
{
	struct e820_table t;

	LOAD(&t, { 0x100000, 0x1000, E820_USABLE }, { 0x5000, 0, E820_RESERVED },
	     { 0x0, 0x1000, E820_USABLE }, { 0x0, 0, E820_USABLE }, { 0x10000, 0x1000, E820_NVS });
	CHECK_EQ(e820_sanitize(&t), 3); /* two empty entries, one sort */
	CHECK(htest_log_contains("e820: dropping empty entry at 0x0000000000005000"));
	CHECK_EQ(t.nr, 3);
	CHECK_ENTRY(&t, 0, 0x0, 0x1000, E820_USABLE);
	CHECK_ENTRY(&t, 1, 0x10000, 0x1000, E820_NVS);
	CHECK_ENTRY(&t, 2, 0x100000, 0x1000, E820_USABLE);

	/* reversed QEMU map: only the order was wrong */
	memset(&t, 0, sizeof(t));
	for (int i = ARRAY_SIZE(qemu8g) - 1; i >= 0; i--)
		t.map[t.nr++] = qemu8g[i];
	CHECK_EQ(e820_sanitize(&t), 1);
	CHECK(same_entries(t.map, qemu8g, ARRAY_SIZE(qemu8g)));
}

HTEST(e820_sanitize_wraps_2_64)
{
	struct e820_table t;

	LOAD(&t, { 0xfffffffffffff000ULL, 0x2000, E820_USABLE });
	CHECK_EQ(e820_sanitize(&t), 2);
	CHECK_EQ(t.nr, 0);
	CHECK(htest_log_contains("[mem 0xfffffffffffff000-...] size 0x2000 wraps past 2^64"));
	CHECK(htest_log_contains("e820: ignoring [mem 0xfffffffffffff000-0xffffffffffffffff] above the 64 GB PAE limit (0x2000 bytes dropped)"));

	/* starts low, wraps: keep what is below the limit */
	LOAD(&t, { 0x1000, TOP, E820_RESERVED }, { 0x0, 0x1000, E820_USABLE });
	CHECK_EQ(e820_sanitize(&t), 3); /* wrap, clip, sort */
	CHECK_EQ(t.nr, 2);
	CHECK_ENTRY(&t, 1, 0x1000, LIMIT - 0x1000, E820_RESERVED);
	CHECK(htest_log_contains("e820: ignoring [mem 0x0000001000000000-0xffffffffffffffff] above the 64 GB PAE limit (0xfffffff000000fff bytes dropped)"));
}

HTEST(e820_sanitize_64gb_limit)
{
	struct e820_table t;

	LOAD(&t, { 0x0, 0x9fc00, E820_USABLE }, { LIMIT - MB(1), MB(2), E820_USABLE },
	     { LIMIT, 0x1000, E820_RESERVED }, { LIMIT * 2, GB(4), E820_USABLE },
	     { LIMIT - 1, 1, E820_NVS });
	CHECK_EQ(e820_sanitize(&t), 4); /* straddler clipped, two dropped, NVS overlap */
	CHECK(htest_log_contains("e820: ignoring [mem 0x0000001000000000-0x00000010000fffff] above the 64 GB PAE limit (0x100000 bytes dropped)"));
	CHECK(htest_log_contains("e820: ignoring [mem 0x0000001000000000-0x0000001000000fff] above the 64 GB PAE limit (0x1000 bytes dropped)"));
	CHECK(htest_log_contains("e820: ignoring [mem 0x0000002000000000-0x00000020ffffffff] above the 64 GB PAE limit (0x100000000 bytes dropped)"));
	CHECK_EQ(t.nr, 3);
	CHECK_ENTRY(&t, 1, LIMIT - MB(1), MB(1) - 1, E820_USABLE);
	CHECK_ENTRY(&t, 2, LIMIT - 1, 1, E820_NVS);
	CHECK_EQ(e820_end_of_ram(&t), LIMIT - 1);
}

HTEST(e820_sanitize_overflowing_result)
{
	static struct e820_table t;
	const u64 m = E820_MAX_ENTRIES;
	u64 usable_before;

	/* one usable range punched by m - 1 holes resolves into 2m - 1 pieces */
	memset(&t, 0, sizeof(t));
	e820_add(&t, 0, (2 * m) << 12, E820_USABLE);
	for (u64 i = 0; i < m - 1; i++)
		e820_add(&t, (2 * i + 1) << 12, 0x1000, E820_RESERVED);
	usable_before = e820_total(&t, E820_USABLE);
	CHECK(e820_sanitize(&t) > (int)m - 1);
	/* pieces m .. 2m - 2, then the rest of the range up to 2m pages: usable
	 * are the even pieces (m is even) and the final 2 pages */
	CHECK(logged("e820: resolved map needs %llu entries, only %llu fit: ignoring [mem "
		     "0x%016llx-0x%016llx] (%llu usable bytes)", 2 * m - 1, m, m << 12,
		     ((2 * m) << 12) - 1, ((m - 2) / 2 * 0x1000) + 0x2000));
	CHECK_EQ(t.nr, m);
	for (u32 i = 0; i < t.nr; i++)
		CHECK_ENTRY(&t, i, (u64)i << 12, 0x1000, (i & 1) ? E820_RESERVED : E820_USABLE);
	CHECK(e820_total(&t, E820_USABLE) <= usable_before);
	CHECK_EQ(e820_sanitize(&t), 0);
}

HTEST(e820_sanitize_corrupt_count)
{
	struct e820_table t;

	load(&t, qemu8g, ARRAY_SIZE(qemu8g));
	t.nr = 0xdeadbeef;
	CHECK(e820_sanitize(&t) > 0);
	CHECK(logged("e820: table claims 3735928559 entries, only %d exist", E820_MAX_ENTRIES));
	CHECK(t.nr <= E820_MAX_ENTRIES);
	CHECK_EQ(e820_total(&t, E820_USABLE), 0x9fc00 + 0xbfee0000 + 0x140000000ULL);
}

HTEST(e820_queries)
{
	struct e820_table t;
	u32 type = 99;

	load(&t, qemu8g, ARRAY_SIZE(qemu8g));
	CHECK_EQ(e820_total(&t, E820_USABLE), 0x9fc00 + 0xbfee0000 + 0x140000000ULL);
	CHECK_EQ(e820_total(&t, E820_RESERVED), 0x400 + 0x10000 + 0x20000 + 0x40000);
	CHECK_EQ(e820_total(&t, E820_NVS), 0);
	CHECK_EQ(e820_end_of_ram(&t), 0x240000000ULL);
	CHECK(e820_range_is(&t, 0x100000, 0xbffe0000, E820_USABLE));
	CHECK(!e820_range_is(&t, 0x100000, 0xbffe0001, E820_USABLE));
	CHECK(!e820_range_is(&t, 0xfffff, 0x100001, E820_USABLE));
	CHECK(e820_range_is(&t, 0x9fc00, 0x9fc01, E820_RESERVED));
	CHECK(!e820_range_is(&t, 0x9fc00, 0xa0001, E820_RESERVED)); /* runs into the hole */
	CHECK(!e820_range_is(&t, 0x1000, 0x1000, E820_USABLE));     /* empty */
	CHECK(e820_range_is(&t, 0x100000000ULL, 0x240000000ULL, E820_USABLE));
	CHECK(e820_lookup(&t, 0x23fffffffULL, &type) && type == E820_USABLE);
	CHECK(e820_lookup(&t, 0xfffc0000, &type) && type == E820_RESERVED);
	type = 99;
	CHECK(!e820_lookup(&t, 0xa0000, &type) && type == 99);
	CHECK(!e820_lookup(&t, 0x240000000ULL, &type));

	/* unsorted, split but touching: coverage still found */
	LOAD(&t, { 0x3000, 0x1000, E820_USABLE }, { 0x1000, 0x1000, E820_USABLE },
	     { 0x2000, 0x1000, E820_USABLE });
	CHECK(e820_range_is(&t, 0x1800, 0x3800, E820_USABLE));
	CHECK(!e820_range_is(&t, 0x1800, 0x4001, E820_USABLE));

	/* absurd raw entries saturate instead of wrapping */
	LOAD(&t, { 0x1000, TOP, E820_USABLE }, { 0x0, TOP, E820_USABLE });
	CHECK_EQ(e820_total(&t, E820_USABLE), TOP);
	CHECK_EQ(e820_end_of_ram(&t), TOP);
	CHECK(e820_range_is(&t, 0, TOP, E820_USABLE));
	memset(&t, 0, sizeof(t));
	CHECK_EQ(e820_end_of_ram(&t), 0);
}

/* ---- randomized property test ----------------------------------------- */

static u64 rng_state = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 rnd_addr(void)
{
	u64 r = rnd() % 100;

	if (r < 70)
		return (rnd() % 64) << 12 | ((rnd() % 8 == 0) ? rnd() % 0x1000 : 0);
	if (r < 85)
		return LIMIT - (32ULL << 12) + ((rnd() % 64) << 12);
	if (r < 95)
		return TOP - ((rnd() % 16) << 12);
	return rnd();
}

static u64 rnd_size(void)
{
	u64 r = rnd() % 100;

	if (r < 5)
		return 0;
	if (r < 90)
		return (1 + rnd() % 24) << 12;
	if (r < 95)
		return rnd() % 0x3000 + 1;
	return rnd();
}

static const u32 rnd_types[] = { 1, 1, 1, 2, 3, 4, 5, 0, 12, 0xffffffffu };

/* The spec's ranking, written independently of mm/e820.c. */
static bool stricter(u32 a, u32 b)
{
	if (a == E820_USABLE || b == E820_USABLE)
		return b == E820_USABLE && a != E820_USABLE;
	return a > b;
}

static bool oracle(const struct e820_table *in, u64 p, u32 *type)
{
	bool found = false;

	if (p >= LIMIT)
		return false;
	for (u32 i = 0; i < in->nr; i++) {
		const struct e820_entry *e = &in->map[i];

		if (p >= e->addr && p - e->addr < e->size && (!found || stricter(e->type, *type))) {
			*type = e->type;
			found = true;
		}
	}
	return found;
}

/* Already sorted, disjoint, merged, in range: sanitize must return 0. */
static bool is_clean(const struct e820_table *t)
{
	for (u32 i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->map[i], *p = e - 1;

		if (!e->size || e->addr >= LIMIT || e->size > LIMIT - e->addr)
			return false;
		if (i && (p->addr + p->size > e->addr ||
			  (p->addr + p->size == e->addr && p->type == e->type)))
			return false;
	}
	return true;
}

static u64 usable_sum(const struct e820_table *t)
{
	u64 sum = 0;

	for (u32 i = 0; i < t->nr; i++)
		if (t->map[i].type == E820_USABLE)
			sum = t->map[i].size > ~sum ? TOP : sum + t->map[i].size;
	return sum;
}

static int check_probe(const struct e820_table *in, const struct e820_table *out, u64 p)
{
	u32 want = 0, got = 0;
	bool w = oracle(in, p, &want), g = e820_lookup(out, p, &got);

	if (w != g || (w && want != got)) {
		htest_fail(__FILE__, __LINE__, "probe 0x%llx: want %d/%u got %d/%u",
			   (unsigned long long)p, w, want, g, got);
		return 1;
	}
	return 0;
}

static int check_result(const struct e820_table *in, const struct e820_table *out, int ret)
{
	int bad = 0;

	CHECK(ret >= 0);
	CHECK(out->nr <= E820_MAX_ENTRIES);
	CHECK(is_clean(out));
	CHECK((ret == 0) == is_clean(in));
	CHECK(usable_sum(out) <= usable_sum(in));
	for (u32 i = 0; i < in->nr && !bad; i++) {
		const struct e820_entry *e = &in->map[i];

		bad |= check_probe(in, out, e->addr);
		bad |= check_probe(in, out, e->addr - 1);
		bad |= check_probe(in, out, e->addr + e->size);
		bad |= check_probe(in, out, e->addr + e->size - 1);
	}
	for (int i = 0; i < 24 && !bad; i++)
		bad |= check_probe(in, out, rnd_addr());
	bad |= check_probe(in, out, LIMIT - 1);
	bad |= check_probe(in, out, LIMIT);
	return bad;
}

HTEST(e820_sanitize_random_property)
{
	static struct e820_table in, out, again;
	int failures = 0;

	for (int iter = 0; iter < 2000 && failures < 3; iter++) {
		memset(&in, 0, sizeof(in));
		for (u64 n = rnd() % 41; n; n--)
			e820_add(&in, rnd_addr(), rnd_size(), rnd_types[rnd() % ARRAY_SIZE(rnd_types)]);
		if (iter % 4 == 0) /* sometimes a clean map: sorted, disjoint */
			for (u32 i = 0; i < in.nr; i++)
				in.map[i] = (struct e820_entry){ (u64)i << 13, 0x1000 << (i & 1), 1 + i % 3 };
		out = in;
		htest_log_clear();
		failures += check_result(&in, &out, e820_sanitize(&out));
		again = out;
		CHECK_EQ(e820_sanitize(&again), 0); /* idempotent */
		CHECK(again.nr == out.nr && same_entries(again.map, out.map, out.nr));
	}
	CHECK_EQ(failures, 0);
}
