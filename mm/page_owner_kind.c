/* page_owner_kind.c - what each physical frame is, for pictures of memory
 * and for Linux's /proc/kpageflags, /proc/kpagecount and /proc/PID/pagemap.
 *
 * struct page says most of it (PG_buddy, PG_slab, PG_table, an anonymous
 * or file mapping, ...); the rest comes from a memview_ctx: the RAM ranges
 * (a frame outside them is a hole), the image and mem_map ranges (boot
 * marks both only PG_reserved), and the frames vmalloc areas and pkmap
 * slots map (vmalloc's pages carry no flag of their own; a kmap()ed page
 * nobody else claims is shown as pkmap's). One order of tests decides, so
 * every frame has exactly one kind and the picture's counts add up.
 *
 * A free block's tail frames and an allocated block's tails carry no
 * owner flag: they are found from their block's first frame (the buddy
 * head's order says how far it reaches), as Linux's page-types does.
 * Nothing here takes a lock: a snapshot of a live system is a sequence of
 * looks, each frame seen in one of its states (docs/memview.md).
 */
#include "memview.h"
#include "errno.h"
#include "mm_types.h"
#include "mmzone.h"
#include "pkmap.h"
#include "slab.h"
#include "swapops.h"
#include "vmalloc.h"
#include "vmalloc_internal.h"

const char *const page_owner_kind_names[NR_PAGE_OWNER_KINDS] = {
	[PO_HOLE] = "hole",	      [PO_RESERVED] = "reserved",   [PO_KERNEL_IMAGE] = "kernel",
	[PO_MEM_MAP] = "mem_map",     [PO_FREE] = "free",	    [PO_PCP] = "pcp",
	[PO_SLAB] = "slab",	      [PO_KMALLOC_LARGE] = "kmalloc_large",
	[PO_PAGE_TABLE] = "pagetable", [PO_VMALLOC] = "vmalloc",    [PO_ANON] = "anon",
	[PO_PAGE_CACHE] = "pagecache", [PO_SWAP_CACHE] = "swapcache", [PO_PKMAP] = "pkmap",
	[PO_KERNEL] = "kernel_other",
};

static bool in_sorted(const unsigned long *a, unsigned long n, unsigned long pfn)
{
	unsigned long lo = 0, hi = n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		if (a[mid] == pfn)
			return true;
		if (a[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool is_ram(const struct memview_ctx *c, unsigned long pfn)
{
	for (unsigned i = 0; i < c->nr_ram; i++)
		if (pfn >= c->ram[i].start && pfn < c->ram[i].end)
			return true;
	return false;
}

/* The head of the free buddy block holding pfn, or ~0UL: a PG_buddy frame
 * at pfn's alignment for some order whose own order reaches pfn. */
static unsigned long free_block_head(unsigned long pfn, unsigned *order)
{
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *p = pfn_to_page(head);
		u32 f = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
		if (!(f & (1u << PG_buddy)))
			continue;
		u32 ord = __atomic_load_n(&p->private, __ATOMIC_RELAXED);
		if (ord < MAX_ORDER && pfn < head + (1UL << ord)) {
			*order = ord;
			return head;
		}
	}
	return ~0UL;
}

/* The first frame of the allocated block a PG_tail frame belongs to. */
static unsigned long alloc_block_head(unsigned long pfn)
{
	for (unsigned o = 1; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *p = pfn_to_page(head);
		u32 f = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
		u32 ord = __atomic_load_n(&p->private, __ATOMIC_RELAXED);
		if ((f & (1u << PG_head)) && ord < MAX_ORDER && pfn < head + (1UL << ord))
			return head;
	}
	return pfn;
}

/* The kind of an allocated frame from its own struct page. */
static enum page_owner_kind kind_of_page(const struct memview_ctx *c, unsigned long pfn, u32 f)
{
	const struct page *p = pfn_to_page(pfn);
	unsigned long mapping = (unsigned long)__atomic_load_n(&p->mapping, __ATOMIC_RELAXED);

	if (f & (1u << PG_slab))
		return PO_SLAB;
	if (f & (1u << PG_large_kmalloc))
		return PO_KMALLOC_LARGE;
	if (f & (1u << PG_table))
		return PO_PAGE_TABLE;
	if (c->nr_vmalloc && in_sorted(c->vmalloc_pfns, c->nr_vmalloc, pfn))
		return PO_VMALLOC;
	if (f & (1u << PG_swapcache))
		return PO_SWAP_CACHE;
	if (mapping & PAGE_MAPPING_ANON)
		return PO_ANON;
	if (mapping)
		return PO_PAGE_CACHE;
	/* mapped into user space with no mapping: anonymous (mm/memory.c's
	 * mm_counter reads it so until pages get an anon_vma) */
	if (__atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) >= 0)
		return PO_ANON;
	if (c->nr_pkmap && in_sorted(c->pkmap_pfns, c->nr_pkmap, pfn))
		return PO_PKMAP;
	return PO_KERNEL;
}

enum page_owner_kind page_owner_kind(const struct memview_ctx *c, unsigned long pfn,
				     unsigned *order)
{
	const struct page *p = pfn_to_page(pfn);
	u32 f = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);

	*order = 0;
	if (!is_ram(c, pfn))
		return PO_HOLE;
	if (pfn >= c->image_start && pfn < c->image_end)
		return PO_KERNEL_IMAGE;
	if (pfn >= c->memmap_start && pfn < c->memmap_end)
		return PO_MEM_MAP;
	if (f & (1u << PG_reserved))
		return PO_RESERVED;
	if (f & (1u << PG_pcp))
		return PO_PCP;
	if (__atomic_load_n(&p->_refcount, __ATOMIC_RELAXED) == 0 &&
	    free_block_head(pfn, order) != ~0UL)
		return PO_FREE;
	*order = 0;
	if (f & (1u << PG_tail)) {
		unsigned long head = alloc_block_head(pfn);
		if (head != pfn) {
			u32 hf = __atomic_load_n(&pfn_to_page(head)->flags, __ATOMIC_RELAXED);
			if (hf & (1u << PG_large_kmalloc))
				return PO_KMALLOC_LARGE;
			return kind_of_page(c, head, hf) == PO_SLAB ? PO_SLAB : kind_of_page(c, pfn, f);
		}
	}
	return kind_of_page(c, pfn, f);
}

/* How many frames from pfn on share its kind and order (a free block is
 * taken whole: its tails need no second look). */
static unsigned long unit_at(const struct memview_ctx *c, unsigned long pfn,
			     enum page_owner_kind *k, unsigned *order)
{
	*k = page_owner_kind(c, pfn, order);
	if (*k == PO_FREE) {
		unsigned long head = pfn & ~((1UL << *order) - 1);
		return head + (1UL << *order) - pfn;
	}
	return 1;
}

void memview_next_run(const struct memview_ctx *c, unsigned long pfn, struct memview_run *r)
{
	const unsigned long pfn_4g = 1UL << (32 - PAGE_SHIFT);
	unsigned order, o;
	enum page_owner_kind k, kk;
	unsigned zone = page_zonenum(pfn_to_page(pfn));
	unsigned long end = max_pfn, n;

	if (pfn < pfn_4g && end > pfn_4g)
		end = pfn_4g; /* runs never cross the 4 GiB line */
	n = unit_at(c, pfn, &k, &order);
	while (pfn + n < end && page_zonenum(pfn_to_page(pfn + n)) == zone) {
		unsigned long u = unit_at(c, pfn + n, &kk, &o);
		if (kk != k || o != order)
			break;
		n += u;
	}
	if (pfn + n > end)
		n = end - pfn;
	*r = (struct memview_run){ pfn, n, k, order, zone };
}

/* ---- gathering what struct page does not say ---- */

static void sort_pfns(unsigned long *a, unsigned long n)
{
	for (unsigned long i = 1; i < n; i++) { /* insertion sort: a handful to thousands */
		unsigned long v = a[i], j = i;
		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* Every frame of live VM_ALLOC areas, read through the area's PTEs under
 * vmap_lock, into at most cap entries. Returns how many were found (more
 * than cap means some were left out). */
static unsigned long collect_vmalloc(unsigned long *out, unsigned long cap)
{
	unsigned long found = 0, irq = spin_lock_irqsave(&vmap_lock);

	for (struct va_node *n = va_tree_next(vmap_busy, 0); n; n = va_tree_next(vmap_busy, n->start + 1)) {
		struct vmap_area *va = container_of(n, struct vmap_area, node);
		if (!(va->flags & VM_ALLOC))
			continue;
		for (unsigned i = 0; i < va->nr_pages; i++) {
			struct page *p = vmalloc_to_page((void *)(n->start + i * PAGE_SIZE));
			if (p && found < cap)
				out[found] = page_to_pfn(p);
			found += p != NULL;
		}
	}
	spin_unlock_irqrestore(&vmap_lock, irq);
	return found;
}

static void collect_pkmap(struct memview_ctx *c)
{
	c->nr_pkmap = 0;
	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (__atomic_load_n(&pkmap_count[i], __ATOMIC_RELAXED) == 0)
			continue;
		pte_t pte = ptep_get(virt_to_kpte(PKMAP_ADDR(i)));
		if (pte_present(pte) && pfn_valid(pte_pfn(pte)))
			c->pkmap_pfns[c->nr_pkmap++] = pte_pfn(pte);
	}
	sort_pfns(c->pkmap_pfns, c->nr_pkmap);
}

int memview_collect(struct memview_ctx *c)
{
	collect_pkmap(c);
	c->nr_vmalloc = 0;
	for (int tries = 0; tries < 4; tries++) {
		unsigned long want = nr_vmalloc_pages + 64;
		kfree(c->vmalloc_pfns);
		c->vmalloc_pfns = kmalloc(want * sizeof(unsigned long), GFP_KERNEL);
		if (!c->vmalloc_pfns)
			break;
		c->vmalloc_cap = want;
		unsigned long found = collect_vmalloc(c->vmalloc_pfns, want);
		if (found <= want) {
			c->nr_vmalloc = found;
			sort_pfns(c->vmalloc_pfns, found);
			return 0;
		}
	}
	kfree(c->vmalloc_pfns);
	c->vmalloc_pfns = NULL;
	c->vmalloc_cap = 0;
	return -ENOMEM;
}

bool memview_vmap_next(unsigned long *next, struct memview_vmap *out)
{
	unsigned long irq = spin_lock_irqsave(&vmap_lock);
	struct va_node *n = va_tree_next(vmap_busy, *next);

	if (n) {
		const struct vmap_area *va = container_of(n, struct vmap_area, node);
		*out = (struct memview_vmap){ n->start, n->end, va->nr_pages, va->flags, va->caller };
		*next = n->start + 1;
	}
	spin_unlock_irqrestore(&vmap_lock, irq);
	return n != NULL;
}

void memview_release(struct memview_ctx *c)
{
	kfree(c->vmalloc_pfns);
	c->vmalloc_pfns = NULL;
	c->nr_vmalloc = c->vmalloc_cap = 0;
}

/* ---- Linux's formats ---- */

u64 stable_page_flags(const struct memview_ctx *c, unsigned long pfn)
{
	const struct page *p = pfn_to_page(pfn);
	u32 f = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
	unsigned order;
	enum page_owner_kind k = page_owner_kind(c, pfn, &order);
	u64 v = 0;
	static const struct { u8 pg, kpf; } same[] = {
		{ PG_locked, KPF_LOCKED },	   { PG_referenced, KPF_REFERENCED },
		{ PG_uptodate, KPF_UPTODATE },	   { PG_dirty, KPF_DIRTY },
		{ PG_lru, KPF_LRU },		   { PG_active, KPF_ACTIVE },
		{ PG_slab, KPF_SLAB },		   { PG_writeback, KPF_WRITEBACK },
		{ PG_reclaim, KPF_RECLAIM },	   { PG_buddy, KPF_BUDDY },
		{ PG_swapcache, KPF_SWAPCACHE },   { PG_swapbacked, KPF_SWAPBACKED },
		{ PG_table, KPF_PGTABLE },	   { PG_reserved, KPF_RESERVED },
	};

	if (k == PO_HOLE)
		return 1ULL << KPF_NOPAGE; /* as Linux for a frame with no memory */
	for (unsigned i = 0; i < ARRAY_SIZE(same); i++)
		if (f & (1u << same[i].pg))
			v |= 1ULL << same[i].kpf;
	if (k == PO_ANON || k == PO_PAGE_CACHE || k == PO_SWAP_CACHE) {
		if (__atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) >= 0)
			v |= 1ULL << KPF_MMAP;
		if (k == PO_ANON || ((unsigned long)p->mapping & PAGE_MAPPING_ANON))
			v |= 1ULL << KPF_ANON;
	}
	if (empty_zero_page_ptr && p == empty_zero_page_ptr)
		v |= 1ULL << KPF_ZERO_PAGE;
	v |= (u64)k << KPF_HL_OWNER_SHIFT;
	v |= (u64)page_zonenum(p) << KPF_HL_ZONE_SHIFT;
	v |= (u64)order << KPF_HL_ORDER_SHIFT;
	return v;
}

u64 page_kpagecount(unsigned long pfn)
{
	int mc = __atomic_load_n(&pfn_to_page(pfn)->_mapcount, __ATOMIC_RELAXED) + 1;
	u32 f = pfn_to_page(pfn)->flags;

	/* _mapcount means mappings only on pages that can be mapped (not slab) */
	if (f & ((1u << PG_slab) | (1u << PG_buddy) | (1u << PG_reserved)) || mc < 0)
		return 0;
	return (u64)mc;
}

/* ---- /proc/PID/pagemap ---- */

static const struct vm_area_struct *find_vma_of(struct mm_struct *mm, unsigned long addr)
{
	for (int i = 0; i < mm->map_count; i++)
		if (addr >= mm->vmas[i]->vm_start && addr < mm->vmas[i]->vm_end)
			return mm->vmas[i];
	return NULL;
}

u64 pagemap_entry(struct mm_struct *mm, unsigned long addr)
{
	const struct vm_area_struct *vma;
	pte_t *ptep, pte;

	if (!mm || addr >= TASK_SIZE || !(vma = find_vma_of(mm, addr)))
		return 0;
	ptep = user_pte_map(mm, addr);
	if (!ptep)
		return 0;
	pte = ptep_get(ptep);
	pte_unmap(ptep);
	if (pte_present(pte)) {
		unsigned long pfn = pte_pfn(pte);
		u64 e = PM_PRESENT | ((u64)pfn & PM_PFRAME_MASK);
		if (!pfn_valid(pfn))
			return e;
		const struct page *p = pfn_to_page(pfn);
		unsigned long m = (unsigned long)p->mapping;
		if ((m && !(m & PAGE_MAPPING_ANON)) || (vma->vm_flags & VM_SHARED))
			e |= PM_FILE; /* a file page, or shared anonymous memory (Linux's meaning) */
		if (page_mapcount(p) == 1)
			e |= PM_MMAP_EXCLUSIVE;
		return e;
	}
	if (!is_swap_pte(pte))
		return 0;
	/* A swap entry (pgtable_pae.h keeps it as Linux i386 PAE does): Linux's
	 * pagemap gives the type in bits 0..4 and the offset above, which is
	 * swp_entry_t's own layout (swap.h). */
	return PM_SWAP | (pte_to_swp_entry(pte).val & PM_PFRAME_MASK);
}
