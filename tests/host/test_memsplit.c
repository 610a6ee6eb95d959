/* test_memsplit.c - hosted tests of mm/memsplit.c on QEMU's real maps
 * (machine pc, -m 512/2048/8192): the lowmem/highmem split, the CPU's
 * address width, and mem=, vmalloc=, highmem= with every rule's message. */
#include "cmdline.h"
#include "htest.h"
#include "layout.h"
#include "memsplit.h"
#include "mm.h"

static struct e820_table map;
static struct mem_split ms;

/* As SeaBIOS reports them; low_end is where RAM below 4 GB stops. */
static void qemu_map(u64 low_end, u64 high_size)
{
	memset(&map, 0, sizeof(map));
	e820_add(&map, 0, 0x9fc00, E820_USABLE);
	e820_add(&map, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(&map, 0xf0000, 0x10000, E820_RESERVED);
	e820_add(&map, 0x100000, low_end - 0x100000, E820_USABLE);
	e820_add(&map, low_end, 0x20000, E820_RESERVED);
	e820_add(&map, 0xfffc0000, 0x40000, E820_RESERVED);
	if (high_size)
		e820_add(&map, 0x100000000ULL, high_size, E820_USABLE);
}

#define QEMU512() qemu_map(0x1ffe0000, 0)
#define QEMU2048() qemu_map(0x7ffe0000, 0)
#define QEMU8192() qemu_map(0xbffe0000, 0x140000000ULL)

/* Run with a command line; the tests share one, so always reset it. */
static int split(const char *cmdline, unsigned phys_bits)
{
	int ret;

	cmdline_set(cmdline);
	htest_log_clear();
	ret = find_low_pfn_range(&map, phys_bits, &ms);
	cmdline_set("");
	return ret;
}

static void check_split(unsigned long max, unsigned long low, u64 maxmem)
{
	CHECK_EQ(ms.max_pfn, max);
	CHECK_EQ(ms.max_low_pfn, low);
	CHECK_EQ(ms.highmem_pages, max - low);
	CHECK_EQ(ms.maxmem, maxmem);
	CHECK_EQ(ms.vmalloc_reserve, GB(1) - maxmem);
	CHECK_EQ(max_pfn, max);
	CHECK_EQ(max_low_pfn, low);
	CHECK_EQ(high_memory, PAGE_OFFSET + (low << PAGE_SHIFT));
}

HTEST(memsplit_qemu512_all_lowmem)
{
	QEMU512();
	CHECK_EQ(split("", 36), 0);
	check_split(0x1ffe0, 0x1ffe0, MB(896));
	CHECK(htest_log_contains("511MB LOWMEM available.\n"));
	CHECK(htest_log_contains("0MB HIGHMEM available.\n"));
	CHECK_EQ(ms.mem_limit, 0);
	CHECK_EQ(ms.ignored_above_phys_bits, 0);
	/* The guard gap ends on the next 8 MB boundary. */
	CHECK_EQ(vmalloc_start, 0xe0800000UL); /* a full 8 MB gap after 0xdffe0000, 2 MB aligned */
}

HTEST(memsplit_qemu2048)
{
	QEMU2048();
	CHECK_EQ(split("", 36), 0);
	check_split(0x7ffe0, 0x38000, MB(896));
	CHECK(htest_log_contains("1151MB HIGHMEM available.\n"));
	CHECK(htest_log_contains("896MB LOWMEM available.\n"));
	CHECK_EQ(high_memory, 0xf8000000UL);
	CHECK_EQ(vmalloc_start, 0xf8800000UL);
	CHECK(vmalloc_start < VMALLOC_END);
}

HTEST(memsplit_qemu8192)
{
	QEMU8192();
	CHECK_EQ(split("", 36), 0);
	check_split(0x240000, 0x38000, MB(896));
	CHECK(htest_log_contains("8320MB HIGHMEM available.\n"));
	CHECK(htest_log_contains("896MB LOWMEM available.\n"));
	CHECK_EQ(e820_end_of_ram(&map), 0x240000000ULL); /* map untouched */
	/* 40 bits (a modern CPU) or unknown (0): nothing changes either. */
	CHECK_EQ(split("", 40), 0);
	CHECK_EQ(ms.max_pfn, 0x240000);
	CHECK_EQ(split("", 0), 0);
	CHECK_EQ(ms.max_pfn, 0x240000);
}

HTEST(memsplit_phys_bits_32_drops_ram_above_4g)
{
	QEMU8192();
	CHECK_EQ(split("", 32), 0);
	CHECK(htest_log_contains("CPU addresses only 32 physical bits: ignoring 5120MB of RAM above "
				 "0x0000000100000000 (a page-table entry pointing there would fault "
				 "with the reserved bit set)\n"));
	CHECK_EQ(ms.ignored_above_phys_bits, 0x140000000ULL);
	check_split(0xbffe0, 0x38000, MB(896));
	CHECK(htest_log_contains("2175MB HIGHMEM available.\n"));
	CHECK_EQ(e820_end_of_ram(&map), 0xbffe0000ULL);
	CHECK_EQ(e820_total(&map, E820_USABLE), 0x9fc00 + 0xbfee0000ULL);
	CHECK_EQ(map.map[map.nr - 1].type, E820_RESERVED); /* the BIOS ROM stays */
	/* Nothing above 4 GB: nothing to say. */
	QEMU2048();
	CHECK_EQ(split("", 32), 0);
	CHECK(!htest_log_contains("CPU addresses only"));
	CHECK_EQ(ms.ignored_above_phys_bits, 0);
}

HTEST(memsplit_phys_bits_cut_inside_an_entry)
{
	QEMU8192();
	CHECK_EQ(split("", 33), 0); /* 8 GB: cuts the entry above 4 GB */
	CHECK_EQ(ms.ignored_above_phys_bits, 0x40000000ULL);
	CHECK(htest_log_contains("ignoring 1024MB of RAM above 0x0000000200000000"));
	CHECK_EQ(ms.max_pfn, 0x200000);
	/* Nonsense widths are raised to 32, with a word about it. */
	QEMU8192();
	CHECK_EQ(split("", 20), 0);
	CHECK(htest_log_contains("CPU reports 20 physical address bits"));
	CHECK_EQ(ms.max_pfn, 0xbffe0);
}

HTEST(memsplit_mem_limit)
{
	QEMU8192();
	CHECK_EQ(split("console=ttyS0 mem=1G", 36), 0);
	CHECK(htest_log_contains("e820: remove [mem 0x0000000040000000-0x000000023fffffff] usable\n"));
	CHECK(htest_log_contains("user-defined physical RAM map:\n"));
	CHECK(htest_log_contains("user: [mem 0x0000000000100000-0x000000003fffffff] usable\n"));
	CHECK(htest_log_contains("user: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"));
	CHECK(!htest_log_contains("user: [mem 0x0000000100000000"));
	CHECK_EQ(ms.mem_limit, GB(1));
	check_split(0x40000, 0x38000, MB(896));
	CHECK(htest_log_contains("128MB HIGHMEM available.\n"));
	/* After mem=, the CPU's width finds nothing more to drop. */
	QEMU8192();
	CHECK_EQ(split("mem=512M", 32), 0);
	CHECK_EQ(ms.ignored_above_phys_bits, 0);
	check_split(0x20000, 0x20000, MB(896));
}

HTEST(memsplit_mem_bad_values_ignored)
{
	QEMU2048();
	CHECK_EQ(split("mem=garbage", 36), 0);
	CHECK(htest_log_contains("mem=garbage ignored: not a size"));
	CHECK_EQ(ms.mem_limit, 0);
	CHECK_EQ(ms.max_pfn, 0x7ffe0);
	CHECK_EQ(split("mem=512Mb", 36), 0);
	CHECK(htest_log_contains("mem=512Mb ignored"));
	CHECK_EQ(split("mem=", 36), 0);
	CHECK(htest_log_contains("mem= ignored"));
	CHECK_EQ(split("mem=0", 36), 0);
	CHECK(htest_log_contains("mem=0 ignored: a limit of 0 would remove all RAM"));
	CHECK_EQ(ms.max_pfn, 0x7ffe0);
	/* More than there is: said, and nothing changes. */
	CHECK_EQ(split("mem=16G", 36), 0);
	CHECK(htest_log_contains("mem=16G: usable RAM already ends at 0x7ffe0000, nothing removed"));
	CHECK(!htest_log_contains("user-defined"));
	CHECK_EQ(ms.mem_limit, GB(16));
	CHECK_EQ(ms.max_pfn, 0x7ffe0);
	/* Later words win, as in Linux. */
	CHECK_EQ(split("mem=garbage mem=1G", 36), 0);
	CHECK_EQ(ms.max_pfn, 0x40000);
}

HTEST(memsplit_mem_not_page_aligned)
{
	QEMU2048();
	CHECK_EQ(split("mem=0x10000800", 36), 0);
	CHECK_EQ(ms.max_pfn, 0x10000); /* the partial page is not usable */
	CHECK_EQ(e820_end_of_ram(&map), 0x10000800ULL);
}

HTEST(memsplit_vmalloc)
{
	QEMU2048();
	CHECK_EQ(split("vmalloc=256M", 36), 0);
	check_split(0x7ffe0, 0x30000, MB(768));
	CHECK(htest_log_contains("768MB LOWMEM available.\n"));
	CHECK(htest_log_contains("1279MB HIGHMEM available.\n"));
	CHECK_EQ(high_memory, 0xf0000000UL);
	CHECK_EQ(split("vmalloc=33M", 36), 0); /* rounded up to 2 MB */
	CHECK_EQ(ms.vmalloc_reserve, MB(34));
	CHECK_EQ(ms.max_low_pfn, (GB(1) - MB(34)) >> PAGE_SHIFT);
	CHECK_EQ(split("vmalloc=960M", 36), 0); /* exactly 64 MB of lowmem left */
	check_split(0x7ffe0, 0x4000, MB(64));
	/* Less vmalloc: more lowmem than the default 896 MB. */
	CHECK_EQ(split("vmalloc=64M", 36), 0);
	CHECK_EQ(ms.max_low_pfn, MB(960) >> PAGE_SHIFT);
	QEMU512();
	CHECK_EQ(split("vmalloc=256M", 36), 0); /* all RAM still below MAXMEM */
	check_split(0x1ffe0, 0x1ffe0, MB(768));
}

HTEST(memsplit_vmalloc_bad_values_ignored)
{
	QEMU2048();
	CHECK_EQ(split("vmalloc=16M", 36), 0);
	CHECK(htest_log_contains("vmalloc=16M ignored: below 32MB there is no room"));
	check_split(0x7ffe0, 0x38000, MB(896));
	CHECK_EQ(split("vmalloc=1000M", 36), 0);
	CHECK(htest_log_contains("vmalloc=1000M ignored: it would leave less than 64MB of lowmem"));
	check_split(0x7ffe0, 0x38000, MB(896));
	CHECK_EQ(split("vmalloc=0xffffffffffffffff", 36), 0);
	CHECK(htest_log_contains("less than 64MB of lowmem"));
	CHECK_EQ(ms.maxmem, MB(896));
	CHECK_EQ(split("vmalloc=lots", 36), 0);
	CHECK(htest_log_contains("vmalloc=lots ignored: not a size"));
	CHECK_EQ(ms.maxmem, MB(896));
}

/* ---- highmem=: Linux's lowmem_pfn_init / highmem_pfn_init rules ---------- */

HTEST(memsplit_highmem_forced_on_small_machine)
{
	QEMU512();
	CHECK_EQ(split("highmem=128M", 36), 0);
	check_split(0x1ffe0, 0x17fe0, MB(896));
	CHECK(htest_log_contains("128MB HIGHMEM available.\n"));
	CHECK(htest_log_contains("383MB LOWMEM available.\n"));
	CHECK_EQ(split("highmem=0", 36), 0); /* asks for none: none */
	check_split(0x1ffe0, 0x1ffe0, MB(896));
}

HTEST(memsplit_highmem_bigger_than_ram)
{
	QEMU512();
	CHECK_EQ(split("highmem=512M", 36), 0);
	CHECK(htest_log_contains("highmem size (512MB) is bigger than pages available (511MB)!\n"));
	check_split(0x1ffe0, 0x1ffe0, MB(896));
	CHECK(htest_log_contains("0MB HIGHMEM available.\n"));
}

HTEST(memsplit_highmem_leaves_too_little_lowmem)
{
	QEMU512();
	CHECK_EQ(split("highmem=480M", 36), 0);
	CHECK(htest_log_contains("highmem size (480MB) results in <64MB lowmem, ignoring it!\n"));
	check_split(0x1ffe0, 0x1ffe0, MB(896));
	/* 447 MB leaves 64 MB (minus nothing): allowed. */
	CHECK_EQ(split("highmem=0x1bfe0000", 36), 0);
	check_split(0x1ffe0, 0x4000, MB(896));
}

HTEST(memsplit_highmem_caps_highmem_on_big_machine)
{
	QEMU2048();
	CHECK_EQ(split("highmem=256M", 36), 0);
	check_split(0x48000, 0x38000, MB(896));
	CHECK(htest_log_contains("256MB HIGHMEM available.\n"));
	CHECK(htest_log_contains("896MB LOWMEM available.\n"));
	CHECK(htest_log_contains("RAM from 0x48000000 up left unused"));
	CHECK_EQ(split("highmem=0", 36), 0); /* Linux: no highmem at all */
	check_split(0x38000, 0x38000, MB(896));
	CHECK(htest_log_contains("0MB HIGHMEM available.\n"));
}

HTEST(memsplit_highmem_more_than_available)
{
	QEMU2048();
	CHECK_EQ(split("highmem=2G", 36), 0);
	CHECK(htest_log_contains("only 1151MB highmem pages available, ignoring highmem size of 2048MB!\n"));
	check_split(0x7ffe0, 0x38000, MB(896));
	CHECK_EQ(split("highmem=nope", 36), 0);
	CHECK(htest_log_contains("highmem=nope ignored: not a size"));
	check_split(0x7ffe0, 0x38000, MB(896));
}

HTEST(memsplit_highmem_with_vmalloc)
{
	QEMU2048();
	CHECK_EQ(split("vmalloc=256M highmem=512M", 36), 0);
	check_split(0x50000, 0x30000, MB(768));
}

/* ---- odd maps ----------------------------------------------------------- */

HTEST(memsplit_map_with_holes)
{
	memset(&map, 0, sizeof(map));
	e820_add(&map, 0, 0x9fc00, E820_USABLE);
	e820_add(&map, 0x100000, 0xff00000, E820_USABLE);      /* to 256 MB */
	e820_add(&map, 0x10000000, 0x10000000, E820_RESERVED);  /* hole */
	e820_add(&map, 0x20000000, 0x30000000, E820_USABLE);    /* 512 MB .. 1280 MB */
	e820_add(&map, 0x50000000, 0x10000000, E820_NVS);
	CHECK_EQ(split("", 36), 0);
	/* Holes count: HIGHMEM is frames max_low_pfn..max_pfn, as in Linux. */
	check_split(0x50000, 0x38000, MB(896));
	CHECK(htest_log_contains("384MB HIGHMEM available.\n"));
	/* mem= inside the hole cuts nothing usable but the part above. */
	CHECK_EQ(split("mem=384M", 36), 0);
	check_split(0x10000, 0x10000, MB(896));
	CHECK(htest_log_contains("e820: remove [mem 0x0000000018000000-0x000000004fffffff] usable\n"));
	CHECK_EQ(map.nr, 4); /* the usable entry above went, NVS stayed */
}

HTEST(memsplit_no_usable_ram)
{
	memset(&map, 0, sizeof(map));
	e820_add(&map, 0, 0x100000, E820_RESERVED);
	CHECK_EQ(split("", 36), -1);
	CHECK(htest_log_contains("no usable RAM left"));
	memset(&map, 0, sizeof(map));
	CHECK_EQ(split("", 36), -1);
	/* mem= below one page leaves nothing whole. */
	QEMU512();
	CHECK_EQ(split("mem=2K", 36), -1);
	CHECK(htest_log_contains("no usable RAM left"));
	/* All RAM above the CPU's reach. */
	memset(&map, 0, sizeof(map));
	e820_add(&map, 0x100000000ULL, GB(1), E820_USABLE);
	CHECK_EQ(split("", 32), -1);
	CHECK_EQ(ms.ignored_above_phys_bits, GB(1));
}

/* ---- issue 20: options that used to end in a memblock panic or a wrong message ---- */

HTEST(memsplit_below_minimum_ram_names_the_option)
{
	QEMU2048();
	CHECK_EQ(split("mem=8M", 36), -1);
	CHECK(htest_log_contains("mem=8M leaves only 7807KB of usable RAM: Highland needs at least 15MB"));
	QEMU2048();
	CHECK_EQ(split("mem=1M", 36), -1);
	CHECK(htest_log_contains("mem=1M leaves only"));
	qemu_map(0x7e0000, 0); /* QEMU -m 8 */
	CHECK_EQ(split("", 36), -1);
	CHECK(htest_log_contains("only 7679KB of usable RAM: Highland needs at least 15MB (QEMU -m 16)"));
	qemu_map(0xfe0000, 0); /* QEMU -m 16: the smallest that runs every suite */
	CHECK_EQ(split("", 36), 0);
	QEMU2048();
	CHECK_EQ(split("mem=16M", 36), 0);
}

HTEST(memsplit_vmalloc_must_leave_room_for_mem_map)
{
	/* 9 GB of address space: mem_map alone is 72 MB on i686 (32-byte struct
	 * page); the hosted struct page is larger, so the figures are computed */
	u64 memmap = ALIGN_UP(0x240000ULL * sizeof(struct page), MB(1));
	u64 most = ALIGN_DOWN(GB(1) - memmap - MB(32), MB(2));
	char want[200];

	QEMU8192();
	CHECK_EQ(split("vmalloc=960M", 36), 0);
	snprintf(want, sizeof(want), "vmalloc=960M ignored: the 64MB of lowmem left could not hold "
		 "mem_map for 9216MB of RAM (%lluMB) and 32MB more; at most vmalloc=%lluM here",
		 memmap >> 20, most >> 20);
	CHECK(htest_log_contains(want));
	CHECK_EQ(ms.maxmem, MB(896));
	snprintf(want, sizeof(want), "vmalloc=%lluM", most >> 20);
	CHECK_EQ(split(want, 36), 0);
	CHECK_EQ(ms.maxmem, GB(1) - most);
	QEMU2048(); /* 16 MB of mem_map: 960M still leaves room */
	CHECK_EQ(split("vmalloc=960M", 36), 0);
	CHECK_EQ(ms.maxmem, MB(64));
}

HTEST(memsplit_highmem_equal_to_ram_is_not_called_bigger)
{
	QEMU2048();
	CHECK_EQ(split("mem=512M highmem=512M", 36), 0);
	CHECK(!htest_log_contains("is bigger than pages available"));
	CHECK(htest_log_contains("highmem size (512MB) is all of RAM: no lowmem would be left, ignoring it!"));
	CHECK_EQ(ms.max_low_pfn, 0x20000);
}
