/* memory.c - user pages in page tables: putting them in, taking them out,
 * and the counts that say who maps what.
 *
 * A user page is mapped by PTEs of one or more address spaces. Its
 * _mapcount (Linux's meaning: mappings - 1, so -1 is "none") counts those
 * PTEs, and every mapping also holds one reference (_refcount), so a page
 * goes back to the allocator exactly when the last PTE and the last other
 * user are gone. PTE pages may be HIGHMEM (HIGHPTE): every walk maps them
 * with pte_offset_map and unmaps them with pte_unmap.
 *
 * Builds hosted: the simulated machine has real PAE tables. */
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "mm_types.h"
#include "printk.h"

void page_add_new_anon_rmap(struct page *page) { page->_mapcount = 0; }

void page_dup_rmap(struct page *page) { __atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED); }

void page_remove_rmap(struct page *page)
{
	if (__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) < -1)
		pr_err("BUG: page_remove_rmap: pfn %#lx was not mapped\n", page_to_pfn(page));
}

int install_user_page(struct mm_struct *mm, unsigned long addr, struct page *page, pgprot_t prot)
{
	pte_t *pte = pte_alloc_map(mm, addr);

	if (!pte)
		return -ENOMEM;
	if (!pte_none(ptep_get(pte))) {
		pte_unmap(pte);
		return -EBUSY;
	}
	get_page(page);
	page_dup_rmap(page);
	set_pte_at(mm, addr, pte, mk_pte(page, prot));
	pte_unmap(pte);
	return 0;
}

/* One PTE page's part of [start, end): clear and release each mapping. */
static unsigned long zap_pte_range(struct mm_struct *mm, pmd_t *pmd, unsigned long start,
				   unsigned long end)
{
	unsigned long n = 0;
	pte_t *first = pte_offset_map(pmd, start), *pte = first;

	for (unsigned long a = start; a < end; a += PAGE_SIZE, pte++) {
		pte_t old = ptep_get(pte);
		if (pte_none(old))
			continue;
		ptep_get_and_clear(mm, a, pte);
		struct page *page = pfn_to_page(pte_pfn(old));
		if (page != ZERO_PAGE(0)) {
			page_remove_rmap(page);
			put_page(page);
		}
		n++;
	}
	pte_unmap(first);
	return n;
}

unsigned long zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long a = start; a < end && a < PAGE_OFFSET;) {
		unsigned long next = (a + PMD_SIZE) & ~(PMD_SIZE - 1);
		if (next > end || next == 0)
			next = end;
		pmd_t *pmd = pmd_offset(pgd_offset(mm, a), a);
		if (pmd_present(pmdp_get(pmd)))
			n += zap_pte_range(mm, pmd, a, next);
		a = next;
	}
	if (n)
		flush_tlb_mm(mm);
	return n;
}

struct page *empty_zero_page_ptr;

bool zero_page_init(void)
{
	if (!empty_zero_page_ptr)
		empty_zero_page_ptr = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return empty_zero_page_ptr != NULL;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned error)
{
	(void)mm;
	(void)addr;
	(void)error;
	return VM_FAULT_SIGSEGV; /* no VMAs yet: nothing is mapped on demand */
}
