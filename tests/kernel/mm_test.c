/* mm_test.c - address spaces on the real MMU: pgd_alloc shares the kernel
 * PMD, two mms map one user address to different frames (one above 4 GiB
 * when there is RAM there) and switch_mm shows each its own, the MMU's own
 * accessed/dirty bits survive the ptep_* read-modify-writes, and a per-mm
 * flush reaches only the CPUs that have the mm loaded. */
#include "errno.h"
#include "extable.h"
#include "gfp.h"
#include "highmem.h"
#include "ktest.h"
#include "mm_types.h"
#include "mmzone.h"
#include "percpu.h"
#include "sched.h"
#include "smp.h"
#include "traps.h"
#include "x86.h"

#define UADDR 0x40000000UL /* a user address nothing else maps */

static void test_pgd_alloc_shares_kernel_pmd(struct ktest *t)
{
	struct mm_struct *mm;

	KTEST_ALLOC_RETRY(t, mm, mm_alloc());
	KTEST_ASSERT_ALLOC(t, mm);
	KTEST_EXPECT_EQ(t, (unsigned long)mm->pgd & 31, 0);            /* 32-byte aligned */
	KTEST_EXPECT_LT(t, (u64)__pa(mm->pgd), 0x100000000ULL);         /* CR3 is 32 bits */
	KTEST_EXPECT_EQ(t, pgd_val(mm->pgd[3]), pgd_val(swapper_pg_dir[3])); /* the kernel PMD */
	for (int i = 0; i < 3; i++) {
		KTEST_EXPECT_TRUE(t, pgd_present(mm->pgd[i]));
		KTEST_EXPECT_EQ(t, pgd_val(mm->pgd[i]) & 0xfff, _PAGE_PRESENT); /* only P in a PDPTE */
	}
	KTEST_EXPECT_EQ(t, mm->pgtables_bytes, 3 * PAGE_SIZE);
	/* A kernel address walks the same in it as in init_mm. */
	struct pt_walk a, b;
	KTEST_EXPECT_TRUE(t, pt_walk(mm, (unsigned long)&init_mm, &a));
	KTEST_EXPECT_TRUE(t, pt_walk(&init_mm, (unsigned long)&init_mm, &b));
	KTEST_EXPECT_EQ(t, a.pa, b.pa);
	mmput(mm);
}

/* A frame above 4 GiB if the machine has one (kept: the others go back). */
static struct page *page_above_4g(void)
{
	struct page *held[64], *found = NULL;
	int n = 0;

	if (max_pfn <= 0x100000)
		return NULL;
	while (n < 64 && !found) {
		struct page *p = alloc_page(GFP_HIGHUSER);
		if (!p)
			break;
		if (page_to_pfn(p) >= 0x100000)
			found = p;
		else
			held[n++] = p;
	}
	while (n)
		__free_page(held[--n]);
	return found;
}

static bool map_user(struct mm_struct *mm, struct page *page, pgprot_t prot)
{
	pte_t *pte = pte_alloc_map(mm, UADDR);

	if (!pte)
		return false;
	/* Without U/S: the kernel reads and writes it directly here, which SMAP
	 * (on when the CPU has it) forbids for user pages outside uaccess. */
	set_pte_at(mm, UADDR, pte, mk_pte(page, __pgprot(pgprot_val(prot) & ~_PAGE_USER)));
	pte_unmap(pte);
	return true;
}

static pte_t unmap_user(struct mm_struct *mm)
{
	pmd_t *pmd = pmd_offset(pgd_offset(mm, UADDR), UADDR);
	pte_t *pte = pte_offset_map(pmd, UADDR);
	struct vm_area_struct vma = { .vm_mm = mm, .vm_start = UADDR, .vm_end = UADDR + PAGE_SIZE };
	pte_t old = ptep_clear_flush(&vma, UADDR, pte);

	pte_unmap(pte);
	return old;
}

static void fill(struct page *p, u32 v)
{
	u32 *va = kmap_local_page(p);

	va[0] = v;
	kunmap_local(va);
}

static void test_two_mms_one_address_two_frames(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	struct page *pa = alloc_page(GFP_HIGHUSER), *pb = page_above_4g();
	bool above = pb != NULL;
	u32 seen = 0;

	if (!pb)
		pb = alloc_page(GFP_HIGHUSER);
	if (!a || !b || !pa || !pb || !map_user(a, pa, PAGE_SHARED) || !map_user(b, pb, PAGE_SHARED)) {
		if (pa) __free_page(pa);
		if (pb) __free_page(pb);
		if (a) mmput(a);
		if (b) mmput(b);
		KTEST_ALLOC_FAILED(t, "two address spaces and their pages");
	}
	fill(pa, 0xaaaa);
	fill(pb, 0xbbbb);
	kthread_use_mm(a);
	KTEST_EXPECT_EQ(t, read_cr3(), (u32)__pa(a->pgd));
	KTEST_EXPECT_TRUE(t, *mm_cpumask(a) & (1ul << arch_cpu_id()));
	KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&seen, (void *)UADDR, 4), 0);
	KTEST_EXPECT_EQ(t, seen, 0xaaaa);
	kthread_unuse_mm(a);
	KTEST_EXPECT_FALSE(t, *mm_cpumask(a) & (1ul << arch_cpu_id()));
	kthread_use_mm(b);
	KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&seen, (void *)UADDR, 4), 0);
	KTEST_EXPECT_EQ(t, seen, 0xbbbb);
	*(volatile u32 *)UADDR = 0xbbbc; /* the MMU sets accessed and dirty */
	kthread_unuse_mm(b);
	/* In init_mm the user half is empty: the same address faults. */
	KTEST_EXPECT_FAULT(t, 14, UADDR, ktest_read_nofault(UADDR));
	struct pt_walk w;
	KTEST_EXPECT_TRUE(t, pt_walk(b, UADDR, &w));
	KTEST_EXPECT_EQ(t, w.pa, page_to_phys(pb));
	if (above)
		KTEST_EXPECT_GE(t, w.pa, 0x100000000ULL);
	pte_t old = unmap_user(b);
	KTEST_EXPECT_TRUE(t, pte_dirty(old) && pte_young(old));
	KTEST_EXPECT_EQ(t, pte_pfn(unmap_user(a)), page_to_pfn(pa));
	__free_page(pa);
	__free_page(pb);
	mmput(a);
	mmput(b);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
}

/* The ptep_* operations on an entry the MMU itself writes to. */
static void test_ptep_ops_keep_mmu_bits(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	struct page *p = alloc_page(GFP_HIGHUSER);

	if (!mm || !p || !map_user(mm, p, PAGE_SHARED)) {
		if (p) __free_page(p);
		if (mm) mmput(mm);
		KTEST_ALLOC_FAILED(t, "an address space and a page");
	}
	pmd_t *pmd = pmd_offset(pgd_offset(mm, UADDR), UADDR);
	kthread_use_mm(mm);
	*(volatile u32 *)UADDR = 1; /* accessed + dirty, set by the CPU */
	pte_t *pte = pte_offset_map(pmd, UADDR);
	KTEST_EXPECT_TRUE(t, pte_dirty(ptep_get(pte)));
	ptep_set_wrprotect(mm, UADDR, pte);
	flush_tlb_mm(mm);
	KTEST_EXPECT_FALSE(t, pte_write(ptep_get(pte)));
	KTEST_EXPECT_TRUE(t, pte_dirty(ptep_get(pte))); /* kept */
	/* Now a write faults (copy-on-write's trigger) and the fixup reports it. */
	KTEST_EXPECT_FAULT(t, 14, UADDR, ktest_write_nofault(UADDR, 2));
	KTEST_EXPECT_EQ(t, ktest_last_fault_error() & (X86_PF_PROT | X86_PF_WRITE), X86_PF_PROT | X86_PF_WRITE);
	KTEST_EXPECT_TRUE(t, ptep_test_and_clear_young(mm, UADDR, pte));
	KTEST_EXPECT_FALSE(t, pte_young(ptep_get(pte)));
	flush_tlb_mm(mm);
	(void)*(volatile u32 *)UADDR; /* a read: the MMU sets accessed again */
	KTEST_EXPECT_TRUE(t, pte_young(ptep_get(pte)));
	pte_unmap(pte);
	kthread_unuse_mm(mm);
	unmap_user(mm);
	__free_page(p);
	mmput(mm);
}

/* ---- per-mm flushes at -smp 3 or more ---- */
static struct mm_struct *shared_mm;
static volatile int holder_state; /* 1: has the mm loaded; 2: may let go */

static int hold_mm(void *arg)
{
	(void)arg;
	kthread_use_mm(shared_mm);
	holder_state = 1;
	while (holder_state != 2)
		msleep(1);
	kthread_unuse_mm(shared_mm);
	return 0;
}

static void test_mm_flush_reaches_only_its_cpus(struct ktest *t)
{
	unsigned before[NR_CPUS], me = arch_cpu_id(), other = me == 1 ? 2 : 1;

	if (nr_cpus_online < 3)
		KTEST_SKIP(t, "needs 3 CPUs: boot with -smp 3 or more");
	KTEST_ALLOC_RETRY(t, shared_mm, mm_alloc());
	KTEST_ASSERT_ALLOC(t, shared_mm);
	holder_state = 0;
	struct task *h = kthread_create_on_cpu(hold_mm, NULL, other, "mm_holder");
	if (!h) {
		mmput(shared_mm);
		KTEST_ALLOC_FAILED(t, "a thread");
	}
	wake_up_process(h);
	while (holder_state != 1)
		msleep(1);
	KTEST_EXPECT_EQ(t, *mm_cpumask(shared_mm), 1ul << other);
	for (unsigned c = 0; c < NR_CPUS; c++)
		before[c] = tlb_mm_ipis_received(c);
	flush_tlb_mm(shared_mm);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpu_locals[c].online)
			continue;
		unsigned got = tlb_mm_ipis_received(c) - before[c];
		if (c == other)
			KTEST_EXPECT_EQ(t, got, 1);
		else
			KTEST_EXPECT_EQ(t, got, 0); /* not in the set: no IPI */
	}
	holder_state = 2;
	kthread_join(h);
	KTEST_EXPECT_EQ(t, *mm_cpumask(shared_mm), 0);
	mmput(shared_mm);
}

static struct ktest_case mm_cases[] = {
	KTEST_CASE(test_pgd_alloc_shares_kernel_pmd),
	KTEST_CASE(test_two_mms_one_address_two_frames),
	KTEST_CASE(test_ptep_ops_keep_mmu_bits),
	KTEST_CASE(test_mm_flush_reaches_only_its_cpus),
	{ 0 },
};
KTEST_SUITE(mm, mm_cases);
