/* paging_test.c - the final kernel page tables: the identity map is gone,
 * lowmem is mapped at PAGE_OFFSET with the right page sizes and
 * permissions, and the vmalloc/pkmap/fixmap page tables exist up front. */
#include "cpu.h"
#include "ktest.h"
#include "memsplit.h"
#include "mmzone.h"
#include "mm_types.h"
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
	KTEST_EXPECT_FAULT(t, 14, 0, ktest_read_nofault(null_ptr));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & X86_PF_PROT, 0);
	KTEST_EXPECT_FAULT(t, 14, 0x10, ktest_write_nofault(low_ptr, 1));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & X86_PF_WRITE, X86_PF_WRITE);
}

static void test_identity_map_removed(struct ktest *t)
{
	/* The kernel's physical address was mapped 1:1 during boot; no more. */
	u32 phys_text = (u32)__text_start - PAGE_OFFSET;

	KTEST_EXPECT_FAULT(t, 14, phys_text, ktest_read_nofault(phys_text));
	KTEST_EXPECT_EQ(t, pgd_val(swapper_pg_dir[0]), 0);
	KTEST_EXPECT_EQ(t, read_cr3(), (u32)swapper_pg_dir - PAGE_OFFSET);
}

static void test_rodata_is_read_only(struct ktest *t)
{
	volatile u32 *p = (volatile u32 *)&some_rodata;

	KTEST_EXPECT_EQ(t, *p, 0x12345678);
	KTEST_EXPECT_FAULT(t, 14, (u32)p, ktest_write_nofault(p, 0));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & (X86_PF_PROT | X86_PF_WRITE), X86_PF_PROT | X86_PF_WRITE);
	KTEST_EXPECT_EQ(t, *p, 0x12345678);
	KTEST_EXPECT_FAULT(t, 14, (u32)__text_start, ktest_write_nofault(__text_start, 0x90));
}

static void test_data_is_not_executable(struct ktest *t)
{
	if (!boot_cpu.nx)
		KTEST_SKIP(t, "the CPU has no NX bit");
	void (*fn)(void) = (void (*)(void))(void *)data_page;
	KTEST_EXPECT_FAULT(t, 14, (u32)data_page, call_nofault(fn));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & X86_PF_INSTR, X86_PF_INSTR);
}

static void test_direct_map_shape(struct ktest *t)
{
	unsigned long small_end = ALIGN_UP((unsigned long)_end - PAGE_OFFSET, PMD_SIZE);
	struct pt_walk w;

	KTEST_ASSERT_TRUE(t, pt_walk(&init_mm, (unsigned long)__text_start, &w));
	KTEST_EXPECT_EQ(t, w.level, 3);
	KTEST_EXPECT_EQ(t, w.pa, (u32)__text_start - PAGE_OFFSET);
	KTEST_EXPECT_EQ(t, pte_val(w.pte) & (_PAGE_RW | _PAGE_NX), 0);
	KTEST_EXPECT_TRUE(t, pte_val(w.pte) & _PAGE_GLOBAL);
	KTEST_ASSERT_TRUE(t, pt_walk(&init_mm, (unsigned long)__data_start, &w));
	KTEST_EXPECT_TRUE(t, pte_write(w.pte));
	KTEST_EXPECT_EQ(t, !pte_exec(w.pte), boot_cpu.nx);
	/* Above the image: 2 MB pages up to the last whole 2 MB of lowmem. */
	if (PFN_PHYS(max_low_pfn) >= small_end + PMD_SIZE) {
		KTEST_ASSERT_TRUE(t, pt_walk(&init_mm, PAGE_OFFSET + small_end, &w));
		KTEST_EXPECT_EQ(t, w.level, 2);
		KTEST_EXPECT_TRUE(t, w.large);
		KTEST_EXPECT_EQ(t, w.pa, small_end);
	}
	/* The last byte of lowmem is mapped and the byte after it is not. */
	unsigned long last = high_memory - 1;
	KTEST_ASSERT_TRUE(t, pt_walk(&init_mm, last, &w));
	KTEST_EXPECT_EQ(t, w.pa, last - PAGE_OFFSET);
	KTEST_EXPECT_FALSE(t, pt_walk(&init_mm, high_memory, &w));
	KTEST_EXPECT_FAULT(t, 14, high_memory, ktest_read_nofault(high_memory));
}

static void test_stack_guard_still_unmapped(struct ktest *t)
{
	KTEST_EXPECT_FAULT(t, 14, (u32)boot_stack_guard, ktest_read_nofault(boot_stack_guard));
}

/* vmalloc, pkmap and fixmap page tables exist before anyone maps there. */
static void test_kernel_ptes_preallocated(struct ktest *t)
{
	int missing = 0;

	for (unsigned long va = VMALLOC_START; va >= VMALLOC_START; va += PMD_SIZE) {
		if (!virt_to_kpte(va))
			missing++;
		if (va + PMD_SIZE < va)
			break;
	}
	KTEST_EXPECT_EQ(t, missing, 0);
	/* An area freed at VMALLOC_START by an earlier suite (vunmap is lazy:
	 * PTE cleared, TLB flushed later) can still be in this CPU's TLB: flush
	 * the lazy areas first, so only a live mapping there counts. */
	vm_unmap_aliases();
	KTEST_EXPECT_FAULT(t, 14, VMALLOC_START, ktest_read_nofault(VMALLOC_START));
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

/* pte_valid_user (mm_types.h) judges every address bit of an entry. On
 * i386 pte_pfn keeps bits 12-43 only (an unsigned long), so a test of the
 * frame number alone would take an entry with a stray bit 44-51 for some
 * other, valid frame. */
static void test_pte_valid_user_every_address_bit(struct ktest *t)
{
	pte_t good = pfn_pte(max_pfn - 1, PAGE_KERNEL);
	int passed = 0;

	KTEST_EXPECT_TRUE(t, pte_valid_user(good));
	KTEST_EXPECT_TRUE(t, pte_valid_user(__pte(pte_val(good) | _PAGE_NX)));
	KTEST_EXPECT_FALSE(t, pte_valid_user(pfn_pte(max_pfn, PAGE_KERNEL)));
	for (int bit = 44; bit <= 62; bit++)
		passed += pte_valid_user(__pte(pte_val(good) | (1ULL << bit)));
	KTEST_EXPECT_EQ(t, passed, 0);
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
	KTEST_CASE(test_pte_valid_user_every_address_bit),
	{ 0 },
};
KTEST_SUITE(paging, paging_cases);
