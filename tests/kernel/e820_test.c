/* e820_test.c - the map sanitizer, run inside the kernel on its own static
 * tables (never the live boot map), so the freestanding build's 64-bit
 * arithmetic is exercised on the real target. */
#include "e820.h"
#include "kstring.h"
#include "ktest.h"
#include "printk.h"

static struct e820_table work;

static void load(const struct e820_entry *e, u32 n)
{
	memset(&work, 0, sizeof(work));
	for (u32 i = 0; i < n && i < E820_MAX_ENTRIES; i++)
		work.map[work.nr++] = e[i];
}

static void expect_entry(struct ktest *t, u32 i, u64 addr, u64 size, u32 type)
{
	KTEST_EXPECT_EQ(t, work.map[i].addr, addr);
	KTEST_EXPECT_EQ(t, work.map[i].size, size);
	KTEST_EXPECT_EQ(t, work.map[i].type, type);
}

static void test_overlap_stricter_wins(struct ktest *t)
{
	static const struct e820_entry in[] = {
		{ 0x0, 0x100000, E820_USABLE },
		{ 0x40000, 0x20000, E820_NVS },
		{ 0x50000, 0x20000, E820_ACPI }, /* NVS beats ACPI where they meet */
	};

	load(in, ARRAY_SIZE(in));
	KTEST_EXPECT_EQ(t, e820_sanitize(&work), 2);
	KTEST_ASSERT_EQ(t, work.nr, 4);
	expect_entry(t, 0, 0x0, 0x40000, E820_USABLE);
	expect_entry(t, 1, 0x40000, 0x20000, E820_NVS);
	expect_entry(t, 2, 0x60000, 0x10000, E820_ACPI);
	expect_entry(t, 3, 0x70000, 0x90000, E820_USABLE);
}

static void test_clip_at_64gb(struct ktest *t)
{
	static const struct e820_entry in[] = {
		{ 0x0, 0x9fc00, E820_USABLE },
		{ E820_PHYS_LIMIT - GB(1), GB(2), E820_USABLE },   /* straddles */
		{ E820_PHYS_LIMIT, GB(1), E820_USABLE },            /* above */
		{ 0xfffffffffffff000ULL, 0x2000, E820_RESERVED }, /* wraps 2^64 */
	};

	load(in, ARRAY_SIZE(in));
	KTEST_EXPECT_GE(t, e820_sanitize(&work), 3);
	KTEST_ASSERT_EQ(t, work.nr, 2);
	expect_entry(t, 1, E820_PHYS_LIMIT - GB(1), GB(1), E820_USABLE);
	KTEST_EXPECT_EQ(t, e820_end_of_ram(&work), E820_PHYS_LIMIT);
}

static void test_merge_and_order(struct ktest *t)
{
	static const struct e820_entry in[] = {
		{ 0x200000, 0x100000, E820_USABLE },
		{ 0x100000, 0x100000, E820_USABLE },
		{ 0x300000, 0, E820_RESERVED },    /* empty */
		{ 0x100000, 0x100000, E820_USABLE }, /* duplicate */
		{ 0x300000, 0x1000, E820_RESERVED }, /* touches, other type */
	};

	load(in, ARRAY_SIZE(in));
	KTEST_EXPECT_GT(t, e820_sanitize(&work), 0);
	KTEST_ASSERT_EQ(t, work.nr, 2);
	expect_entry(t, 0, 0x100000, 0x200000, E820_USABLE);
	expect_entry(t, 1, 0x300000, 0x1000, E820_RESERVED);
	KTEST_EXPECT_EQ(t, e820_sanitize(&work), 0); /* now clean */
}

/* Usable bytes at or above addr. */
static u64 usable_above(u64 addr)
{
	u64 sum = 0;

	for (u32 i = 0; i < work.nr; i++) {
		const struct e820_entry *e = &work.map[i];
		u64 start = MAX(e->addr, addr), end = e->addr + e->size;

		if (e->type == E820_USABLE && end > start)
			sum += end - start;
	}
	return sum;
}

static void test_qemu_8192_map(struct ktest *t)
{
	static const struct e820_entry qemu[] = {
		{ 0x0, 0x9fc00, E820_USABLE },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0xf0000, 0x10000, E820_RESERVED },
		{ 0x100000, 0xbfee0000, E820_USABLE },
		{ 0xbffe0000, 0x20000, E820_RESERVED }, /* SeaBIOS's top 128 KB */
		{ 0xfffc0000, 0x40000, E820_RESERVED },
		{ 0x100000000ULL, 0x140000000ULL, E820_USABLE },
	};

	load(qemu, ARRAY_SIZE(qemu));
	KTEST_EXPECT_EQ(t, e820_sanitize(&work), 0);
	KTEST_EXPECT_EQ(t, work.nr, ARRAY_SIZE(qemu));
	KTEST_EXPECT_EQ(t, usable_above(GB(4)), 0x140000000ULL);
	KTEST_EXPECT_EQ(t, e820_end_of_ram(&work), 0x240000000ULL);
	KTEST_EXPECT_EQ(t, e820_total(&work, E820_USABLE), 0x9fc00 + 0xbfee0000 + 0x140000000ULL);
	KTEST_EXPECT_TRUE(t, e820_range_is(&work, MB(1), 0xbffe0000, E820_USABLE));
	KTEST_EXPECT_FALSE(t, e820_range_is(&work, MB(1), GB(3) + 1, E820_USABLE));
	KTEST_EXPECT_TRUE(t, e820_range_is(&work, 0xfffc0000, GB(4), E820_RESERVED));
}

/* A small version of the hosted property test: random maps, each probe's
 * type after sanitize must be the strictest input type covering it. */
static u32 rng = 12345;

static u32 rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static bool stricter(u32 a, u32 b)
{
	if (a == E820_USABLE || b == E820_USABLE)
		return b == E820_USABLE && a != E820_USABLE;
	return a > b;
}

/* Probe one sanitized random map against the input; describe a mismatch in why. */
static bool check_random_map(const struct e820_table *in, char *why, size_t len)
{
	for (u32 p = 0; p < 40; p++) {
		u64 addr = ((u64)(p & 31) << 12) + ((p & 32) ? GB(4) : 0) + (rnd() & 0xfff);
		u32 want = 0, got = 0;
		bool w = false, g = e820_lookup(&work, addr, &got);

		for (u32 i = 0; i < in->nr; i++) {
			const struct e820_entry *e = &in->map[i];

			if (addr >= e->addr && addr - e->addr < e->size && (!w || stricter(e->type, want)))
				want = e->type, w = true;
		}
		if (w != g || want != got) {
			snprintf(why, len, "probe 0x%llx: want %d/%u, got %d/%u",
				 (unsigned long long)addr, w, want, g, got);
			return false;
		}
	}
	for (u32 i = 1; i < work.nr; i++) {
		if (work.map[i - 1].addr + work.map[i - 1].size > work.map[i].addr) {
			snprintf(why, len, "entries %u and %u overlap", i - 1, i);
			return false;
		}
	}
	return true;
}

static void test_random_maps(struct ktest *t)
{
	static struct e820_table in;
	static char why[128];
	int saved = console_loglevel, iter;

	/* These maps are bad on purpose: their warnings stay in the log buffer
	 * but are kept off the console (errors still show). */
	console_loglevel = MIN(saved, 4);
	for (iter = 0; iter < 200; iter++) {
		memset(&in, 0, sizeof(in));
		for (u32 n = rnd() % 24; n; n--)
			e820_add(&in, ((u64)(rnd() % 32) << 12) + ((rnd() & 1) ? GB(4) : 0),
				 (u64)(rnd() % 8) << 12, 1 + rnd() % 5);
		work = in;
		e820_sanitize(&work);
		if (!check_random_map(&in, why, sizeof(why)))
			break;
	}
	console_loglevel = saved;
	if (iter < 200)
		KTEST_FAIL(t, "random map %d: %s", iter, why);
}

static struct ktest_case cases[] = {
	KTEST_CASE(test_overlap_stricter_wins),
	KTEST_CASE(test_clip_at_64gb),
	KTEST_CASE(test_merge_and_order),
	KTEST_CASE(test_qemu_8192_map),
	KTEST_CASE(test_random_maps),
	{ 0 },
};
KTEST_SUITE(e820, cases);
