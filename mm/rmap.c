/* rmap.c - the reverse map of anonymous pages (include/rmap.h): anon_vma
 * families, a page's address in each region, and the walks reclaim needs.
 *
 * Why anon_vma (Linux 2.6.9's object-based rmap) and not a list of PTEs per
 * page (2.6.0's pte_chains): the page carries only two words it already
 * has (mapping, index), nothing is allocated per mapping, and fork costs
 * one list insertion per region instead of one per page. The price is that
 * a walk visits every region of the family, including those where the page
 * was replaced by a copy-on-write copy; vma_address and the pfn check skip
 * those.
 *
 * Locking: a region joins and leaves its anon_vma under the anon_vma's
 * lock, and a walk holds that lock, so a region it visits is not freed
 * under it. mm/mmap.c unlinks a region (vm_area_free) before its address
 * space frees page-table pages (mmput), so the PTE pages a walk reads
 * exist. The walk reads and changes a PTE with the atomic ptep_* helpers
 * only, so it cannot lose an accessed or dirty bit the MMU or the owner
 * sets meanwhile. */
#include "errno.h"
#include "mm_types.h"
#include "printk.h"
#include "rmap.h"
#include "slab.h"
#include "pagemap.h"
#include "swapops.h"

long nr_anon_vmas;
/* Every anon_vma, for swapoff (anon_vma_next). One whose count reached 0
 * stays listed until its freer takes this lock to unlink it; walkers skip it. */
static struct list_head all_anon_vmas = LIST_HEAD_INIT(all_anon_vmas);
static DEFINE_SPINLOCK(all_anon_vmas_lock);

void anon_vma_init(void)
{
	INIT_LIST_HEAD(&all_anon_vmas);
	nr_anon_vmas = 0;
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av = kzalloc(sizeof(*av), GFP_KERNEL);

	if (av) {
		spin_lock_init(&av->lock, "anon_vma");
		INIT_LIST_HEAD(&av->head);
		spin_lock(&all_anon_vmas_lock);
		list_add_tail(&av->all, &all_anon_vmas);
		spin_unlock(&all_anon_vmas_lock);
		__atomic_add_fetch(&nr_anon_vmas, 1, __ATOMIC_RELAXED);
	}
	return av;
}

void put_anon_vma(struct anon_vma *av)
{
	if (__atomic_sub_fetch(&av->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	spin_lock(&all_anon_vmas_lock); /* anon_vma_next skips it from now on (count 0) */
	list_del(&av->all);
	spin_unlock(&all_anon_vmas_lock);
	if (!list_empty(&av->head))
		pr_err("BUG: anon_vma %p freed with regions on its list\n", (void *)av);
	kfree(av);
	__atomic_sub_fetch(&nr_anon_vmas, 1, __ATOMIC_RELAXED);
}

struct anon_vma *anon_vma_next(struct anon_vma *av)
{
	struct anon_vma *next = NULL;

	spin_lock(&all_anon_vmas_lock);
	for (struct list_head *l = av ? av->all.next : all_anon_vmas.next; l != &all_anon_vmas;
	     l = l->next) {
		struct anon_vma *cand = list_entry(l, struct anon_vma, all);
		int c = __atomic_load_n(&cand->refcount, __ATOMIC_RELAXED);
		/* get unless zero: one whose last reference went is its freer's */
		while (c > 0 && !__atomic_compare_exchange_n(&cand->refcount, &c, c + 1, false,
							      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			;
		if (c > 0) {
			next = cand;
			break;
		}
	}
	spin_unlock(&all_anon_vmas_lock);
	if (av)
		put_anon_vma(av); /* after next is held: av's links stayed valid */
	return next;
}

/* Put vma on av's list (one more reference). */
static void anon_vma_add(struct vm_area_struct *vma, struct anon_vma *av)
{
	__atomic_add_fetch(&av->refcount, 1, __ATOMIC_RELAXED);
	spin_lock(&av->lock);
	vma->anon_vma = av;
	list_add_tail(&vma->anon_vma_node, &av->head);
	spin_unlock(&av->lock);
}

/* Could a and b become one region (mm/mmap.c's test, anon_vma aside)?
 * Then they had better share an anon_vma, or they never could. */
static bool anon_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a && b && a->vm_flags == b->vm_flags && a->vm_file == b->vm_file;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		return 0;
	/* Linux's find_mergeable_anon_vma: an adjacent region it could merge
	 * with lends its anon_vma, so a merge is never refused because of it. */
	struct vm_area_struct *prev, *next = find_vma_prev(vma->vm_mm, vma->vm_start, &prev);
	if (next == vma)
		next = find_vma(vma->vm_mm, vma->vm_end);
	struct anon_vma *av = NULL;
	if (anon_mergeable(prev, vma) && prev->vm_end == vma->vm_start && prev->anon_vma)
		av = prev->anon_vma;
	else if (anon_mergeable(vma, next) && vma->vm_end == next->vm_start && next->anon_vma)
		av = next->anon_vma;
	if (!av) {
		av = anon_vma_alloc();
		if (!av)
			return -ENOMEM;
	}
	anon_vma_add(vma, av);
	return 0;
}

void anon_vma_link(struct vm_area_struct *vma, const struct vm_area_struct *src)
{
	vma->anon_vma = NULL;
	INIT_LIST_HEAD(&vma->anon_vma_node);
	if (src->anon_vma)
		anon_vma_add(vma, src->anon_vma);
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av)
		return;
	spin_lock(&av->lock);
	list_del(&vma->anon_vma_node);
	vma->anon_vma = NULL;
	spin_unlock(&av->lock);
	put_anon_vma(av);
}

/* mm/memory.c's page_add_new_anon_rmap calls this for the rmap part. */
void __page_set_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av) {
		pr_err("BUG: anonymous page at %#lx in a region without an anon_vma\n", address);
		return;
	}
	__atomic_add_fetch(&av->refcount, 1, __ATOMIC_RELAXED);
	page->mapping = (struct address_space *)((unsigned long)av + PAGE_MAPPING_ANON);
	page->index = address >> PAGE_SHIFT;
	/* Atomic, and only if not set yet. A swapped-in page is in the swap
	 * cache (PG_swapbacked already) and on an LRU list or an add batch:
	 * other CPUs change its flags meanwhile (reclaim's PG_lru, PG_active
	 * and page lock), and a plain read-modify-write of the word
	 * (SetPageSwapBacked's `flags |=`) would store their bits back as it
	 * read them: a page on no list marked PG_lru, a lock nobody holds. */
	if (!PageSwapBacked(page))
		set_page_bit(page, PG_swapbacked);
}

unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma)
{
	unsigned long address = (unsigned long)page->index << PAGE_SHIFT;

	if (address < vma->vm_start || address >= vma->vm_end)
		return (unsigned long)-EFAULT;
	return address;
}

/* Visit each PTE of av's regions that maps page (present, its pfn),
 * av->lock held; fn returns false to stop. Returns the PTEs visited. */
static int rmap_walk_anon(struct page *page,
			  bool (*fn)(struct page *, struct vm_area_struct *, unsigned long, pte_t *, void *),
			  void *arg)
{
	struct anon_vma *av = page_anon_vma(page);
	struct list_head *pos;
	int n = 0;

	if (!av)
		return 0;
	spin_lock(&av->lock);
	list_for_each(pos, &av->head) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, anon_vma_node);
		unsigned long address = vma_address(page, vma);
		if (IS_ERR_VALUE(address))
			continue;
		pte_t *pte = user_pte_map(vma->vm_mm, address);
		if (!pte)
			continue;
		pte_t e = ptep_get(pte);
		bool go = true;
		if (pte_present(e) && pte_pfn(e) == page_to_pfn(page)) {
			n++;
			go = fn(page, vma, address, pte, arg);
		}
		pte_unmap(pte);
		if (!go)
			break;
	}
	spin_unlock(&av->lock);
	return n;
}

/* page_referenced's step. Linux x86's ptep_clear_flush_young does not
 * flush: a CPU whose TLB still holds the entry with the accessed bit set
 * will not set it again until the entry is evicted or flushed, so a
 * recently used page may look old once - a small aging error, cheaper than
 * an IPI per PTE. Highland follows that rule. */
static bool referenced_one(struct page *page, struct vm_area_struct *vma, unsigned long address,
			   pte_t *pte, void *arg)
{
	(void)page;
	if (ptep_test_and_clear_young(vma->vm_mm, address, pte))
		(*(int *)arg)++;
	return true;
}

int page_referenced(struct page *page)
{
	int referenced = 0;

	if (!page_mapped(page))
		return 0;
	rmap_walk_anon(page, referenced_one, &referenced);
	return referenced;
}

/* try_to_unmap's step: this PTE becomes the page's swap entry. */
static bool unmap_one(struct page *page, struct vm_area_struct *vma, unsigned long address,
		      pte_t *pte, void *arg)
{
	swp_entry_t entry = { page->private };
	struct mm_struct *mm = vma->vm_mm;
	struct tlbflush_unmap_batch *batch = arg;

	if (swap_duplicate(entry))
		return false;
	for (int tries = 0; tries < 4; tries++) { /* the MMU may set accessed/dirty meanwhile */
		pte_t old = ptep_get(pte);
		if (!pte_present(old) || pte_pfn(old) != page_to_pfn(page))
			break; /* the owner changed it meanwhile: not ours to take */
		if (!ptep_cmpxchg(mm, address, pte, old, swp_entry_to_pte(entry)))
			continue;
		if (batch) { /* flushed before the page is written or freed */
			batch->cpumask |= __atomic_load_n(mm_cpumask(mm), __ATOMIC_SEQ_CST);
			batch->flush_required = true;
		} else {
			flush_tlb_page(vma, address); /* every CPU of the mm: no write may follow */
		}
		if (pte_dirty(old))
			set_page_bit(page, PG_dirty);
		add_mm_counter(mm, MM_ANONPAGES, -1);
		add_mm_counter(mm, MM_SWAPENTS, 1);
		page_remove_rmap(page);
		put_page(page); /* the mapping's; the caller's and the cache's remain */
		return true;
	}
	swap_free(entry);
	return true;
}

bool try_to_unmap_batched(struct page *page, struct tlbflush_unmap_batch *batch)
{
	if (!PageSwapCache(page)) {
		pr_err("BUG: try_to_unmap: pfn %#lx is not in the swap cache\n", page_to_pfn(page));
		return false;
	}
	rmap_walk_anon(page, unmap_one, batch);
	return !page_mapped(page);
}

bool try_to_unmap(struct page *page) { return try_to_unmap_batched(page, NULL); }

void try_to_unmap_flush(struct tlbflush_unmap_batch *batch)
{
	if (!batch->flush_required)
		return;
	/* Every user entry on every CPU: the CPUs of cpumask are in practice
	 * all of them, and one full flush per batch is the point. The
	 * kernel-range call is the interface that flushes whatever mm each
	 * CPU has loaded (and, as Linux's does past a ceiling, the whole TLB). */
	flush_tlb_kernel_range(0, PAGE_OFFSET);
	batch->cpumask = 0;
	batch->flush_required = false;
}

int anon_vma_find_swap_entries(struct anon_vma *av, unsigned type, struct anon_vma_pos *pos,
			       swp_entry_t *entries, struct anon_vma_pos *where, int max)
{
	struct list_head *l;
	unsigned nr = 0;
	int n = 0;

	spin_lock(&av->lock);
	list_for_each(l, &av->head) {
		struct vm_area_struct *vma = list_entry(l, struct vm_area_struct, anon_vma_node);
		if (nr++ < pos->vma_nr)
			continue;
		unsigned long a = pos->addr > vma->vm_start ? pos->addr : vma->vm_start;
		for (; a < vma->vm_end && n < max; a += PAGE_SIZE) {
			pte_t *pte = user_pte_map(vma->vm_mm, a);
			if (!pte) { /* no PTE page: on to the next 2 MB */
				a = ((a + PMD_SIZE) & ~(PMD_SIZE - 1)) - PAGE_SIZE;
				continue;
			}
			pte_t e = ptep_get(pte);
			pte_unmap(pte);
			if (is_swap_pte(e) && swp_type(pte_to_swp_entry(e)) == type) {
				where[n] = (struct anon_vma_pos){ nr - 1, a };
				entries[n++] = pte_to_swp_entry(e);
			}
		}
		*pos = (struct anon_vma_pos){ nr - 1, a }; /* resume here */
		if (n == max)
			break;
		*pos = (struct anon_vma_pos){ nr, 0 };
	}
	spin_unlock(&av->lock);
	return n;
}

/* Map page at a in vma where the PTE still holds entry: a mapping and a
 * page reference, the slot count dropped, the counters moved. true if so. */
static bool unuse_pte(struct vm_area_struct *vma, unsigned long a, swp_entry_t entry,
		      struct page *page)
{
	pte_t want = swp_entry_to_pte(entry);
	pte_t *pte = user_pte_map(vma->vm_mm, a);
	bool done = false;

	if (!pte)
		return false;
	/* read-only: a write copies or, if it is the last user, reuses (do_wp_page) */
	if (pte_val(ptep_get(pte)) == pte_val(want) &&
	    ptep_cmpxchg(vma->vm_mm, a, pte, want, mk_pte(page, vma->vm_page_prot))) {
		get_page(page);
		page_add_anon_rmap(page, vma, a);
		add_mm_counter(vma->vm_mm, MM_SWAPENTS, -1);
		add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
		swap_free(entry);
		done = true;
	}
	pte_unmap(pte);
	return done;
}

bool anon_vma_unuse_pte(struct anon_vma *av, struct anon_vma_pos where, swp_entry_t entry,
			struct page *page)
{
	struct list_head *l;
	unsigned nr = 0;
	bool done = false;

	spin_lock(&av->lock);
	list_for_each(l, &av->head) {
		struct vm_area_struct *vma = list_entry(l, struct vm_area_struct, anon_vma_node);
		if (nr++ != where.vma_nr)
			continue;
		/* the list may have changed since the find: any region of the
		 * family whose PTE there still names the slot may take the page */
		if (where.addr >= vma->vm_start && where.addr < vma->vm_end)
			done = unuse_pte(vma, where.addr, entry, page);
		break;
	}
	spin_unlock(&av->lock);
	return done;
}

void anon_vma_unuse_entry(struct anon_vma *av, swp_entry_t entry, struct page *page)
{
	pte_t want = swp_entry_to_pte(entry);
	struct list_head *pos;

	spin_lock(&av->lock);
	list_for_each(pos, &av->head) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, anon_vma_node);
		for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE) {
			pte_t *pte = user_pte_map(vma->vm_mm, a);
			if (!pte) {
				a = ((a + PMD_SIZE) & ~(PMD_SIZE - 1)) - PAGE_SIZE;
				continue;
			}
			bool holds = pte_val(ptep_get(pte)) == pte_val(want);
			pte_unmap(pte);
			if (holds)
				unuse_pte(vma, a, entry, page);
		}
	}
	spin_unlock(&av->lock);
}
