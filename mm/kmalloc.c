/* kmalloc.c - kmalloc and its family: 13 size classes over slab caches
 * (and a DMA twin of each for GFP_DMA), and whole page blocks for larger
 * requests.
 *
 * The classes are 8 16 32 64 96 128 192 256 512 1024 2048 4096 8192: the
 * powers of two, plus 96 and 192 for the sizes in between that are common
 * enough to make 128 and 256 wasteful. A power-of-two class is aligned to
 * its size (its cache's align), so kmalloc(2^n) is naturally aligned.
 *
 * A request above 8192 bytes is one block from alloc_pages whose first
 * struct page carries PG_large_kmalloc, so that kfree recognises it; its
 * order is the page allocator's own (page->private). Slab memory and
 * large blocks are lowmem: __GFP_HIGHMEM is ignored.
 *
 * kfree() validates the pointer before touching anything it points to
 * (slab_internal.h, free_fast); what fails is reported here or in
 * slab_report.c and nothing is freed.
 */
#include "printk.h"
#include "slab_internal.h"

#define KMALLOC_NR_CLASSES 13

static const unsigned kmalloc_sizes[KMALLOC_NR_CLASSES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static struct kmem_cache kmalloc_caches[KMALLOC_NR_CLASSES];     /* kmalloc-N */
static struct kmem_cache kmalloc_dma_caches[KMALLOC_NR_CLASSES]; /* dma-kmalloc-N */

/* The class of every size 1..8192, by (size - 1) / 8: one load finds it
 * (filled by kmalloc_init from kmalloc_sizes); size_cache the same as the
 * cache itself, for kmalloc's fast path (one load, no multiplication). */
static u8 size_index[KMALLOC_MAX_CACHE_SIZE / 8];
static struct kmem_cache *size_cache[KMALLOC_MAX_CACHE_SIZE / 8];

size_t kmalloc_fast_max = KMALLOC_MAX_CACHE_SIZE; /* fault_inject.h */

static inline unsigned kmalloc_index(size_t size) { return size_index[(size - 1) / 8]; }

static inline struct kmem_cache *kmalloc_cache(size_t size, gfp_t gfp)
{
	unsigned i = kmalloc_index(size);

	return unlikely(gfp & __GFP_DMA) ? &kmalloc_dma_caches[i] : &kmalloc_caches[i];
}

void kmalloc_init(void)
{
	char name[SLAB_NAME_LEN];
	unsigned c = 0;

	for (unsigned k = 0; k < ARRAY_SIZE(size_index); k++) {
		if (8 * k + 1 > kmalloc_sizes[c]) /* sizes 8k+1 .. 8k+8 */
			c++;
		size_index[k] = (u8)c;
		size_cache[k] = &kmalloc_caches[c];
	}

	for (int dma = 0; dma < 2; dma++) {
		for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
			unsigned size = kmalloc_sizes[i];
			bool pow2 = !(size & (size - 1));
			snprintf(name, sizeof(name), "%skmalloc-%u", dma ? "dma-" : "", size);
			kmem_cache_setup(dma ? &kmalloc_dma_caches[i] : &kmalloc_caches[i], name, size,
					 pow2 ? size : SLAB_MIN_ALIGN,
					 SLAB_PERMANENT | (dma ? SLAB_CACHE_DMA : 0), NULL);
		}
	}
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_cache(size, gfp);
}

/* ---- large allocations ---- */

static __attribute__((noinline)) void *kmalloc_large(size_t size, gfp_t gfp, const void *caller)
{
	unsigned order = 0;

	if (!size)
		return ZERO_SIZE_PTR;
	while (order < MAX_ORDER && (PAGE_SIZE << order) < size)
		order++;
	if (order == MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than the largest block (%lu bytes) "
				"(caller %pS)\n", size, PAGE_SIZE << (MAX_ORDER - 1), caller);
		return NULL;
	}
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);
	if (!page)
		return NULL;
	SetPageLargeKmalloc(page);
	page_ext_set_caller(page, caller);
	__atomic_fetch_add(&slab_nr_pages, 1UL << order, __ATOMIC_RELAXED);
	return page_address(page);
}

static void free_large(struct page *page)
{
	unsigned order = page->private;

	ClearPageLargeKmalloc(page);
	__atomic_fetch_sub(&slab_nr_pages, 1UL << order, __ATOMIC_RELAXED);
	__free_pages(page, order);
}

/* The large kmalloc whose block holds this page, if any. Blocks are
 * naturally aligned, so its head is the frame rounded down to its order. */
static struct page *large_kmalloc_of(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	for (unsigned o = 0; o < MAX_ORDER; o++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));
		if (PageLargeKmalloc(head) && head->private == o)
			return head;
	}
	return NULL;
}

/* ---- pointers nothing here owns ---- */

static const char *why_not_owned(struct kmem_cache *expect, struct page *page, const void *p,
				 char *buf, size_t size)
{
	struct page *head = large_kmalloc_of(page);

	if (head && expect)
		return "a large kmalloc (free it with kfree)";
	if (head) {
		snprintf(buf, size, "%ld bytes into the large kmalloc at %p",
			 (long)((const char *)p - (char *)page_address(head)), page_address(head));
		return buf;
	}
	if (PageReserved(page))
		return "a reserved page (kernel image, stack, firmware): never allocated";
	if (PageBuddy(page) || PagePcp(page) || page_count(page) == 0)
		return "a free page (a large kmalloc freed twice?)";
	if (PageHead(page) || PageTail(page))
		return "a page from alloc_pages, not from kmalloc (free it with __free_pages)";
	return "a page no allocator handed out";
}

static void report_not_owned(struct kmem_cache *expect, struct page *page, const void *p,
			     const void *caller)
{
	const char *name = expect ? expect->name : "kmalloc";
	char buf[96];

	slab_bug(name, "Invalid pointer %p: %s", p, why_not_owned(expect, page, p, buf, sizeof(buf)));
	pr_err("INFO: Called from %pS\n", caller);
	dump_page(page, NULL);
	slab_fix(name, "Nothing freed");
}

static void report_not_lowmem(struct kmem_cache *expect, const void *p, const void *caller)
{
	const char *name = expect ? expect->name : "kmalloc";

	slab_bug(name, "Invalid pointer %p: not a lowmem (direct-map) address, so no slab "
		 "or large kmalloc owns it", p);
	pr_err("INFO: Called from %pS\n", caller);
	slab_fix(name, "Nothing freed");
}

void free_object_slow(struct kmem_cache *expect, const void *p, const void *caller)
{
	uintptr_t pa = (uintptr_t)p - slab_lowmem_base;

	if (ZERO_OR_NULL_PTR(p))
		return;
	if (pa >= slab_lowmem_size) {
		report_not_lowmem(expect, p, caller);
		return;
	}
	struct page *page = mem_map + (pa >> PAGE_SHIFT);
	struct kmem_cache *s = page->slab_cache;
	if (!PageSlab(page)) {
		if (!expect && PageLargeKmalloc(page) && p == page_address(page))
			free_large(page);
		else
			report_not_owned(expect, page, p, caller);
	} else if (expect && expect != s) {
		report_wrong_cache(expect, s, p, caller);
	} else {
		slab_free_slow(s, (void *)p, caller);
	}
}

/* ---- the API ---- */

/* Any request, on behalf of caller. */
static inline __attribute__((always_inline)) void *do_kmalloc(size_t size, gfp_t gfp,
							     const void *caller)
{
	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE)) /* 0 wraps around */
		return slab_alloc(kmalloc_cache(size, gfp), gfp, caller);
	return kmalloc_large(size, gfp, caller);
}

/* The slow path of kmalloc: the whole request again, on behalf of caller.
 * Out of line and static: the compiler passes its arguments in registers,
 * so kmalloc's miss needs no outgoing argument area. */
static __attribute__((noinline)) void *kmalloc_caller(size_t size, gfp_t gfp, const void *caller)
{
	return do_kmalloc(size, gfp, caller);
}

/* The commonest request, a plain one of a slab size that this CPU's array
 * can serve, in the fewest instructions: no zeroing nor DMA to look at
 * again, no caller to note. Everything else goes round, starting again
 * from the top (everything, while fault injection is on: kmalloc_fast_max
 * is 0 and slab_alloc asks should_failslab). The hit saves no register:
 * the empty asm statements say size and gfp may change in their argument
 * slots, so the miss reads them back from there (as kmem_cache_alloc). */
void *kmalloc(size_t size, gfp_t gfp)
{
	__asm__("" : "+m"(size), "+m"(gfp));
	if (likely(size - 1 < kmalloc_fast_max && !(gfp & (__GFP_DMA | __GFP_ZERO)))) {
		void *obj = cpu_array_pop(size_cache[(size - 1) / 8]);
		if (likely(obj))
			return obj;
	}
	__asm__("" : "+m"(size), "+m"(gfp));
	return kmalloc_caller(size, gfp, __builtin_return_address(0));
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp | __GFP_ZERO, __builtin_return_address(0));
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return do_kmalloc(n * size, gfp | __GFP_ZERO, __builtin_return_address(0));
}

char *kstrdup(const char *str, gfp_t gfp)
{
	if (!str)
		return NULL;
	size_t len = strlen(str) + 1;
	char *p = do_kmalloc(len, gfp, __builtin_return_address(0));
	if (p)
		memcpy(p, str, len);
	return p;
}

/* Out of line, so that kfree itself stays small (it jumps here). */
static __attribute__((noinline)) void kfree_slow(const void *p, const void *caller)
{
	free_object_slow(NULL, p, caller);
}

void kfree(const void *p)
{
	if (unlikely(!free_fast(false, NULL, p)))
		kfree_slow(p, __builtin_return_address(0));
}

/* What ksize says of p; 0 (reported) for anything kmalloc did not return. */
static size_t usable_size(const void *p, const void *caller)
{
	uintptr_t pa = (uintptr_t)p - slab_lowmem_base;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	if (pa >= slab_lowmem_size) {
		report_not_lowmem(NULL, p, caller);
		return 0;
	}
	struct page *page = mem_map + (pa >> PAGE_SHIFT);
	if (PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;
		if (slab_offset_to_index(s, pa & s->slab_mask) >= 0)
			return s->object_size;
		report_invalid_object(s, p, caller);
		return 0;
	}
	if (PageLargeKmalloc(page) && p == page_address(page))
		return PAGE_SIZE << page->private;
	report_not_owned(NULL, page, p, caller);
	return 0;
}

size_t ksize(const void *p) { return usable_size(p, __builtin_return_address(0)); }

/* As Linux: the same object while it is big enough, else a new one with
 * the old contents; krealloc(p, 0) frees p and returns ZERO_SIZE_PTR. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	const void *caller = __builtin_return_address(0);

	if (ZERO_OR_NULL_PTR(p))
		return do_kmalloc(new_size, gfp, caller);
	if (!new_size) {
		free_object_slow(NULL, p, caller);
		return ZERO_SIZE_PTR;
	}
	size_t old = usable_size(p, caller);
	if (!old)
		return NULL;
	if (new_size <= old)
		return (void *)p;
	void *n = do_kmalloc(new_size, gfp, caller);
	if (n) {
		memcpy(n, p, old);
		free_object_slow(NULL, p, caller);
	}
	return n;
}
