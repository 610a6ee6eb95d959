/* boot_tables_test.c - the provisional page tables boot/boot.asm built:
 * 0..24 MB mapped at 0 and at 0xC0000000 through ONE shared PMD, with the
 * guard page under the boot stack left out. They are no longer live once
 * paging_init() switched to swapper_pg_dir, so we check their contents,
 * which stay in .bss: both halves resolve every address to the same frame
 * because they share the very same entries. */
#include "ktest.h"
#include "x86.h"

#define KERNEL_VMA 0xC0000000u
#define BOOT_PT_PAGES 12

extern u64 boot_pdpt[4], boot_pmd[512], boot_pt[BOOT_PT_PAGES * 512];
extern char boot_stack_guard[];

/* Resolve a virtual address through the boot tables, as the CPU did. */
static u64 boot_walk(u32 va)
{
	u64 pgd = boot_pdpt[va >> 30];

	if (!(pgd & 1))
		return ~0ULL;
	u64 *pmd = (u64 *)(u32)((pgd & ~0xfffULL) + KERNEL_VMA);
	u64 pmde = pmd[(va >> 21) & 511];
	if (!(pmde & 1))
		return ~0ULL;
	u64 *pt = (u64 *)(u32)((pmde & ~0xfffULL) + KERNEL_VMA);
	u64 pte = pt[(va >> 12) & 511];
	if (!(pte & 1))
		return ~0ULL;
	return (pte & 0xffffff000ULL) | (va & 0xfff);
}

static void test_pdpt_shares_one_pmd(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, boot_pdpt[0] & ~0xfffULL, (u32)boot_pmd - KERNEL_VMA);
	KTEST_EXPECT_EQ(t, boot_pdpt[3], boot_pdpt[0]);
	KTEST_EXPECT_EQ(t, boot_pdpt[1], 0);
	KTEST_EXPECT_EQ(t, boot_pdpt[2], 0);
	KTEST_EXPECT_NE(t, read_cr3(), (u32)boot_pdpt - KERNEL_VMA); /* replaced */
}

/* Both halves reach the same frames: walk a sample of addresses both ways. */
static void test_both_halves_map_same_frames(struct ktest *t)
{
	int bad = 0;

	for (u32 pa = 0; pa < (24u << 20); pa += 0x1000 * 37 + 4) {
		if ((pa & ~0xfffu) == (u32)boot_stack_guard - KERNEL_VMA)
			continue;
		bad += boot_walk(pa) != pa;
		bad += boot_walk(pa + KERNEL_VMA) != pa;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, boot_walk((24u << 20) - 4), (24u << 20) - 4);
	KTEST_EXPECT_EQ(t, boot_walk(KERNEL_VMA + (24u << 20)), ~0ULL); /* the end */
	KTEST_EXPECT_EQ(t, boot_walk(0x40000000), ~0ULL);
}

static void test_pmd_points_at_boot_ptes(struct ktest *t)
{
	for (int i = 0; i < BOOT_PT_PAGES; i++)
		KTEST_EXPECT_EQ(t, boot_pmd[i] & ~0xfffULL, (u32)&boot_pt[i * 512] - KERNEL_VMA);
	KTEST_EXPECT_EQ(t, boot_pmd[BOOT_PT_PAGES + 1], 0);
}

static void test_guard_left_out(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, boot_walk((u32)boot_stack_guard), ~0ULL);
	KTEST_EXPECT_EQ(t, boot_walk((u32)boot_stack_guard - KERNEL_VMA), ~0ULL);
	KTEST_EXPECT_NE(t, boot_walk((u32)boot_stack_guard + 0x1000), ~0ULL);
}

static struct ktest_case boot_tables_cases[] = {
	KTEST_CASE(test_pdpt_shares_one_pmd),
	KTEST_CASE(test_both_halves_map_same_frames),
	KTEST_CASE(test_pmd_points_at_boot_ptes),
	KTEST_CASE(test_guard_left_out),
	{ 0 },
};
KTEST_SUITE(boot_tables, boot_tables_cases);
