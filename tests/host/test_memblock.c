/* test_memblock.c - hosted tests of mm/memblock.c: merging and splitting,
 * reservation names, top-down allocation, free-range walks on QEMU's maps,
 * full arrays, the panic path (in a forked child), and a randomized check
 * of every operation against a page bitmap. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "e820.h"
#include "htest.h"
#include "memblock.h"

#define REG(t, i) (memblock.t.regions[i])
#define CHECK_REGION(t, i, b, s)                                               \
	do {                                                                   \
		CHECK_EQ(REG(t, i).base, b);                                   \
		CHECK_EQ(REG(t, i).size, s);                                   \
	} while (0)

HTEST(memblock_add_merges)
{
	memblock_reset();
	CHECK_EQ(memblock_add(0x3000, 0x1000), 0);
	CHECK_EQ(memblock_add(0x1000, 0x1000), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(memory, 0, 0x1000, 0x1000); /* kept sorted */
	CHECK_EQ(memblock_add(0x2000, 0x1000), 0); /* touches both: one region */
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_REGION(memory, 0, 0x1000, 0x3000);
	CHECK_EQ(memblock_add(0x800, 0x4000), 0); /* overlaps and extends below */
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_REGION(memory, 0, 0x800, 0x4000);
	CHECK_EQ(memblock_add(0x10000, 0), 0); /* empty: nothing */
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock_phys_mem_size(), 0x4000);
	CHECK_EQ(memblock_end_of_DRAM(), 0x4800);
}

HTEST(memblock_add_swallows_many)
{
	memblock_reset();
	for (int i = 0; i < 10; i++)
		memblock_add(0x10000 * (phys_addr_t)i, 0x1000);
	CHECK_EQ(memblock.memory.cnt, 10);
	CHECK_EQ(memblock_add(0x15000, 0x3b000), 0); /* covers 2..4, ends where 5 starts */
	CHECK_EQ(memblock.memory.cnt, 7);
	CHECK_REGION(memory, 1, 0x10000, 0x1000);
	CHECK_REGION(memory, 2, 0x15000, 0x51000 - 0x15000);
	CHECK_REGION(memory, 3, 0x60000, 0x1000);
}

HTEST(memblock_add_clips_at_top)
{
	memblock_reset();
	CHECK_EQ(memblock_add(~0ULL - 0xfff, 0x10000), 0); /* would wrap */
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(REG(memory, 0).base + REG(memory, 0).size, ~0ULL);
}

HTEST(memblock_remove_splits)
{
	memblock_reset();
	memblock_add(0, 0x10000);
	CHECK_EQ(memblock_remove(0x4000, 0x1000), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(memory, 0, 0, 0x4000);
	CHECK_REGION(memory, 1, 0x5000, 0xb000);
	CHECK(!memblock_is_memory(0x4000));
	CHECK(memblock_is_memory(0x3fff));
	CHECK(memblock_is_memory(0x5000));
	/* Across both: trims the head of one and the tail of the other. */
	CHECK_EQ(memblock_remove(0x3000, 0x3000), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(memory, 0, 0, 0x3000);
	CHECK_REGION(memory, 1, 0x6000, 0xa000);
	CHECK_EQ(memblock_remove(0x0, 0x3000), 0); /* exactly one region */
	CHECK_EQ(memblock.memory.cnt, 1);
	CHECK_EQ(memblock_remove(0x20000, 0x1000), 0); /* not there: fine */
	CHECK_EQ(memblock_remove(0x6000, ~0ULL), 0); /* to the top */
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock_end_of_DRAM(), 0);
}

HTEST(memblock_reserve_names)
{
	memblock_reset();
	CHECK_EQ(memblock_reserve(0x100000, 0x200000, "kernel"), 0);
	CHECK_EQ(memblock_reserve(0x300000, 0x1000, "bootinfo"), 0); /* touches: merges */
	CHECK_EQ(memblock_reserve(0, 0x1000, "page 0"), 0);
	CHECK_EQ(memblock.reserved.cnt, 2);
	CHECK_STREQ(REG(reserved, 0).name, "page 0");
	CHECK_STREQ(REG(reserved, 1).name, "kernel");
	CHECK_REGION(reserved, 1, 0x100000, 0x201000);
	/* A new range below an existing one: the first owner keeps the name. */
	CHECK_EQ(memblock_reserve(0xf0000, 0x10000, "bios"), 0);
	CHECK_STREQ(REG(reserved, 1).name, "kernel");
	CHECK_REGION(reserved, 1, 0xf0000, 0x211000);
	CHECK(memblock_is_reserved(0));
	CHECK(!memblock_is_reserved(0x1000));
	CHECK(memblock_is_reserved(0x300fff));
	CHECK(!memblock_is_reserved(0x301000));
	CHECK_EQ(memblock_reserved_size(), 0x1000 + 0x211000);
	/* Freeing the middle splits it; both halves keep the name. */
	CHECK_EQ(memblock_phys_free(0x200000, 0x1000), 0);
	CHECK_EQ(memblock.reserved.cnt, 3);
	CHECK_STREQ(REG(reserved, 2).name, "kernel");
	CHECK_REGION(reserved, 2, 0x201000, 0x100000);
	memblock_dump();
	CHECK(htest_log_contains(" reserved.cnt  = 0x3\n"));
	CHECK(htest_log_contains("  reserved[0x2]\t[0x0000000000201000-0x0000000000300fff], 0x100000 bytes kernel\n"));
}

HTEST(memblock_alloc_top_down)
{
	memblock_reset();
	memblock_add(0x100000, 0xf00000); /* 1 MB .. 16 MB */
	memblock_reserve(0xf00000, 0x100000, "top");
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0, ~0ULL, "a"), 0xeff000);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x200000, 0, ~0ULL, "b"), 0xe00000);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0, 0x800000, "c"), 0x7ff000);
	CHECK_EQ(memblock.allocated, 0x3000);
	CHECK(memblock_is_reserved(0xe00000));
	/* Gap between "b" and "a": 0xe01000..0xeff000 is found before lower space. */
	CHECK_EQ(memblock_phys_alloc_range(0x10000, 0x10000, 0, ~0ULL, "d"), 0xee0000);
	/* The start bound: nothing fits in [0xeff000, ~0). */
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0xeff000, ~0ULL, "e"), 0);
	/* Unaligned size, byte alignment: takes the very top. */
	CHECK_EQ(memblock_phys_alloc_range(0x10, 0, 0, 0x800000, "f"), 0x7feff0);
	CHECK_EQ(memblock.allocated, 0x3000 + 0x10000 + 0x10);
}

HTEST(memblock_alloc_failures_return_0)
{
	memblock_reset();
	memblock_add(0x100000, 0x100000);
	CHECK_EQ(memblock_phys_alloc_range(0x200000, 0x1000, 0, ~0ULL, "big"), 0);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x3000, 0, ~0ULL, "npot"), 0);
	CHECK_EQ(memblock_phys_alloc_range(0, 0x1000, 0, ~0ULL, "zero"), 0);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0x180000, 0x180000, "empty"), 0);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0x300000, 0x200000, "backwards"), 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(memblock.allocated, 0);
	/* Address 0 is the failure value, so it is never handed out. */
	memblock_reset();
	memblock_add(0, 0x2000);
	CHECK_EQ(memblock_phys_alloc_range(0x2000, 0x1000, 0, ~0ULL, "all"), 0);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0, ~0ULL, "one"), 0x1000);
	CHECK_EQ(memblock_phys_alloc_range(0x1000, 0x1000, 0, ~0ULL, "two"), 0);
}

HTEST(memblock_alloc_honours_current_limit)
{
	memblock_reset();
	memblock_add(0, 0x40000000);
	memblock_reserve(0, 0x1000, "page 0");
	CHECK_EQ(memblock_phys_alloc(0x1000, 0x1000, "nolimit"), 0x3ffff000);
	memblock_set_current_limit(0x38000000);
	CHECK_EQ(memblock_phys_alloc(0x2000, 0x1000, "lowmem"), 0x37ffe000);
	CHECK_STREQ(REG(reserved, 1).name, "lowmem");
}

/* ---- QEMU's maps with the usual boot reservations ------------------------ */

struct ranges {
	unsigned n;
	phys_addr_t r[16][2];
};

static void collect(phys_addr_t start, phys_addr_t end, void *ctx)
{
	struct ranges *rs = ctx;

	if (rs->n < 16) {
		rs->r[rs->n][0] = start;
		rs->r[rs->n][1] = end;
	}
	rs->n++;
}

/* Machine pc: usable 0..0x9fbff and 1 MB..low_end, plus RAM above 4 GB. */
static void qemu_boot(phys_addr_t low_end, phys_addr_t high_size)
{
	struct e820_table t = { 0 };

	e820_add(&t, 0, 0x9fc00, E820_USABLE);
	e820_add(&t, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(&t, 0xf0000, 0x10000, E820_RESERVED);
	e820_add(&t, 0x100000, low_end - 0x100000, E820_USABLE);
	e820_add(&t, low_end, 0x20000, E820_RESERVED);
	e820_add(&t, 0xfffc0000, 0x40000, E820_RESERVED);
	if (high_size)
		e820_add(&t, 0x100000000ULL, high_size, E820_USABLE);
	memblock_reset();
	for (u32 i = 0; i < t.nr; i++)
		if (t.map[i].type == E820_USABLE)
			CHECK_EQ(memblock_add(t.map[i].addr, t.map[i].size), 0);
	CHECK_EQ(memblock_reserve(0, 0x1000, "page 0"), 0);
	CHECK_EQ(memblock_reserve(0x1000, 0xff000, "first MB"), 0);
	CHECK_EQ(memblock_reserve(0x100000, 0x200000, "kernel"), 0);
	CHECK_EQ(memblock_reserve(0x400000, 0x2000, "bootinfo"), 0);
}

static void check_free(struct ranges *rs, unsigned i, phys_addr_t start, phys_addr_t end)
{
	CHECK(i < rs->n);
	CHECK_EQ(rs->r[i][0], start);
	CHECK_EQ(rs->r[i][1], end);
}

HTEST(memblock_free_ranges_qemu512)
{
	struct ranges rs = { 0 };

	qemu_boot(0x1ffe0000, 0);
	CHECK_EQ(memblock.reserved.cnt, 2); /* page 0 + first MB + kernel merged */
	CHECK_STREQ(REG(reserved, 0).name, "page 0");
	memblock_for_each_free_range(collect, &rs);
	CHECK_EQ(rs.n, 2);
	check_free(&rs, 0, 0x300000, 0x400000);
	check_free(&rs, 1, 0x402000, 0x1ffe0000);
	CHECK_EQ(memblock_phys_mem_size(), 0x9fc00 + 0x1fee0000);
}

HTEST(memblock_free_ranges_qemu2048)
{
	struct ranges rs = { 0 };

	qemu_boot(0x7ffe0000, 0);
	memblock_set_current_limit(0x38000000); /* lowmem */
	CHECK_EQ(memblock_phys_alloc(0x1000, 0x1000, "pgd"), 0x37fff000);
	memblock_for_each_free_range(collect, &rs);
	CHECK_EQ(rs.n, 3);
	check_free(&rs, 0, 0x300000, 0x400000);
	check_free(&rs, 1, 0x402000, 0x37fff000);
	check_free(&rs, 2, 0x38000000, 0x7ffe0000);
}

HTEST(memblock_free_ranges_qemu8192)
{
	struct ranges rs = { 0 };

	qemu_boot(0xbffe0000, 0x140000000ULL);
	memblock_for_each_free_range(collect, &rs);
	CHECK_EQ(rs.n, 3);
	check_free(&rs, 0, 0x300000, 0x400000);
	check_free(&rs, 1, 0x402000, 0xbffe0000);
	check_free(&rs, 2, 0x100000000ULL, 0x240000000ULL);
	CHECK_EQ(memblock_end_of_DRAM(), 0x240000000ULL);
	/* No limit: the top of RAM above 4 GB. */
	CHECK_EQ(memblock_phys_alloc_range(0x200000, 0x200000, 0, ~0ULL, "x"), 0x23fe00000ULL);
	/* Removing RAM above 4 GB (a 32-bit-address CPU) leaves reservations alone. */
	CHECK_EQ(memblock_remove(0x100000000ULL, ~0ULL), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK(memblock_is_reserved(0x23fe00000ULL));
}

/* ---- full arrays ---------------------------------------------------------- */

static void fill(void)
{
	memblock_reset();
	for (phys_addr_t i = 0; i < MEMBLOCK_MAX_REGIONS; i++) {
		CHECK_EQ(memblock_add(i * 0x10000, 0x1000), 0);
		CHECK_EQ(memblock_reserve(i * 0x10000, 0x100, "r"), 0);
	}
	CHECK_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
}

HTEST(memblock_full_arrays_reported)
{
	fill();
	htest_log_clear();
	CHECK_EQ(memblock_add(0x10000000, 0x1000), -1);
	char want[160];
	snprintf(want, sizeof(want), "memblock: memory array full (%u regions), cannot add [mem "
		 "0x0000000010000000-0x0000000010000fff]", (unsigned)MEMBLOCK_MAX_REGIONS);
	CHECK(htest_log_contains(want));
	CHECK_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	CHECK_EQ(memblock_reserve(0x10000000, 0x1000, "x"), -1);
	CHECK(htest_log_contains("memblock: reserved array full"));
	/* Growing an existing region needs no slot. */
	CHECK_EQ(memblock_add(0x1000, 0x1000), 0);
	CHECK_EQ(REG(memory, 0).size, 0x2000);
	/* Splitting does: refused, list untouched. */
	htest_log_clear();
	CHECK_EQ(memblock_remove(0x20400, 0x100), -1);
	CHECK(htest_log_contains("cannot split it to remove [mem 0x0000000000020400-0x00000000000204ff]"));
	CHECK_REGION(memory, 2, 0x20000, 0x1000);
	CHECK_EQ(memblock_phys_free(0x30010, 0x10), -1);
	/* Trimming an end needs no slot. */
	CHECK_EQ(memblock_remove(0x20000, 0x400), 0);
	CHECK_REGION(memory, 2, 0x20400, 0xc00);
	/* An allocation that needs a new reserved slot fails cleanly. */
	CHECK_EQ(memblock_phys_alloc_range(0x100, 0x1000, 0, ~0ULL, "y"), 0);
	CHECK_EQ(memblock.allocated, 0);
	/* One that extends a reservation does not: [0x7f0100, ...) after r[127]. */
	CHECK_EQ(memblock_phys_alloc_range(0xf00, 0x100, 0x7f0000, 0x7f1000, "z"), 0x7f0100);
}

/* ---- the panic path -------------------------------------------------------- */

HTEST(memblock_phys_alloc_panics_when_nothing_fits)
{
	int fds[2], status;
	char out[4096] = { 0 };
	ssize_t n, got = 0;

	CHECK_EQ(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		memblock_reset();
		memblock_add(0x100000, 0x100000);
		memblock_set_current_limit(0x180000);
		memblock_phys_alloc(0x100000, 0x1000, "mem_map");
		_exit(0); /* not reached if it panics */
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	close(fds[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK(strstr(out, "Kernel panic - not syncing: memblock: cannot allocate 1048576 bytes "
			  "(align 0x1000) for mem_map below 0x180000: 1048576 bytes free in 1 ranges") != NULL);
}

/* ---- randomized: every operation against a bitmap of 64 KB units --------- */

#define UNITS 96
#define U 0x10000ULL

static bool mem_bits[UNITS], rsv_bits[UNITS];

static void check_type_matches(const struct memblock_type *t, const bool *bits)
{
	bool seen[UNITS] = { 0 };

	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		CHECK(r->size > 0);
		if (i)  /* sorted, never touching */
			CHECK(r->base > t->regions[i - 1].base + t->regions[i - 1].size);
		for (phys_addr_t a = r->base; a < r->base + r->size; a += U)
			if (a / U < UNITS)
				seen[a / U] = true;
	}
	CHECK(memcmp(seen, bits, sizeof(seen)) == 0);
}

static bool free_unit(unsigned u) { return mem_bits[u] && !rsv_bits[u]; }

static void check_free_walk(phys_addr_t start, phys_addr_t end, void *ctx)
{
	unsigned *next = ctx;

	CHECK(start < end);
	CHECK(start / U >= *next);
	for (unsigned u = *next; u < start / U; u++)
		CHECK(!free_unit(u)); /* nothing free skipped */
	CHECK(start / U == 0 || !free_unit(start / U - 1)); /* maximal */
	for (phys_addr_t a = start; a < end; a += U)
		CHECK(free_unit(a / U));
	CHECK(end / U >= UNITS || !free_unit(end / U));
	*next = end / U;
}

/* Highest run of n free units, aligned to a units, inside [s, e): brute force. */
static unsigned oracle_alloc(unsigned n, unsigned a, unsigned s, unsigned e)
{
	for (int base = (int)e - (int)n; base >= (int)s; base--) {
		bool ok = base % a == 0;
		for (unsigned u = (unsigned)base; ok && u < (unsigned)base + n; u++)
			ok = free_unit(u);
		if (ok)
			return (unsigned)base;
	}
	return 0;
}

static void random_op(void)
{
	unsigned a = (unsigned)rand() % UNITS, n = 1 + (unsigned)rand() % 12;
	unsigned op = (unsigned)rand() % 5;

	if (a + n > UNITS)
		n = UNITS - a;
	for (unsigned u = a; op < 4 && u < a + n; u++) {
		if (op == 0) mem_bits[u] = true;
		if (op == 1) mem_bits[u] = false;
		if (op == 2) rsv_bits[u] = true;
		if (op == 3) rsv_bits[u] = false;
	}
	if (op == 0) CHECK_EQ(memblock_add(a * U, n * U), 0);
	if (op == 1) CHECK_EQ(memblock_remove(a * U, n * U), 0);
	if (op == 2) CHECK_EQ(memblock_reserve(a * U, n * U, "rnd"), 0);
	if (op == 3) CHECK_EQ(memblock_phys_free(a * U, n * U), 0);
	if (op == 4) {
		unsigned align = 1u << ((unsigned)rand() % 4), e = a + 1 + (unsigned)rand() % (UNITS - a);
		unsigned want = oracle_alloc(n, align, a, e);

		CHECK_EQ(memblock_phys_alloc_range(n * U, align * U, a * U, e * U, "rnd"), want * U);
		for (unsigned u = want; want && u < want + n; u++)
			rsv_bits[u] = true;
	}
}

HTEST(memblock_randomized_against_bitmap)
{
	srand(20240601);
	for (int round = 0; round < 200; round++) {
		memblock_reset();
		memset(mem_bits, 0, sizeof(mem_bits));
		memset(rsv_bits, 0, sizeof(rsv_bits));
		for (int step = 0; step < 60; step++) {
			unsigned next = 0;

			random_op();
			check_type_matches(&memblock.memory, mem_bits);
			check_type_matches(&memblock.reserved, rsv_bits);
			memblock_for_each_free_range(check_free_walk, &next);
			for (unsigned u = next; u < UNITS; u++)
				CHECK(!free_unit(u));
		}
	}
}
