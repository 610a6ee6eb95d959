/* test_slab.h - what the hosted slab tests (tests/host/test_slab_*.c) share:
 * a fresh simulated machine with the slab allocator up, and white-box
 * access to the caches (mm/slab_internal.h). */
#ifndef TEST_SLAB_H
#define TEST_SLAB_H

#include "cmdline.h"
#include "htest.h"
#include "printk.h" /* snprintf: the kernel's formatter, as the reports use */
#include "sim_mm.h"
#include "slab.h"
#include "../../mm/slab_internal.h"

/* Boot layout l with this kernel command line (NULL: none), then the slab
 * allocator; the log starts with what kmem_cache_init printed. */
static inline void slab_boot(const struct sim_layout *l, const char *cmdline)
{
	cmdline_set(cmdline ? cmdline : "");
	sim_boot(l);
	htest_log_clear();
	kmem_cache_init();
}

/* Free pages with every CPU's page lists drained: comparable before/after. */
static inline unsigned long free_pages_now(void)
{
	drain_all_pages();
	return nr_free_pages();
}

static inline void shrink_one(struct kmem_cache *s, void *arg)
{
	(void)arg;
	kmem_cache_shrink(s);
}

/* Every cache shrunk: what a no-leak check compares. */
static inline void shrink_all(void) { kmem_cache_for_each(shrink_one, NULL); }

#endif
