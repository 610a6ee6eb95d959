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
 * Faults (handle_mm_fault) fill regions on demand, Linux's way:
 *   - a read of untouched private memory maps the one shared zero page,
 *     read-only: no memory is spent on zeros nobody wrote;
 *   - a write to it gets a new page from HIGHMEM (GFP_HIGHUSER_MOVABLE),
 *     zeroed through kmap_atomic (clear_user_highpage);
 *   - a write to a read-only PTE of a private writable region is copy on
 *     write (do_wp_page): a page mapped once, by nobody else, is made
 *     writable in place (reused); any other is copied through two
 *     kmap_atomic slots (copy_user_highpage) and the old one let go.
 * fork (copy_page_range) write-protects a private writable page in both
 * address spaces and counts the new mapping, so whichever writes first
 * copies, and the last one left reuses.
 *
 * One thread per process: only the owner faults on its mm, or changes it;
 * fork changes the parent's PTEs as the parent. The MMU's own accessed and
 * dirty updates race only with the ptep_* read-modify-writes, which keep
 * them.
 *
 * Builds hosted: the simulated machine has real PAE tables. */
#include "err.h"
#include "errno.h"
#include "fs.h"
#include "gfp.h"
#include "highmem.h"
#include "mm_types.h"
#include "kstring.h"
#include "mm_inline.h"
#include "printk.h"
#include "pagemap.h"
#include "rmap.h"
#include "sched.h"
#include "swap_state.h"
#include "swapops.h"
#include "vmstat.h"

/* Which rss_stat counter a mapped page counts in (Linux's mm_counter): a
 * page-cache page (its mapping an address_space) is a file page, any other
 * an anonymous one. Never called for the zero page, which is not counted. */
static int mm_counter(const struct page *page)
{
	unsigned long m = (unsigned long)page->mapping;

	return m && !(m & PAGE_MAPPING_ANON) ? MM_FILEPAGES : MM_ANONPAGES;
}

long nr_anon_mapped, nr_file_mapped;

/* A page's first mapping came (+1) or its last went (-1): meminfo's counts. */
static void account_mapped(struct page *page, long d)
{
	__atomic_add_fetch(mm_counter(page) == MM_FILEPAGES ? &nr_file_mapped : &nr_anon_mapped, d,
			   __ATOMIC_RELAXED);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	__page_set_anon_rmap(page, vma, address);
	SetPageUptodate(page); /* its contents are valid: zeroed or copied (not yet visible) */
	page->_mapcount = 0;
	account_mapped(page, 1);
}

void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	if (!PageAnon(page)) /* read from swap: the family of the PTE it comes back to */
		__page_set_anon_rmap(page, vma, address);
	page_dup_rmap(page);
}

void page_dup_rmap(struct page *page)
{
	if (__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) == 0)
		account_mapped(page, 1);
}

void page_remove_rmap(struct page *page)
{
	s32 left = __atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);

	if (left < -1)
		pr_err("BUG: page_remove_rmap: pfn %#lx was not mapped\n", page_to_pfn(page));
	else if (left == -1)
		account_mapped(page, -1);
}

/* n more resident pages of kind `member` in mm; VmHWM and VmPeak follow. */
static void rss_add_page(struct mm_struct *mm, int member, long n)
{
	add_mm_counter(mm, member, n);
	unsigned long rss = get_mm_rss(mm);
	if (rss > mm->hiwater_rss)
		mm->hiwater_rss = rss;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
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
	if (page != ZERO_PAGE(addr))
		rss_add_page(mm, mm_counter(page), 1);
	pte_unmap(pte);
	return 0;
}

/* One PTE page's part of [start, end): clear and release each mapping,
 * the resident-page counts changed once. Each entry is cleared with
 * ptep_get_and_clear's atomic exchange, and what it held is what is
 * released: another thread's MMU may set a bit, and reclaim (kswapd) or
 * swapoff may turn the entry into a swap entry or back, meanwhile. The
 * mappings' references are dropped PAGEVEC_SIZE at a time (release_pages:
 * one lru lock per run of same-zone pages, as Linux's mmu_gather). */
static unsigned long zap_pte_range(struct mm_struct *mm, pmd_t *pmd, unsigned long start,
				   unsigned long end)
{
	unsigned long n = 0;
	long rss[NR_MM_COUNTERS] = { 0 };
	struct pagevec freed = { .nr = 0 };
	pte_t *first = pte_offset_map(pmd, start), *pte = first;

	for (unsigned long a = start; a < end; a += PAGE_SIZE, pte++) {
		if (pte_none(ptep_get(pte)))
			continue;
		/* what was there when it was cleared: reclaim or swapoff may have
		 * changed it since it was read */
		pte_t old = ptep_get_and_clear(mm, a, pte);
		if (pte_none(old))
			continue;
		if (is_swap_pte(old)) { /* the page is in swap: its slot count goes */
			rss[MM_SWAPENTS]--;
			free_swap_and_cache(pte_to_swp_entry(old));
			n++;
			continue;
		}
		if (unlikely(!pte_valid_user(old))) { /* Linux's print_bad_pte */
			pr_err("BUG: Bad page map in process %s  pte:%016llx (reserved bits, or no such "
			       "frame): left alone\n", current_comm(), (unsigned long long)pte_val(old));
			n++;
			continue;
		}
		struct page *page = pfn_to_page(pte_pfn(old));
		if (page != ZERO_PAGE(0)) {
			rss[mm_counter(page)]--;
			page_remove_rmap(page);
			/* Linux's free_swap_cache: a swapped-in page nobody maps any
			 * more leaves the swap cache (if no swap PTE names its slot) */
			if (PageSwapCache(page) && !page_mapped(page) && trylock_page(page)) {
				try_to_free_swap(page);
				unlock_page(page);
			}
			if (freed.nr == PAGEVEC_SIZE) {
				release_pages(freed.pages, freed.nr);
				freed.nr = 0;
			}
			freed.pages[freed.nr++] = page;
		}
		n++;
	}
	pte_unmap(first);
	release_pages(freed.pages, freed.nr);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
	return n;
}

/* zap_page_range without the flush. */
static unsigned long unmap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
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
	return n;
}

unsigned long zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long n = unmap_page_range(mm, start, end);

	if (n)
		flush_tlb_mm(mm);
	return n;
}

unsigned long unmap_vmas(struct mm_struct *mm)
{
	unsigned long n = 0;

	for (int i = 0; i < mm->map_count; i++)
		n += unmap_page_range(mm, mm->vmas[i]->vm_start, mm->vmas[i]->vm_end);
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


unsigned long nr_anon_faults, nr_zero_page_faults, nr_cow_copies, nr_cow_reuses, nr_file_faults;

static void count(unsigned long *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }

pte_t *user_pte_map(struct mm_struct *mm, unsigned long addr)
{
	if (addr >= TASK_SIZE)
		return NULL;
	pmd_t *pmd = pmd_offset(pgd_offset(mm, addr), addr);
	if (!pmd_present(pmdp_get(pmd)))
		return NULL;
	return pte_offset_map(pmd, addr);
}

struct page *follow_page_get(struct mm_struct *mm, unsigned long addr)
{
	for (;;) {
		pte_t *pte = user_pte_map(mm, addr);
		if (!pte)
			return NULL;
		pte_t e = ptep_get(pte);
		if (!pte_present(e) || !pte_valid_user(e)) { /* not there, or damaged */
			pte_unmap(pte);
			return NULL;
		}
		/* a reference from a live count only, then the entry seen still
		 * in place: reclaim took neither the mapping nor the frame */
		struct page *page = pfn_to_page(pte_pfn(e));
		bool got = get_page_unless_zero(page);
		bool same = got && pte_val(ptep_get(pte)) == pte_val(e);
		pte_unmap(pte);
		if (same)
			return page;
		if (got)
			put_page(page);
	}
}

void clear_user_highpage(struct page *page, unsigned long vaddr)
{
	void *v = kmap_atomic(page);

	(void)vaddr;
	memset(v, 0, PAGE_SIZE);
	kunmap_atomic(v);
}

void copy_user_highpage(struct page *to, struct page *from, unsigned long vaddr,
			struct vm_area_struct *vma)
{
	void *src = kmap_atomic(from), *dst = kmap_atomic(to);

	(void)vaddr;
	(void)vma;
	memcpy(dst, src, PAGE_SIZE);
	kunmap_atomic(dst);
	kunmap_atomic(src);
}

/* Not present: the zero page for a read of private memory, else a new zeroed page. */
static int do_anonymous_page(struct vm_area_struct *v, unsigned long addr, pte_t *pte, bool write)
{
	if (!write && !(v->vm_flags & VM_SHARED) && ZERO_PAGE(addr)) {
		set_pte_at(v->vm_mm, addr, pte, pte_wrprotect(mk_pte(ZERO_PAGE(addr), v->vm_page_prot)));
		count(&nr_zero_page_faults);
		return 0;
	}
	if (anon_vma_prepare(v))
		return VM_FAULT_OOM;
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!page)
		return VM_FAULT_OOM;
	clear_user_highpage(page, addr);
	/* the allocation's reference is the mapping's; reclaim finds it on the LRU */
	page_add_new_anon_rmap(page, v, addr);
	lru_cache_add(page);
	pte_t e = mk_pte(page, v->vm_page_prot);
	if (write)
		e = pte_mkdirty(pte_mkwrite(e));
	set_pte_at(v->vm_mm, addr, pte, e);
	rss_add_page(v->vm_mm, MM_ANONPAGES, 1);
	count(&nr_anon_faults);
	return 0;
}

/* Not present in a file mapping (private: exec's segments, mmap2 of a
 * file): the page-cache page, mapped read-only whatever the region allows,
 * so that a write to it is copy on write (do_wp_page copies: the cache
 * holds a reference too) and the file never changes. Past the end of the
 * file: SIGBUS, as Linux. */
static int do_file_page(struct vm_area_struct *v, unsigned long addr, pte_t *pte)
{
	pgoff_t index = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	struct page *page = read_mapping_page(file_mapping(v->vm_file), index);

	if (IS_ERR(page))
		return PTR_ERR(page) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	page_dup_rmap(page); /* read_mapping_page's reference is the mapping's */
	set_pte_at(v->vm_mm, addr, pte, pte_wrprotect(mk_pte(page, v->vm_page_prot)));
	count(&nr_file_faults);
	return 0;
}

/* A write to a read-only PTE of a writable private region: copy on write. */
static int do_wp_page(struct vm_area_struct *v, unsigned long addr, pte_t *pte, pte_t e)
{
	struct page *old = pfn_to_page(pte_pfn(e));
	bool zero = old == ZERO_PAGE(addr);

	/* e was read without a lock: reclaim may have unmapped old since, and
	 * freed it, and the allocator handed it to somebody else. A reference
	 * taken only from a live count, then e found still in place, makes old
	 * ours to look at (Linux holds the PTE lock here instead). */
	if (!zero) {
		if (!get_page_unless_zero(old))
			return 0; /* freed meanwhile: the access faults again */
		if (pte_val(ptep_get(pte)) != pte_val(e)) {
			put_page(old);
			return 0;
		}
	}
	/* a swapped-in page whose slot nobody else names leaves the swap cache */
	if (!zero && PageSwapCache(old) && page_mapcount(old) == 1 && trylock_page(old)) {
		try_to_free_swap(old);
		unlock_page(old);
	}
	if (!zero && PageAnon(old) && !PageLRU(old))
		lru_add_drain(); /* a new page's batch reference (mm_inline.h) is not a user */
	if (!zero && page_mapcount(old) == 1 && page_count(old) == 2) {
		/* the mapping's and ours alone: write in place (cmpxchg: reclaim may have taken it) */
		if (ptep_cmpxchg(v->vm_mm, addr, pte, e, pte_mkdirty(pte_mkwrite(pte_mkyoung(e))))) {
			flush_tlb_page(v, addr);
			count(&nr_cow_reuses);
		}
		put_page(old);
		return 0; /* changed meanwhile: the access faults again */
	}
	if (anon_vma_prepare(v)) {
		if (!zero)
			put_page(old);
		return VM_FAULT_OOM;
	}
	/* ours stays while alloc_page may reclaim: old must stay while we copy it */
	struct page *new = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!new) {
		if (!zero)
			put_page(old);
		return VM_FAULT_OOM;
	}
	if (zero)
		clear_user_highpage(new, addr);
	else
		copy_user_highpage(new, old, addr, v);
	if (!ptep_cmpxchg(v->vm_mm, addr, pte, e,
			  pte_mkdirty(pte_mkwrite(mk_pte(new, v->vm_page_prot))))) {
		/* reclaim unmapped old meanwhile (or the MMU aged it): fault again */
		put_page(new);
		if (!zero)
			put_page(old);
		return 0;
	}
	flush_tlb_page(v, addr);
	page_add_new_anon_rmap(new, v, addr);
	lru_cache_add(new);
	if (!zero)
		put_page(old); /* ours; the mapping's goes below */
	if (!zero) /* the old page's count goes first: VmHWM sees no transient extra page */
		add_mm_counter(v->vm_mm, mm_counter(old), -1);
	rss_add_page(v->vm_mm, MM_ANONPAGES, 1);
	if (!zero) {
		page_remove_rmap(old);
		put_page(old);
	}
	count(&nr_cow_copies);
	return 0;
}

/* Not present, holding a swap entry: the page comes back from the swap
 * cache or its slot (PGMAJFAULT when it is read), mapped read-only unless
 * this is a write and nobody else names the slot (then it leaves the cache
 * and is written in place). A failed read is SIGBUS, as Linux. */
static int do_swap_page(struct vm_area_struct *v, unsigned long addr, pte_t *pte, pte_t orig,
			bool write)
{
	swp_entry_t entry = pte_to_swp_entry(orig);
	bool io = false;

	if (anon_vma_prepare(v))
		return VM_FAULT_OOM;
	struct page *page = swap_cluster_readahead(entry, &io); /* and its neighbours */
	if (IS_ERR_OR_NULL(page)) {
		if (pte_val(ptep_get(pte)) != pte_val(orig))
			return 0; /* swapoff or another path brought it in: fault again */
		return page ? VM_FAULT_SIGBUS : VM_FAULT_OOM;
	}
	if (io)
		count_vm_event(PGMAJFAULT);
	lock_page(page); /* another reader's I/O ends first */
	int ret = 0;
	if (!PageUptodate(page)) {
		ret = VM_FAULT_SIGBUS; /* that read failed */
	} else if (!PageSwapCache(page) || page->private != entry.val ||
		   !ptep_cmpxchg(v->vm_mm, addr, pte, orig, mk_pte(page, v->vm_page_prot))) {
		ret = 0; /* changed meanwhile (swapoff): fault again */
	} else {
		page_add_anon_rmap(page, v, addr); /* the lookup's reference is the mapping's */
		add_mm_counter(v->vm_mm, MM_SWAPENTS, -1);
		rss_add_page(v->vm_mm, MM_ANONPAGES, 1);
		swap_free(entry); /* the PTE's slot count */
		if (write && page_mapcount(page) == 1 && try_to_free_swap(page))
			pte_update(pte, 0, _PAGE_RW | _PAGE_DIRTY); /* ours alone */
		else if (vm_swap_full() && page_mapcount(page) == 1)
			try_to_free_swap(page); /* Linux's should_try_to_free_swap: the slot goes back */
		unlock_page(page);
		return 0;
	}
	unlock_page(page);
	put_page(page);
	return ret;
}

/* May this access touch region v at all? */
static bool access_error(const struct vm_area_struct *v, unsigned flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return !(v->vm_flags & VM_WRITE);
	if (flags & FAULT_FLAG_INSTRUCTION)
		return !(v->vm_flags & VM_EXEC);
	return !(v->vm_flags & VM_ACCESS_FLAGS);
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned flags)
{
	struct vm_area_struct *v = find_vma(mm, addr);

	if (!v || addr >= TASK_SIZE)
		return VM_FAULT_SIGSEGV;
	if (v->vm_start > addr && expand_stack(v, addr))
		return VM_FAULT_SIGSEGV;
	if (access_error(v, flags))
		return VM_FAULT_SIGSEGV;
	count_vm_event(PGFAULT); /* where Linux counts it: a region allows the access */
	addr &= PAGE_MASK;
	pte_t *pte = pte_alloc_map(mm, addr);
	if (!pte)
		return VM_FAULT_OOM;
	pte_t e = ptep_get(pte);
	int ret = 0;
	bool write = flags & FAULT_FLAG_WRITE;
	if (is_swap_pte(e)) {
		ret = do_swap_page(v, addr, pte, e, write);
	} else if (!pte_present(e) && v->vm_file) {
		ret = do_file_page(v, addr, pte);
		if (!ret && write) /* a private copy at once */
			ret = do_wp_page(v, addr, pte, ptep_get(pte));
	} else if (!pte_present(e))
		ret = do_anonymous_page(v, addr, pte, write);
	else if (write && !pte_write(e))
		ret = do_wp_page(v, addr, pte, e);
	else
		flush_tlb_page(v, addr); /* already right: a stale TLB entry (another CPU changed it) */
	pte_unmap(pte);
	return ret;
}

/* One PTE page's part [a, end) of a fork's copy: both PTE pages mapped
 * once (kmap_local), the entries copied in one pass, the resident-page
 * counts added once. Copy-on-write takes the write bit off the parent's
 * entry and the child's copy.
 *
 * The parent's entries are changed with cmpxchg8b (pte_update): even
 * when the forking task is its mm's only user, so that no MMU can set a
 * bit meanwhile, reclaim on another CPU may swap a page out (try_to_unmap
 * replaces the entry) between our read and our write, and a plain store
 * would put the page back. The child's entries are new (its PTE page was
 * just made, no other CPU knows it): set_pte_at writes a clear entry with
 * two ordered stores, no lock. */
static int copy_pte_range(struct mm_struct *dst, struct mm_struct *src, pmd_t *spmd,
			  unsigned long a, unsigned long end, bool cow, bool *protected)
{
	pte_t *dfirst = pte_alloc_map(dst, a); /* the child's PTE page, made if needed */
	long rss[NR_MM_COUNTERS] = { 0 };

	if (!dfirst)
		return -ENOMEM;
	pte_t *sfirst = pte_offset_map(spmd, a), *spte = sfirst, *dpte = dfirst;
	for (; a < end; a += PAGE_SIZE, spte++, dpte++) {
		pte_t e = ptep_get(spte);
		if (pte_none(e)) /* a PROT_NONE page (present bit clear) is copied too */
			continue;
		if (cow && pte_present(e) && pte_write(e)) {
			/* atomic, and e is what was there when RW went: reclaim may
			 * have swapped the page out since the read */
			e = pte_update(spte, _PAGE_RW, 0);
			if (pte_present(e))
				e = pte_wrprotect(e);
			*protected = true;
		}
		if (is_swap_pte(e)) { /* in swap: the child names the slot too */
			if (swap_duplicate(pte_to_swp_entry(e)) == 0) {
				set_pte_at(dst, a, dpte, e);
				rss[MM_SWAPENTS]++;
			}
			continue;
		}
		struct page *page = pfn_to_page(pte_pfn(e));
		if (page != ZERO_PAGE(a)) {
			get_page(page);
			page_dup_rmap(page);
			rss[mm_counter(page)]++;
		}
		set_pte_at(dst, a, dpte, e);
	}
	pte_unmap(sfirst); /* kmap_local: the last mapped goes first */
	pte_unmap(dfirst);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			rss_add_page(dst, i, rss[i]);
	return 0;
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED), protected = false;
	int err = 0;

	for (unsigned long a = vma->vm_start; a < vma->vm_end && !err;) {
		unsigned long next = (a + PMD_SIZE) & ~(PMD_SIZE - 1);
		if (next > vma->vm_end || next == 0)
			next = vma->vm_end;
		pmd_t *spmd = pmd_offset(pgd_offset(src, a), a);
		if (pmd_present(pmdp_get(spmd))) /* no PTE page: nothing mapped there */
			err = copy_pte_range(dst, src, spmd, a, next, cow, &protected);
		a = next;
	}
	if (protected)
		flush_tlb_range(vma, vma->vm_start, vma->vm_end);
	return err;
}
