/* vmalloc.c - virtually contiguous kernel memory made of scattered frames
 * (include/vmalloc.h).
 *
 * An area is a range of the vmalloc space from the range allocator
 * (mm/vmalloc_area.c) plus one guard page that stays unmapped, so running
 * off the end faults instead of scribbling on the next area. vmalloc()
 * fills the range with pages taken one at a time, from HIGHMEM when there
 * is any (the whole point: this memory needs no lowmem); vmap() maps pages
 * the caller already has. The page tables of the vmalloc space exist from
 * boot, so mapping is a PTE write through the arch hooks and never
 * allocates.
 *
 * Freeing clears the PTEs at once, gives the pages back in batches
 * (free_unref_page_list), but does not flush the TLB: the range
 * goes on a purge list and may not be reused until one flush covers
 * everything on the list (see VMAP_LAZY_DEFAULT). Until then, stale TLB
 * entries can only be reached through addresses nobody owns any more.
 *
 * Locking: vmap_lock (irqsave) covers the range allocator, the busy tree,
 * the purge list and the counters; pages and nodes are allocated, PTEs
 * written and the TLB flushed outside it.
 */
#include "arch.h"
#include "cmdline.h"
#include "mmzone.h"
#include "panic.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"
#include "vmalloc.h"
#include "vmalloc_area.h"
#include "vmalloc_internal.h"

/* Why 8 MB when Linux waits for 32 MB (times log2 of the CPU count)? Linux
 * on 64-bit has terabytes of vmalloc space; ours is about 115 MB (128 MB
 * minus the gap, pkmap and fixmap), so 32 MB of freed-but-unflushed ranges
 * would leave over a quarter of it unusable at any moment and push
 * allocations to purge under pressure. 8 MB is 7% of the space and still
 * batches a hundred or so 64 KB vfrees into one flush. */
#define VMAP_LAZY_DEFAULT (8UL << 20) /* and at most 1/8 of a space cut by vmalloc= */
/* Spare nodes kept between operations: enough that a steady alloc/free
 * cycle never calls kmalloc, few enough to be noise. */
#define VMAP_STASH_MAX 8

DEFINE_SPINLOCK(vmap_lock);
struct va_space vmap_space;            /* free address ranges */
struct va_node *vmap_busy;             /* live areas, by address */
struct list_head vmap_purge_list = LIST_HEAD_INIT(vmap_purge_list);

unsigned long vmap_lazy_pages;
unsigned long vmap_lazy_max_pages = VMAP_LAZY_DEFAULT >> PAGE_SHIFT;
unsigned long vmap_purge_count;
unsigned long vmalloc_reports;
unsigned long nr_vmalloc_pages;

static struct vmap_area *node_area(struct va_node *n)
{
	return n ? container_of(n, struct vmap_area, node) : NULL;
}

/* ---- nodes and the lock --------------------------------------------------- */

/* Take vmap_lock with at least `want` spare nodes in the stash. Nodes are
 * kmalloc'ed outside the lock; after warm-up the stash is refilled by
 * freed areas and this is one lock acquisition. */
bool vmap_lock_with_nodes(unsigned want, unsigned long *irq)
{
	struct vmap_area *extra = NULL;

	for (;;) {
		*irq = spin_lock_irqsave(&vmap_lock);
		if (extra)
			va_stash(&vmap_space, &extra->node);
		if (vmap_space.nr_stash >= want)
			return true;
		spin_unlock_irqrestore(&vmap_lock, *irq);
		extra = kmalloc(sizeof(*extra), GFP_KERNEL);
		if (!extra)
			return false;
	}
}

/* Drop vmap_lock, freeing the spare nodes beyond `keep` after it. */
static void unlock_trim_to(unsigned long irq, unsigned keep)
{
	struct va_node *extra = NULL;

	while (vmap_space.nr_stash > keep) {
		struct va_node *n = va_unstash(&vmap_space);
		n->left = extra;
		extra = n;
	}
	spin_unlock_irqrestore(&vmap_lock, irq);
	while (extra) {
		struct va_node *n = extra;
		extra = n->left;
		kfree(node_area(n));
	}
}

void vmap_unlock_trim(unsigned long irq) { unlock_trim_to(irq, VMAP_STASH_MAX); }

void vmalloc_drop_spares(void)
{
	unlock_trim_to(spin_lock_irqsave(&vmap_lock), 0);
}

int vmalloc_check(void)
{
	unsigned long irq = spin_lock_irqsave(&vmap_lock), nodes;
	int problems = va_space_verify(&vmap_space), bad_busy = va_tree_verify(vmap_busy, &nodes, NULL);
	unsigned long overlaps = 0;

	/* No live area may overlap a free range. */
	for (struct va_node *n = va_tree_next(vmap_busy, 0); n; n = va_tree_next(vmap_busy, n->end)) {
		struct va_node *f = va_tree_prev(vmap_space.free, n->end - 1);
		overlaps += f && f->end > n->start;
	}
	spin_unlock_irqrestore(&vmap_lock, irq);
	if (problems)
		pr_err("vmalloc_check: %d problem(s) in the free-range tree\n", problems);
	if (bad_busy)
		pr_err("vmalloc_check: %d problem(s) in the tree of live areas\n", bad_busy);
	if (overlaps)
		pr_err("vmalloc_check: %lu live area(s) overlap free ranges\n", overlaps);
	return problems + bad_busy + (int)overlaps;
}

/* ---- the lazy purge ------------------------------------------------------- */

/* One flush for everything on the purge list, then its ranges become free
 * space again. The flush runs without the lock (on SMP it will wait for
 * other CPUs, which must not find us spinning with interrupts off). Each
 * area's own node goes to the stash first, so returning its range to the
 * free tree never needs a node from anywhere else. */
static bool vmap_purge_lazy(void)
{
	struct list_head batch = LIST_HEAD_INIT(batch);
	unsigned long start = ~0UL, end = 0;
	unsigned long irq = spin_lock_irqsave(&vmap_lock);

	while (!list_empty(&vmap_purge_list)) {
		struct vmap_area *va = list_first_entry(&vmap_purge_list, struct vmap_area, purge);
		list_del(&va->purge);
		list_add_tail(&va->purge, &batch);
		start = MIN(start, va->node.start);
		end = MAX(end, va->node.end);
	}
	vmap_lazy_pages = 0;
	spin_unlock_irqrestore(&vmap_lock, irq);
	if (list_empty(&batch))
		return false;

	flush_tlb_kernel_range(start, end);
	irq = spin_lock_irqsave(&vmap_lock);
	vmap_purge_count++;
	while (!list_empty(&batch)) {
		struct vmap_area *va = list_first_entry(&batch, struct vmap_area, purge);
		unsigned long s = va->node.start, size = va->node.end - va->node.start;
		list_del(&va->purge);
		va_stash(&vmap_space, &va->node);
		WARN(va_free(&vmap_space, s, size), "vmalloc: purged range 0x%08lx+%lu was free\n",
		     s, size);
	}
	vmap_unlock_trim(irq);
	return true;
}

void vm_unmap_aliases(void) { vmap_purge_lazy(); }

/* The area is out of the busy tree and unmapped: queue its range for the
 * next flush, and purge when enough has piled up. */
static void free_area_lazy(struct vmap_area *va)
{
	unsigned long irq = spin_lock_irqsave(&vmap_lock);

	list_add_tail(&va->purge, &vmap_purge_list);
	vmap_lazy_pages += (va->node.end - va->node.start) >> PAGE_SHIFT;
	bool purge = vmap_lazy_pages >= vmap_lazy_max_pages;
	spin_unlock_irqrestore(&vmap_lock, irq);
	if (purge)
		vmap_purge_lazy();
}

/* ---- areas ---------------------------------------------------------------- */

/* A range of `pages` pages (the guard page included) in the busy tree. A
 * failure may only mean that freed ranges are waiting for their flush:
 * purge once and retry before giving up. */
static struct vmap_area *alloc_vmap_area(unsigned long pages, unsigned flags, gfp_t gfp,
					 const void *caller)
{
	unsigned long irq, space = (VMALLOC_END - VMALLOC_START) >> PAGE_SHIFT;

	for (int attempt = 0; pages <= space && attempt < 2; attempt++) {
		/* two spares: the area itself, and one in case the fit splits a range */
		if (!vmap_lock_with_nodes(2, &irq))
			return NULL;
		unsigned long start = va_alloc(&vmap_space, pages << PAGE_SHIFT, PAGE_SIZE);
		if (start) {
			struct vmap_area *va = node_area(va_unstash(&vmap_space));
			va->node.start = start;
			va->node.end = start + (pages << PAGE_SHIFT);
			va->flags = flags;
			va->nr_pages = (unsigned)pages - 1;
			va->caller = caller;
			va_tree_insert(&vmap_busy, &va->node);
			vmap_unlock_trim(irq);
			return va;
		}
		bool pending = !list_empty(&vmap_purge_list);
		vmap_unlock_trim(irq);
		if (!pending || !vmap_purge_lazy())
			break;
	}
	if (!(gfp & __GFP_NOWARN))
		pr_warn("vmap allocation for size %llu failed: use vmalloc=<size> to increase size\n",
			(u64)pages << PAGE_SHIFT);
	return NULL;
}

/* The kernel PTE of addr, given the previous page's (NULL at the start of
 * an area): the next entry of the same PTE page, unless addr starts a new
 * one (every 2 MB), when the walk from the PGD is done again. The kernel's
 * PTE pages for the vmalloc range are always there (paging.c allocates
 * them at boot), so the entries of one PTE page are one array. */
static inline pte_t *next_kpte(pte_t *prev, unsigned long addr)
{
	if (prev && (addr & (PMD_SIZE - 1)))
		return prev + 1;
	return virt_to_kpte(addr);
}

/* As in Linux, a vmap leaves the struct page alone: _mapcount counts
 * page-table mappings of user address spaces, not kernel aliases. Inlined
 * into its two loops: once per page, the call was a quarter of the cost. */
static inline __attribute__((always_inline)) pte_t *map_page(pte_t *prev, unsigned long addr,
							     struct page *p, pgprot_t prot)
{
	pte_t *ptep = next_kpte(prev, addr);

	set_pte_at(&init_mm, addr, ptep, mk_pte(p, prot));
	return ptep;
}

/* Clear the area's PTEs (no flush: that is the lazy part) and, for
 * vmalloc areas, free the pages. The frames are read back from the PTEs:
 * Linux keeps an array of them (vm_struct->pages), but the page tables
 * already are that array, and a big area's array would itself need
 * vmalloc. Pages never mapped (a vmalloc that ran out of memory halfway)
 * have no PTE and are skipped. */
static void unmap_area(struct vmap_area *va)
{
	unsigned long addr = va->node.start;
	pte_t *ptep = NULL;
	struct list_head pages; /* linked by lru: the pages are ours until freed */

	INIT_LIST_HEAD(&pages);

	for (unsigned i = 0; i < va->nr_pages; i++, addr += PAGE_SIZE) {
		ptep = next_kpte(ptep, addr);
		pte_t pte = ptep_get(ptep);
		if (!pte_present(pte))
			continue;
		/* A plain clear, not ptep_get_and_clear's cmpxchg8b loop: the area
		 * is out of the busy tree, nothing maps through it any more, and an
		 * accessed/dirty bit the MMU might still set would only describe
		 * contents that are being freed. (The MMU sets them with a locked
		 * update that finds the entry not present once the low word is 0.) */
		pte_clear(&init_mm, addr, ptep);
		if (va->flags & VM_ALLOC)
			list_add_tail(&pfn_to_page(pte_pfn(pte))->lru, &pages);
	}
	/* in batches, as they came in (alloc_pages_bulk_list) */
	free_unref_page_list(&pages);
}

/* Take the area that starts at addr out of the busy tree if it is of the
 * expected kind; otherwise report the misuse (with the caller) and change
 * nothing. */
static struct vmap_area *take_area(const void *addr, unsigned kind, const char *fn,
				   const void *caller)
{
	unsigned long a = (unsigned long)addr;
	unsigned long irq = spin_lock_irqsave(&vmap_lock);
	struct vmap_area *va = node_area(va_tree_find(vmap_busy, a));

	if (va && va->node.start == a && (va->flags & kind)) {
		va_tree_remove(&vmap_busy, &va->node);
		if (va->flags & VM_ALLOC)
			nr_vmalloc_pages -= va->nr_pages;
		spin_unlock_irqrestore(&vmap_lock, irq);
		return va;
	}
	unsigned copy_flags = va ? va->flags : 0;
	bool wrong_kind = va && va->node.start == a;
	spin_unlock_irqrestore(&vmap_lock, irq);
	__atomic_add_fetch(&vmalloc_reports, 1, __ATOMIC_RELAXED);
	if (wrong_kind)
		pr_err("BUG: %s(0x%08lx): the area was made by %s, use %s (caller %pS)\n", fn, a,
		       copy_flags & VM_ALLOC ? "vmalloc()" : "vmap()",
		       copy_flags & VM_ALLOC ? "vfree()" : "vunmap()", caller);
	else if (!is_vmalloc_addr(addr) || (a & ~PAGE_MASK))
		pr_err("Trying to %s() bad address (0x%08lx) (caller %pS)\n", fn, a, caller);
	else
		pr_err("Trying to %s() nonexistent vm area (0x%08lx) (caller %pS)\n", fn, a, caller);
	/* and what is there instead: the area it falls in, or that it was freed */
	vmalloc_explain_fault(a);
	return NULL;
}

static void vfree_caller(const void *addr, const void *caller)
{
	if (!addr)
		return;
	struct vmap_area *va = take_area(addr, VM_ALLOC, "vfree", caller);
	if (!va)
		return;
	unmap_area(va);
	free_area_lazy(va);
}

/* ---- the API -------------------------------------------------------------- */

/* Fill a new vmalloc area with pages: a frame from anywhere will do, since
 * the area makes them contiguous, so they come in one bulk call and their
 * PTEs are written one PTE page at a time. On failure the area is taken
 * apart again (its range goes the lazy way: its PTEs were live). */
static bool fill_area(struct vmap_area *va, gfp_t gfp)
{
	struct list_head pages;
	unsigned long i, got;

	INIT_LIST_HEAD(&pages);
	got = alloc_pages_bulk_list(gfp | __GFP_NOWARN, va->nr_pages, &pages);
	struct list_head *l = pages.next;
	pte_t *ptep = NULL;

	/* the list links are the pages' lru: scratch space of their new owner,
	 * so each is read before its page is mapped and nothing unlinks them */
	for (i = 0; i < got; i++) {
		struct page *p = list_entry(l, struct page, lru);
		l = l->next;
		ptep = map_page(ptep, va->node.start + (i << PAGE_SHIFT), p, PAGE_KERNEL);
	}
	unsigned long irq = spin_lock_irqsave(&vmap_lock);
	if (i == va->nr_pages) {
		nr_vmalloc_pages += i;
		spin_unlock_irqrestore(&vmap_lock, irq);
		return true;
	}
	va_tree_remove(&vmap_busy, &va->node);
	spin_unlock_irqrestore(&vmap_lock, irq);
	unmap_area(va);
	free_area_lazy(va);
	return false;
}

static void *vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller)
{
	unsigned long pages = (size >> PAGE_SHIFT) + !!(size & ~PAGE_MASK);
	bool warn = !(gfp & __GFP_NOWARN);

	if (!size) {
		pr_warn("vmalloc error: size 0 (caller %pS)\n", caller);
		return NULL;
	}
	if (pages > totalram_pages()) {
		if (warn)
			pr_warn("vmalloc error: size %lu, exceeds total pages (caller %pS)\n", size,
				caller);
		return NULL;
	}
	struct vmap_area *va = alloc_vmap_area(pages + 1, VM_ALLOC, gfp, caller);
	if (!va)
		return NULL;
	if (fill_area(va, gfp))
		return (void *)va->node.start;
	if (warn)
		pr_warn("vmalloc error: size %lu, failed to allocate pages (caller %pS)\n", size,
			caller);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_HIGHUSER, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_HIGHUSER | __GFP_ZERO, __builtin_return_address(0));
}

/* On i386 "32-bit addressable" means lowmem: GFP_KERNEL never takes HIGHMEM. */
void *vmalloc_32(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL, __builtin_return_address(0));
}

void vfree(const void *addr) { vfree_caller(addr, __builtin_return_address(0)); }

/* The pages stay the caller's: vunmap only unmaps them. flags (VM_MAP in
 * every caller) is not trusted: the area is always VM_MAP, so no vfree can
 * ever free the caller's pages. */
void *vmap(struct page **pages, unsigned count, unsigned long flags, pgprot_t prot)
{
	const void *caller = __builtin_return_address(0);

	(void)flags;
	if (!count || count > totalram_pages())
		return NULL;
	for (unsigned i = 0; i < count; i++) {
		if (!pages[i] || pages[i] < mem_map || page_to_pfn(pages[i]) >= max_pfn) {
			__atomic_add_fetch(&vmalloc_reports, 1, __ATOMIC_RELAXED);
			pr_err("BUG: vmap: pages[%u] (%p) is not a page (caller %pS)\n", i,
			       (void *)pages[i], caller);
			return NULL;
		}
	}
	struct vmap_area *va = alloc_vmap_area((unsigned long)count + 1, VM_MAP, GFP_KERNEL, caller);
	if (!va)
		return NULL;
	pte_t *ptep = NULL;
	for (unsigned i = 0; i < count; i++)
		ptep = map_page(ptep, va->node.start + ((unsigned long)i << PAGE_SHIFT), pages[i], prot);
	return (void *)va->node.start;
}

void vunmap(const void *addr)
{
	if (!addr)
		return;
	struct vmap_area *va = take_area(addr, VM_MAP, "vunmap", __builtin_return_address(0));
	if (!va)
		return;
	unmap_area(va);
	free_area_lazy(va);
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

struct page *vmalloc_to_page(const void *addr)
{
	if (!is_vmalloc_addr(addr))
		return NULL;
	pte_t pte = ptep_get(virt_to_kpte((unsigned long)addr));
	if (!pte_present(pte) || !pfn_valid(pte_pfn(pte)))
		return NULL;
	return pfn_to_page(pte_pfn(pte));
}

/* ---- kvmalloc: "to kmalloc() or to vmalloc()?" ----------------------------
 * kmalloc memory is physically contiguous lowmem in the direct map (no TLB
 * cost, no page-table walk), so it is the better memory when it can be had;
 * but a big kmalloc needs a high-order block of lowmem, the scarcest thing
 * on a HIGHMEM machine. So: up to a page, kmalloc only (if that fails,
 * vmalloc would too); up to 8 pages (Linux's PAGE_ALLOC_COSTLY_ORDER 3),
 * kmalloc quietly and fall back to vmalloc; beyond that vmalloc directly,
 * which takes its pages from HIGHMEM. Linux tries kmalloc at every size; on
 * i386 with HIGHMEM the limit keeps big tables out of lowmem. Only a caller
 * that may sleep can use vmalloc: an atomic one gets kmalloc alone. */
#define KVMALLOC_KMALLOC_MAX (8 * PAGE_SIZE)

static void *kvmalloc_caller(size_t size, gfp_t gfp, const void *caller)
{
	bool zero = gfp & __GFP_ZERO;
	gfp_t kgfp = gfp & ~__GFP_ZERO;

	if (size <= PAGE_SIZE || !(gfp & __GFP_DIRECT_RECLAIM))
		return zero ? kzalloc(size, kgfp) : kmalloc(size, kgfp);
	if (size <= KVMALLOC_KMALLOC_MAX) {
		void *p = zero ? kzalloc(size, kgfp | __GFP_NOWARN) : kmalloc(size, kgfp | __GFP_NOWARN);
		if (p)
			return p;
	}
	return vmalloc_caller(size, GFP_HIGHUSER | (gfp & (__GFP_ZERO | __GFP_NOWARN)), caller);
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	return kvmalloc_caller(size, gfp, __builtin_return_address(0));
}

void *kvzalloc(size_t size, gfp_t gfp)
{
	return kvmalloc_caller(size, gfp | __GFP_ZERO, __builtin_return_address(0));
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree_caller(addr, __builtin_return_address(0));
	else
		kfree(addr);
}

/* ---- set-up ---------------------------------------------------------------- */

/* vmap_lazy=SIZE: how much freed vmalloc space may wait for its flush (0:
 * flush at every free, handy when hunting a use-after-vfree). */
static void lazy_option(void)
{
	unsigned long space = VMALLOC_END - VMALLOC_START;
	int err;
	u64 v;

	vmap_lazy_max_pages = MIN(VMAP_LAZY_DEFAULT, space / 8) >> PAGE_SHIFT;
	err = cmdline_get_size("vmap_lazy", &v); /* a malformed value is reported there */
	if (err)
		return;
	if (v > space) {
		pr_warn("vmap_lazy=%lluM ignored: expected a size up to %luM, such as 4M\n",
			v >> 20, space >> 20);
		return;
	}
	vmap_lazy_max_pages = (unsigned long)v >> PAGE_SHIFT;
}

/* Also a reset: the hosted tests call it after each sim_boot. */
void vmalloc_init(void)
{
	unsigned long irq;

	lazy_option();
	va_space_init(&vmap_space, VMALLOC_START, VMALLOC_END, PAGE_SIZE);
	vmap_busy = NULL;
	INIT_LIST_HEAD(&vmap_purge_list);
	vmap_lazy_pages = vmap_purge_count = nr_vmalloc_pages = 0;
	if (!vmap_lock_with_nodes(1, &irq)) {
		pr_err("vmalloc: no memory for the first node: vmalloc disabled\n");
		return;
	}
	va_free(&vmap_space, VMALLOC_START, VMALLOC_END - VMALLOC_START);
	vmap_unlock_trim(irq);
}
