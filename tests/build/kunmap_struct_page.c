/* Must NOT compile: kunmap_atomic/kunmap_local take the address that
 * kmap_atomic/kmap_local_page returned, and include/highmem.h refuses a
 * struct page at compile time (_Generic). run-refusals.sh compiles this
 * file once as it is (REFUSE defined: must fail, naming the mistake) and
 * once without REFUSE (the correct calls: must compile), so a failure
 * means the refusal, not a broken include path.
 * expect: kunmap_atomic/kunmap_local take the address kmap_atomic or kmap_local_page returned, not the struct page
 */
#include "highmem.h"

void refusal_check(struct page *page, const struct page *cpage);
void refusal_check(struct page *page, const struct page *cpage)
{
	void *va = kmap_atomic(page);
	void *lo = kmap_local_page(page);
#ifdef REFUSE
	(void)va;
	(void)lo;
	kunmap_local(page);
	kunmap_atomic(cpage);
	kunmap_atomic(page);
#else
	(void)cpage;
	kunmap_local(lo);
	kunmap_atomic(va);
#endif
}
