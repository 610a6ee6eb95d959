/* test_invariants.c - the slab and vmalloc invariant checkers (what the
 * stress test runs with every CPU stopped): silent on a sound state, and
 * each kind of damage they look for is found and reported. */
#include "../../mm/vmalloc_internal.h"
#include "sim_vmalloc.h"
#include "test_slab.h"
#include "vmalloc.h"

HTEST(invariants_slab_sound_after_churn)
{
	slab_boot(&sim_2g, NULL);
	void *p[300];
	for (int i = 0; i < 300; i++)
		p[i] = kmalloc(8 + (size_t)i * 13, GFP_KERNEL);
	for (int i = 0; i < 300; i += 3)
		kfree(p[i]);
	CHECK_EQ(slab_check_all(), 0);
	for (int i = 0; i < 300; i++)
		if (i % 3)
			kfree(p[i]);
	shrink_all();
	CHECK_EQ(slab_check_all(), 0);
	CHECK(!htest_log_contains("slab_check"));
}

HTEST(invariants_slab_damage_found)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *c = kmem_cache_create("inv", 64, 0, 0, NULL);
	void *o[10];
	for (int i = 0; i < 10; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	flush_cpu_arrays(c); /* the objects the array kept go back to the slab */
	CHECK_EQ(kmem_cache_check(c), 0);

	/* a counter that disagrees with the lists */
	htest_log_clear();
	c->nr_partial++;
	CHECK(kmem_cache_check(c) > 0);
	CHECK(htest_log_contains("slab_check: cache inv"));
	CHECK(htest_log_contains("counters say"));
	c->nr_partial--;

	/* a freelist link out of range */
	struct page *slab = list_first_entry(&c->partial, struct page, lru);
	u32 *w = free_word(c, slab_object(c, slab, slab_freelist(slab)));
	u32 saved = *w;
	*w = c->objects + 5;
	htest_log_clear();
	CHECK(kmem_cache_check(c) > 0);
	CHECK(htest_log_contains("freelist malformed"));
	*w = saved;

	/* objects in use that the cache does not count */
	htest_log_clear();
	c->inuse += 2;
	CHECK(kmem_cache_check(c) > 0);
	CHECK(htest_log_contains("the cache counts"));
	c->inuse -= 2;

	CHECK_EQ(kmem_cache_check(c), 0);
	for (int i = 0; i < 10; i++)
		kmem_cache_free(c, o[i]);
	CHECK_EQ(kmem_cache_destroy(c), 0);
}

HTEST(invariants_vmalloc)
{
	sim_boot(&sim_2g);
	sim_vmalloc_reset();
	cmdline_set("");
	kmem_cache_init();
	vmalloc_init();
	void *a = vmalloc(3 * PAGE_SIZE), *b = vmalloc(PAGE_SIZE), *c = vmalloc(5 * PAGE_SIZE);
	CHECK(a && b && c);
	vfree(b);
	CHECK_EQ(vmalloc_check(), 0);
	vm_unmap_aliases();
	CHECK_EQ(vmalloc_check(), 0);

	/* a live area that overlaps free space */
	struct va_node *n = va_tree_find(vmap_busy, (unsigned long)c);
	CHECK(n != NULL);
	unsigned long end = n->end;
	n->end += 64 * PAGE_SIZE; /* into the free range after it */
	va_tree_update(&vmap_busy, n);
	htest_log_clear();
	CHECK(vmalloc_check() > 0);
	CHECK(htest_log_contains("overlap free ranges"));
	n->end = end;
	va_tree_update(&vmap_busy, n);

	/* free space that the counters do not add up to */
	htest_log_clear();
	vmap_space.free_bytes += PAGE_SIZE;
	CHECK(vmalloc_check() > 0);
	CHECK(htest_log_contains("free-range tree"));
	vmap_space.free_bytes -= PAGE_SIZE;

	CHECK_EQ(vmalloc_check(), 0);
	vfree(a);
	vfree(c);
	CHECK_EQ(sim_tlb_errors, 0);
}
