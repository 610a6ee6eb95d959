/* paging_test.c - the final kernel page tables: the identity map is gone,
 * lowmem is mapped at PAGE_OFFSET with the right page sizes and
 * permissions, and the vmalloc/pkmap/fixmap page tables exist up front. */
#include "cpu.h"
#include "ktest.h"
#include "memsplit.h"
#include "mmzone.h"
#include "pgtable.h"
#include "traps.h"
#include "vmalloc.h"
#include "x86.h"

extern char __text_start[], __rodata_start[], __data_start[], boot_stack_guard[], _end[];
static const u32 some_rodata = 0x12345678;
static u8 data_page[16] __attribute__((aligned(16))) = { 0xc3 }; /* "ret" */

/* Addresses hidden from the compiler, which would otherwise refuse them. */
static volatile u32 *volatile null_ptr;
static volatile u32 *volatile low_ptr = (volatile u32 *)0x10;

static void test_null_dereference_oopses(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, 0, (void)*null_ptr);
	KTEST_EXPECT_EQ(t, t->fault_error & X86_PF_PROT, 0);
	KTEST_EXPECT_FAULT(t, 14, 0x10, *low_ptr = 1);
	KTEST_EXPECT_EQ(t, t->fault_error & X86_PF_WRITE, X86_PF_WRITE);
}

static void test_identity_map_removed(struct ktest *t)
{
	/* The kernel's physical address was mapped 1:1 during boot; no more. */
	u32 phys_text = (u32)__text_start - PAGE_OFFSET;

	KTEST_EXPECT_FAULT(t, 14, phys_text, (void)*(volatile u32 *)phys_text);
	KTEST_EXPECT_EQ(t, swapper_pg_dir[0], 0);
	KTEST_EXPECT_EQ(t, read_cr3(), (u32)swapper_pg_dir - PAGE_OFFSET);
}

static void test_rodata_is_read_only(struct ktest *t)
{
	volatile u32 *p = (volatile u32 *)&some_rodata;

	KTEST_EXPECT_EQ(t, *p, 0x12345678);
	KTEST_EXPECT_FAULT(t, 14, (u32)p, *p = 0);
	KTEST_EXPECT_EQ(t, t->fault_error & (X86_PF_PROT | X86_PF_WRITE), X86_PF_PROT | X86_PF_WRITE);
	KTEST_EXPECT_FAULT(t, 14, (u32)__text_start, *(volatile u8 *)__text_start = 0x90);
}

static void test_data_is_not_executable(struct ktest *t)
{
	if (!boot_cpu.nx)
		KTEST_SKIP(t, "the CPU has no NX bit");
	void (*fn)(void) = (void (*)(void))(void *)data_page;
	KTEST_EXPECT_FAULT(t, 14, (u32)data_page, fn());
	KTEST_EXPECT_EQ(t, t->fault_error & X86_PF_INSTR, X86_PF_INSTR);
}

static void test_direct_map_shape(struct ktest *t)
{
	int level;
	unsigned long small_end = ALIGN_UP((unsigned long)_end - PAGE_OFFSET, PMD_SIZE);

	pte_t *p = lookup_address((unsigned long)__text_start, &level);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, level, 3);
	KTEST_EXPECT_EQ(t, pte_phys(*p), (u32)__text_start - PAGE_OFFSET);
	KTEST_EXPECT_EQ(t, *p & (_PAGE_RW | _PAGE_NX), 0);
	KTEST_EXPECT_TRUE(t, *p & _PAGE_GLOBAL);
	p = lookup_address((unsigned long)__data_start, &level);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, *p & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(*p & _PAGE_NX), boot_cpu.nx);
	/* Above the image: 2 MB pages up to the last whole 2 MB of lowmem. */
	if (PFN_PHYS(max_low_pfn) >= small_end + PMD_SIZE) {
		unsigned long va = PAGE_OFFSET + small_end;
		p = lookup_address(va, &level);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, level, 2);
		KTEST_EXPECT_TRUE(t, *p & _PAGE_PSE);
		KTEST_EXPECT_EQ(t, pte_phys(*p), small_end);
	}
	/* The last byte of lowmem is mapped and the byte after it is not. */
	unsigned long last = high_memory - 1;
	p = lookup_address(last, &level);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, pte_phys(*p) + (last & (level == 2 ? PMD_SIZE - 1 : PAGE_SIZE - 1)),
			last - PAGE_OFFSET);
	KTEST_EXPECT_FAULT(t, 14, high_memory, (void)*(volatile u8 *)high_memory);
}

static void test_stack_guard_still_unmapped(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, (u32)boot_stack_guard, (void)*(volatile u32 *)boot_stack_guard);
}

/* vmalloc, pkmap and fixmap page tables exist before anyone maps there. */
static void test_kernel_ptes_preallocated(struct ktest *t)
{
	int level, missing = 0;

	for (unsigned long va = VMALLOC_START; va >= VMALLOC_START; va += PMD_SIZE) {
		pte_t *p = lookup_address(va, &level);
		if (!p || level != 3)
			missing++;
		if (va + PMD_SIZE < va)
			break;
	}
	KTEST_EXPECT_EQ(t, missing, 0);
	/* An area freed at VMALLOC_START by an earlier suite (vunmap is lazy:
	 * PTE cleared, TLB flushed later) can still be in this CPU's TLB: flush
	 * the lazy areas first, so only a live mapping there counts. */
	vm_unmap_aliases();
	KTEST_EXPECT_FAULT(t, 14, VMALLOC_START, (void)*(volatile u32 *)VMALLOC_START);
}

static void test_layout_invariants(struct ktest *t)
{
	KTEST_EXPECT_LE(t, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE, FIXADDR_START);
	KTEST_EXPECT_LE(t, VMALLOC_END, PKMAP_BASE);
	KTEST_EXPECT_LE(t, high_memory + VMALLOC_OFFSET, VMALLOC_START); /* a full 8 MB gap */
	KTEST_EXPECT_EQ(t, PKMAP_BASE % PMD_SIZE, 0);
	KTEST_EXPECT_EQ(t, high_memory, PAGE_OFFSET + PFN_PHYS(max_low_pfn));
	KTEST_EXPECT_LE(t, max_low_pfn, (unsigned long)(boot_mem_split.maxmem >> PAGE_SHIFT));
	KTEST_EXPECT_EQ(t, VMALLOC_START, ALIGN_UP(high_memory, PMD_SIZE) + VMALLOC_OFFSET);
}

static struct ktest_case paging_cases[] = {
	KTEST_CASE(test_null_dereference_oopses),
	KTEST_CASE(test_identity_map_removed),
	KTEST_CASE(test_rodata_is_read_only),
	KTEST_CASE(test_data_is_not_executable),
	KTEST_CASE(test_direct_map_shape),
	KTEST_CASE(test_stack_guard_still_unmapped),
	KTEST_CASE(test_kernel_ptes_preallocated),
	KTEST_CASE(test_layout_invariants),
	{ 0 },
};
KTEST_SUITE(paging, paging_cases);
