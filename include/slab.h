/* slab.h - object caches (SLUB-style) and kmalloc.
 *
 * A cache hands out objects of one size carved from slabs: one or more
 * lowmem pages from the buddy allocator (slab memory needs a permanent
 * kernel address, so never HIGHMEM; GFP_DMA gets DMA-zone caches). The
 * struct page of every slab page has PG_slab and page->index pointing at its
 * cache, so kfree() finds the cache from the pointer alone. Each CPU keeps
 * a small array of free objects, refilled and drained in batches, so the
 * common alloc/free touches no shared lock.
 *
 * kmalloc size classes: 8 16 32 64 96 128 192 256 512 1024 2048 4096 8192;
 * larger requests are whole page blocks from alloc_pages (PG_large_kmalloc).
 * Power-of-two sizes are naturally aligned; everything is 8-byte aligned.
 *
 * slub_debug=[FZPU][,cache] on the command line (Linux's letters): F sanity
 * checks, Z red zones (0xbb inactive / 0xcc active), P poisoning (0x6b free,
 * 0xa5 last byte, 0x5a fresh), U owner tracking. Misuse is reported with the
 * cache, the object, the first bad byte and the last alloc/free callers; a
 * report never crashes the kernel, and a damaged object is not reused.
 */
#ifndef HL_SLAB_H
#define HL_SLAB_H

#include "gfp.h"
#include "types.h"

struct kmem_cache;

#define SLAB_HWCACHE_ALIGN 0x00002000u /* align objects to the cache line (64) */
#define SLAB_CACHE_DMA 0x00004000u     /* slabs from ZONE_DMA */
#define SLAB_RED_ZONE 0x00000400u      /* debug: red zones (as slub_debug=Z) */
#define SLAB_POISON 0x00000800u        /* debug: poisoning (as slub_debug=P) */
#define SLAB_STORE_USER 0x00010000u    /* debug: owner tracking (as slub_debug=U) */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u /* debug: sanity checks (slub_debug=F) */

/* A new cache; NULL (with a message) on bad arguments or no memory. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned flags, void (*ctor)(void *));
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Return every empty slab to the buddy allocator; returns pages freed. */
int kmem_cache_shrink(struct kmem_cache *s);
/* Destroy; with live objects it reports each of them and refuses (the
 * cache stays usable). Returns 0, or -1 if refused. */
int kmem_cache_destroy(struct kmem_cache *s);
/* The object size rounded as the cache stores it. */
size_t kmem_cache_size(struct kmem_cache *s);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
/* n * size, NULL if the multiplication overflows. */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/* kfree(NULL) does nothing; anything kmalloc did not return is reported. */
void kfree(const void *p);
/* The usable size of a kmalloc'ed object (its size class, or the pages). */
size_t ksize(const void *p);
char *kstrdup(const char *s, gfp_t gfp);

#define KMALLOC_MAX_CACHE_SIZE 8192

/* Additions to the contract (Linux has the same names):
 * kmalloc(0) returns ZERO_SIZE_PTR, which kfree and ksize accept and which
 * faults if dereferenced (as Linux does). */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
/* The kmalloc cache that serves size bytes with these flags (NULL above
 * KMALLOC_MAX_CACHE_SIZE or for 0). */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);
const char *kmem_cache_name(const struct kmem_cache *s);

/* One cache's figures, as a /proc/slabinfo row shows them, plus the
 * objects cached on the CPUs and those quarantined by debug reports. */
struct kmem_cache_info {
	const char *name;
	unsigned long active_objs, num_objs, num_slabs;
	unsigned objsize, objperslab, pagesperslab;
	unsigned long cpu_cached, quarantined;
};
void kmem_cache_get_info(struct kmem_cache *s, struct kmem_cache_info *info);
/* Call fn for every cache, newest first (not from interrupt handlers). fn
 * must not create or destroy caches (the list's lock is held); shrinking,
 * allocating and freeing are fine. */
void kmem_cache_for_each(void (*fn)(struct kmem_cache *s, void *arg), void *arg);

/* /proc/slabinfo, format 2.1. */
void show_slabinfo(void);
/* The same into a seq_file (/proc/slabinfo). */
struct seq_file;
void slabinfo_show(struct seq_file *m);
/* Pages held by slab caches (meminfo's "Slab:"). */
unsigned long slab_pages(void);
/* Called once the page allocator works: the kmalloc caches, slub_debug=. */
void kmem_cache_init(void);

/* The invariant checker (mm/slab_check.c): the cache's slabs are on the
 * lists of their states with well-formed freelists, and its counters add
 * up. Problems are reported; returns how many. */
int kmem_cache_check(struct kmem_cache *s);
/* The same for every cache. */
int slab_check_all(void);
/* Reports (each a "BUG <cache>: ..." block) since boot; tests compare it. */
extern unsigned long slab_reports;

#endif
