/* highmem_test_util.c - see highmem_test_util.h. */
#include "gfp.h"
#include "highmem_test_util.h"
#include "mm.h"
#include "vmalloc.h"

#define HIGH_TRIES 2048

struct page *ktest_block_above_4g(void)
{
	struct page **held = vmalloc(HIGH_TRIES * sizeof(*held)), *p = NULL;
	unsigned n = 0;

	if (!held)
		return NULL;
	while (n < HIGH_TRIES) {
		p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, KTEST_HIGH_ORDER);
		if (!p || max_pfn <= 0x100000 || page_to_pfn(p) >= 0x100000)
			break;
		held[n++] = p;
		p = NULL;
	}
	while (n)
		__free_pages(held[--n], KTEST_HIGH_ORDER);
	vfree(held);
	return p;
}
