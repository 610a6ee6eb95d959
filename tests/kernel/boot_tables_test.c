/* boot_tables_test.c - the provisional page tables from boot/boot.asm:
 * 0..24 MB mapped at 0 and at 0xC0000000 through one shared PMD, and the
 * guard page under the boot stack left unmapped. */
#include "ktest.h"
#include "x86.h"

#define KERNEL_VMA 0xC0000000u

extern u64 boot_pdpt[4], boot_pmd[512];
extern char boot_stack_guard[];
static volatile u32 scratch[4];

static void test_pdpt_shares_one_pmd(struct ktest *t)
{
	u32 pmd_pa = (u32)boot_pmd - KERNEL_VMA;

	KTEST_EXPECT_EQ(t, read_cr3(), (u32)boot_pdpt - KERNEL_VMA);
	KTEST_EXPECT_EQ(t, boot_pdpt[0] & ~0xfffULL, pmd_pa);
	KTEST_EXPECT_EQ(t, boot_pdpt[3], boot_pdpt[0]);
	KTEST_EXPECT_EQ(t, boot_pdpt[1], 0);
	KTEST_EXPECT_EQ(t, boot_pdpt[2], 0);
}

/* Both halves reach the same frames: write through one, read through the other. */
static void test_both_halves_alias(struct ktest *t)
{
	volatile u32 *high = &scratch[1];
	volatile u32 *low = (volatile u32 *)((u32)high - KERNEL_VMA);

	*high = 0x48494748; /* "HIGH" */
	KTEST_EXPECT_EQ(t, *low, 0x48494748);
	*low = 0x4c4f5721;
	KTEST_EXPECT_EQ(t, *high, 0x4c4f5721);
	/* and at the far end of the mapping, just below 24 MB */
	volatile u32 *top_low = (volatile u32 *)(24u * 1024 * 1024 - 4);
	volatile u32 *top_high = (volatile u32 *)(KERNEL_VMA + 24u * 1024 * 1024 - 4);
	u32 saved = *top_high;
	*top_low = 0x5a5a1234;
	KTEST_EXPECT_EQ(t, *top_high, 0x5a5a1234);
	*top_high = saved;
}

static void test_mapping_ends_at_24mb(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, KERNEL_VMA + (24u << 20),
			   (void)*(volatile u32 *)(KERNEL_VMA + (24u << 20)));
}

static void test_stack_guard_unmapped(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, (u32)boot_stack_guard + 0x800,
			   (void)*(volatile u32 *)(boot_stack_guard + 0x800));
}

static struct ktest_case boot_tables_cases[] = {
	KTEST_CASE(test_pdpt_shares_one_pmd),
	KTEST_CASE(test_both_halves_alias),
	KTEST_CASE(test_mapping_ends_at_24mb),
	KTEST_CASE(test_stack_guard_unmapped),
	{ 0 },
};
KTEST_SUITE(boot_tables, boot_tables_cases);
