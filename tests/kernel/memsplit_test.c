/* memsplit_test.c - find_low_pfn_range inside the kernel, on static copies
 * of QEMU's maps (never the live boot map), with its own command lines.
 * This exercises the 32-bit build's arithmetic: unsigned long is 32 bits
 * here, while addresses above 4 GB need the u64 paths.
 *
 * find_low_pfn_range sets the live globals (max_pfn, high_memory...) and
 * reads the live command line, so every run saves both and puts them back.
 */
#include "cmdline.h"
#include "e820.h"
#include "kstring.h"
#include "ktest.h"
#include "layout.h"
#include "memsplit.h"
#include "printk.h"

static struct e820_table work;
static struct mem_split ms;
static char saved_cmdline[1024];
static char logtail[8192];
static const char *run_log = ""; /* this run's part of logtail */
static unsigned runs;

static const struct e820_entry qemu512[] = {
	{ 0x0, 0x9fc00, E820_USABLE },
	{ 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED },
	{ 0x100000, 0x1fee0000, E820_USABLE },
	{ 0x1ffe0000, 0x20000, E820_RESERVED },
	{ 0xfffc0000, 0x40000, E820_RESERVED },
};

static const struct e820_entry qemu2048[] = {
	{ 0x0, 0x9fc00, E820_USABLE },
	{ 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED },
	{ 0x100000, 0x7fee0000, E820_USABLE },
	{ 0x7ffe0000, 0x20000, E820_RESERVED },
	{ 0xfffc0000, 0x40000, E820_RESERVED },
};

static const struct e820_entry qemu8192[] = {
	{ 0x0, 0x9fc00, E820_USABLE },
	{ 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED },
	{ 0x100000, 0xbfee0000, E820_USABLE },
	{ 0xbffe0000, 0x20000, E820_RESERVED },
	{ 0xfffc0000, 0x40000, E820_RESERVED },
	{ 0x100000000ULL, 0x140000000ULL, E820_USABLE },
};

#define RUN(map, cmdline, bits) run(map, ARRAY_SIZE(map), cmdline, bits)

/* Where the newest run's marker ends in logtail; the empty string if it
 * scrolled out (then every logged() check fails, loudly). */
static const char *find_marker(void)
{
	char marker[32];
	const char *found = "";
	size_t n = (size_t)snprintf(marker, sizeof(marker), "memsplit_test: run %u\n", runs);

	for (const char *p = logtail; *p; p++)
		if (strncmp(p, marker, n) == 0)
			found = p + n;
	return found;
}

/* One find_low_pfn_range on a copy of map with the given command line.
 * The messages land in the log (checked with logged()); the expected
 * errors among them are kept off the console so the KTAP stream stays
 * readable. Everything global is restored before returning. */
static int run(const struct e820_entry *map, u32 n, const char *cmdline, unsigned bits)
{
	unsigned long s_max = max_pfn, s_low = max_low_pfn, s_high = high_memory;
	unsigned long s_vstart = vmalloc_start;
	int s_level = console_loglevel, ret;

	memset(&work, 0, sizeof(work));
	for (u32 i = 0; i < n && i < E820_MAX_ENTRIES; i++)
		work.map[work.nr++] = map[i];
	strlcpy(saved_cmdline, cmdline_get_all(), sizeof(saved_cmdline));
	cmdline_set(cmdline);
	console_loglevel = MIN(s_level, 2);
	/* A marker, so logged() cannot match an earlier run's lines. */
	pr_info("memsplit_test: run %u\n", ++runs);
	ret = find_low_pfn_range(&work, bits, &ms);

	console_loglevel = s_level;
	cmdline_set(saved_cmdline);
	log_read_tail(logtail, sizeof(logtail));
	run_log = find_marker();
	max_pfn = s_max;
	max_low_pfn = s_low;
	high_memory = s_high;
	vmalloc_start = s_vstart;
	return ret;
}

/* Did the last run print needle? (The freestanding build has no strstr.) */
static bool logged(const char *needle)
{
	size_t n = strlen(needle);

	for (const char *p = run_log; *p; p++)
		if (strncmp(p, needle, n) == 0)
			return true;
	return false;
}

static void test_qemu512_all_lowmem(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu512, "", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x1ffe0);
	KTEST_EXPECT_EQ(t, ms.max_low_pfn, 0x1ffe0);
	KTEST_EXPECT_EQ(t, ms.highmem_pages, 0);
	KTEST_EXPECT_TRUE(t, logged("511MB LOWMEM available."));
}

static void test_qemu2048_split(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x7ffe0);
	KTEST_EXPECT_EQ(t, ms.max_low_pfn, 0x38000);
	KTEST_EXPECT_EQ(t, ms.maxmem, MB(896));
	KTEST_EXPECT_TRUE(t, logged("1151MB HIGHMEM available."));
	KTEST_EXPECT_TRUE(t, logged("896MB LOWMEM available."));
}

static void test_qemu8192_above_4g(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu8192, "", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x240000);
	KTEST_EXPECT_EQ(t, ms.highmem_pages, 0x240000 - 0x38000);
	KTEST_EXPECT_TRUE(t, logged("8320MB HIGHMEM available."));
}

static void test_phys_bits_32(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu8192, "", 32), 0);
	KTEST_EXPECT_EQ(t, ms.ignored_above_phys_bits, 0x140000000ULL);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0xbffe0);
	KTEST_EXPECT_EQ(t, e820_end_of_ram(&work), 0xbffe0000ULL);
	KTEST_EXPECT_TRUE(t, logged("CPU addresses only 32 physical bits: ignoring 5120MB of RAM above 0x0000000100000000"));
}

static void test_mem_1g(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu8192, "mem=1G", 36), 0);
	KTEST_EXPECT_EQ(t, ms.mem_limit, GB(1));
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x40000);
	KTEST_EXPECT_EQ(t, ms.highmem_pages, 0x8000);
	KTEST_EXPECT_TRUE(t, logged("e820: remove [mem 0x0000000040000000-0x000000023fffffff] usable"));
	KTEST_EXPECT_TRUE(t, logged("user: [mem 0x0000000000100000-0x000000003fffffff] usable"));
}

static void test_mem_garbage(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "mem=lots", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x7ffe0);
	KTEST_EXPECT_TRUE(t, logged("mem=lots ignored"));
}

static void test_vmalloc(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "vmalloc=256M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.maxmem, MB(768));
	KTEST_EXPECT_EQ(t, ms.max_low_pfn, 0x30000);
	KTEST_EXPECT_TRUE(t, logged("768MB LOWMEM available."));
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "vmalloc=16M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.maxmem, MB(896));
	KTEST_EXPECT_TRUE(t, logged("vmalloc=16M ignored"));
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "vmalloc=1000M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.maxmem, MB(896));
	KTEST_EXPECT_TRUE(t, logged("vmalloc=1000M ignored"));
}

static void test_highmem_rules(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, RUN(qemu512, "highmem=128M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_low_pfn, 0x17fe0);
	KTEST_EXPECT_TRUE(t, logged("128MB HIGHMEM available."));
	KTEST_ASSERT_EQ(t, RUN(qemu512, "highmem=512M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.highmem_pages, 0);
	KTEST_EXPECT_TRUE(t, logged("highmem size (512MB) is bigger than pages available (511MB)!"));
	KTEST_ASSERT_EQ(t, RUN(qemu512, "highmem=480M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.highmem_pages, 0);
	KTEST_EXPECT_TRUE(t, logged("highmem size (480MB) results in <64MB lowmem, ignoring it!"));
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "highmem=256M", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x48000);
	KTEST_ASSERT_EQ(t, RUN(qemu2048, "highmem=2G", 36), 0);
	KTEST_EXPECT_EQ(t, ms.max_pfn, 0x7ffe0);
	KTEST_EXPECT_TRUE(t, logged("only 1151MB highmem pages available, ignoring highmem size of 2048MB!"));
}

static void test_no_usable_ram(struct ktest *t)
{
	static const struct e820_entry none[] = {
		{ 0x0, 0x100000, E820_RESERVED },
	};

	KTEST_EXPECT_EQ(t, RUN(none, "", 36), -1);
	KTEST_EXPECT_TRUE(t, logged("no usable RAM left"));
}

/* The live values must survive the suite. */
static void test_globals_restored(struct ktest *t)
{
	unsigned long before = max_low_pfn, hm = high_memory;
	const char *live = cmdline_get_all();
	static char copy[1024];

	strlcpy(copy, live, sizeof(copy));
	RUN(qemu8192, "mem=512M vmalloc=256M", 32);
	KTEST_EXPECT_EQ(t, max_low_pfn, before);
	KTEST_EXPECT_EQ(t, high_memory, hm);
	KTEST_EXPECT_STREQ(t, cmdline_get_all(), copy);
}

static struct ktest_case cases[] = {
	KTEST_CASE(test_qemu512_all_lowmem),
	KTEST_CASE(test_qemu2048_split),
	KTEST_CASE(test_qemu8192_above_4g),
	KTEST_CASE(test_phys_bits_32),
	KTEST_CASE(test_mem_1g),
	KTEST_CASE(test_mem_garbage),
	KTEST_CASE(test_vmalloc),
	KTEST_CASE(test_highmem_rules),
	KTEST_CASE(test_no_usable_ram),
	KTEST_CASE(test_globals_restored),
	{ 0 },
};
KTEST_SUITE(memsplit, cases);
