/* mm.h - struct page: one per physical frame, in the flat array mem_map.
 *
 * Every frame from pfn 0 to max_pfn has a struct page, lowmem and highmem
 * alike; on i386 it is 32 bytes, so 8 GB of RAM costs 64 MB of mem_map, all
 * of it in lowmem. The zone a page belongs to is kept in the top bits of
 * flags (as Linux does), so page_zone() needs no lookup.
 */
#ifndef HL_MM_H
#define HL_MM_H

#include "layout.h"
#include "list.h"
#include "types.h"

struct address_space;
struct kmem_cache;
typedef unsigned long pgoff_t; /* a page's offset in its mapping, in pages */

/* Each field has one meaning. Fields in a union belong to whoever owns the
 * page, as Linux's struct slab overlays struct page: slab_cache and inuse
 * mean something only while PG_slab is set, mapping and index only while
 * it is not. Everything else that is per frame (kmap users, vmap
 * mappings, debug data) lives outside: kmap's use count in pkmap_count[],
 * the last alloc/free caller in the page_ext side table (below). */
struct page {
	u32 flags;            /* PG_* bits, zone number in bits 30..31 */
	s32 _refcount;        /* users of the page; 0 when free */
	s32 _mapcount;        /* page-table entries mapping the page (user mappings,
	                         what COW and reclaim read), -1 none; kmap, vmap and
	                         the slab allocator never change it */
	u32 private;          /* buddy: order of the free block (PG_buddy), or of the
	                         allocated block (PG_head); an anonymous page in the
	                         swap cache: its swap entry; slab: first free object */
	struct list_head lru; /* free_area / per-CPU list / slab lists */
	union {
		struct address_space *mapping; /* the owner: a file's address_space, or
		                                  (bit 0 set, PAGE_MAPPING_ANON) an
		                                  anonymous page's anon_vma; NULL none */
		struct kmem_cache *slab_cache; /* PG_slab: its cache, on every page of
		                                  the slab (an object finds it) */
	};
	union {
		pgoff_t index;        /* offset of the page in its mapping, in pages */
		u32 inuse;            /* PG_slab, the slab's first page: objects handed
		                         out, per-CPU arrays included */
	};
};

#if UINTPTR_MAX == 0xffffffffu
_Static_assert(sizeof(struct page) <= 32, "struct page must stay within 32 bytes on i386");
#endif

enum pageflags {
	PG_reserved = 0, /* never given to the buddy allocator (firmware, kernel image, mem_map) */
	PG_buddy,        /* head of a free block on a free_area list; private = order */
	PG_pcp,          /* free, on a per-CPU list */
	PG_head,         /* first page of an allocated block of order private */
	PG_tail,         /* other pages of an allocated block of order > 0 */
	PG_slab,         /* owned by the slab allocator */
	PG_highmem,      /* above max_low_pfn: no permanent kernel address */
	PG_poisoned,     /* debug_pagealloc: contents poisoned while free */
	PG_large_kmalloc,/* head of a kmalloc() too big for the slab caches */
	/* Reclaim and swap (Linux's meanings; issue 16 gives them their users). */
	PG_locked,       /* I/O or a state change in progress: others wait or skip */
	PG_referenced,   /* used recently (mark_page_accessed), before activation */
	PG_uptodate,     /* contents valid (a swap-in completed without error) */
	PG_dirty,        /* contents newer than the backing store (swap slot) */
	PG_lru,          /* on one of its zone's LRU lists (lru links it there) */
	PG_active,       /* on an active LRU list, else inactive */
	PG_swapbacked,   /* anonymous or shmem: backed by swap, not by a file */
	PG_swapcache,    /* in the swap cache; private = its swap entry */
	PG_writeback,    /* being written to its backing store */
	PG_reclaim,      /* to be freed as soon as its writeback ends */
	/* Owner kinds a picture of memory needs (Linux: page types). */
	PG_table,        /* a page-table page (PMD or PTE) of a user address space */
	NR_PAGEFLAGS,
};

#define ZONES_SHIFT 30
#define ZONES_MASK 3u
_Static_assert(NR_PAGEFLAGS <= ZONES_SHIFT, "page flags run into the zone bits");

#define PAGE_FLAG_FNS(Name, bit)                                                         \
	static inline bool Page##Name(const struct page *p) { return p->flags & (1u << PG_##bit); } \
	static inline void SetPage##Name(struct page *p) { p->flags |= 1u << PG_##bit; } \
	static inline void ClearPage##Name(struct page *p) { p->flags &= ~(1u << PG_##bit); }
PAGE_FLAG_FNS(Reserved, reserved)
PAGE_FLAG_FNS(Buddy, buddy)
PAGE_FLAG_FNS(Pcp, pcp)
PAGE_FLAG_FNS(Head, head)
PAGE_FLAG_FNS(Tail, tail)
PAGE_FLAG_FNS(Slab, slab)
PAGE_FLAG_FNS(HighMem, highmem)
PAGE_FLAG_FNS(Poisoned, poisoned)
PAGE_FLAG_FNS(LargeKmalloc, large_kmalloc)
PAGE_FLAG_FNS(Locked, locked)
PAGE_FLAG_FNS(Referenced, referenced)
PAGE_FLAG_FNS(Uptodate, uptodate)
PAGE_FLAG_FNS(Dirty, dirty)
PAGE_FLAG_FNS(LRU, lru)
PAGE_FLAG_FNS(Active, active)
PAGE_FLAG_FNS(SwapBacked, swapbacked)
PAGE_FLAG_FNS(SwapCache, swapcache)
PAGE_FLAG_FNS(Writeback, writeback)
PAGE_FLAG_FNS(Reclaim, reclaim)
PAGE_FLAG_FNS(Table, table)
#undef PAGE_FLAG_FNS

#define PAGE_MAPPING_ANON 0x1u /* mapping's bit 0: an anon_vma, not an address_space */

/* ---- page_ext: per-frame debug data kept out of struct page ----
 * Linux's page_ext/page_owner: a side table, one entry per frame, allocated
 * at boot from memblock only when a debug option needs it (page_owner=on,
 * or debug_pagealloc=on, whose use-after-free report names the last
 * freer). Without it, reports say the caller was not recorded; with it,
 * the allocator's order-0 fast paths are gated off (mm/page_ext.c), so the
 * table costs the fast paths nothing while it is absent. */
struct page_ext {
	const void *last_caller; /* return address of the last alloc or free */
};
extern struct page_ext *page_ext_table; /* NULL: not allocated */

extern struct page *mem_map;      /* mem_map[pfn] for pfn < max_pfn */

static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + pfn; }
static inline unsigned long page_to_pfn(const struct page *p) { return (unsigned long)(p - mem_map); }
static inline phys_addr_t page_to_phys(const struct page *p) { return PFN_PHYS(page_to_pfn(p)); }
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }
static inline unsigned page_zonenum(const struct page *p) { return (p->flags >> ZONES_SHIFT) & ZONES_MASK; }
static inline int page_count(const struct page *p) { return p->_refcount; }
static inline int page_mapcount(const struct page *p) { return p->_mapcount + 1; }

/* The side-table entry of a page, NULL when the table is off. */
static inline struct page_ext *lookup_page_ext(const struct page *p)
{
	return page_ext_table ? &page_ext_table[page_to_pfn(p)] : NULL;
}
/* Record `caller` as the page's last allocator or freer (if the table is on). */
static inline void page_ext_set_caller(const struct page *p, const void *caller)
{
	if (unlikely(page_ext_table))
		page_ext_table[page_to_pfn(p)].last_caller = caller;
}
/* The page's last allocator or freer; NULL if not recorded. */
static inline void *page_ext_caller(const struct page *p)
{
	struct page_ext *e = lookup_page_ext(p);

	return e ? (void *)e->last_caller : NULL;
}
/* Boot (mm_core_init): parse page_owner= and debug_pagealloc= (on or off;
 * anything else is refused with a message) and allocate the side table
 * from memblock if either is on. mm/page_ext.c. */
void page_ext_init(void);
/* Use `table` (max_pfn zeroed entries) as the side table, or none (NULL):
 * page_ext_init's last step; the hosted tests call it directly. */
void page_ext_attach(struct page_ext *table);
/* page_owner=on was given. */
extern bool page_owner_enabled;

/* The direct map, through the arch interface (arithmetic on x86: pa + PAGE_OFFSET). */
void *phys_to_virt(phys_addr_t pa);
phys_addr_t virt_to_phys(const void *va);
#define __va(pa) phys_to_virt(pa)
#define __pa(va) virt_to_phys((const void *)(va))

/* The struct page of a direct-map (lowmem) address. */
struct page *virt_to_page(const void *va);
/* The kernel address of a page: its direct-map address for lowmem, its pkmap
 * address if a highmem page is kmap()ed, else NULL. */
void *page_address(const struct page *p);
/* Describe a page's state on one line (flags, count, order, zone), for reports. */
void dump_page(const struct page *p, const char *reason);

#endif
