/* slab_test.h - what the in-kernel slab suites (slab_test.c,
 * slab_debug_test.c) share: the no-leak snapshot and reading the log. */
#ifndef SLAB_TEST_H
#define SLAB_TEST_H

#include "kstring.h"
#include "ktest.h"
#include "mmzone.h"
#include "printk.h"
#include "slab.h"

#define SNAP_MAX_CACHES 64

/* Every cache's counts and the free pages, with nothing cached anywhere:
 * each cache shrunk (per-CPU arrays and empty slabs gone), each CPU's page
 * lists drained. A suite takes one at its start and one at its end. */
struct slab_snapshot {
	unsigned long free_pages, slab_pages;
	unsigned n;
	struct {
		struct kmem_cache *s;
		unsigned long active, num;
	} c[SNAP_MAX_CACHES];
};

static inline void snap_cache(struct kmem_cache *s, void *arg)
{
	struct slab_snapshot *snap = arg;
	struct kmem_cache_info info;

	kmem_cache_shrink(s);
	kmem_cache_get_info(s, &info);
	if (snap->n < SNAP_MAX_CACHES) {
		snap->c[snap->n].s = s;
		snap->c[snap->n].active = info.active_objs;
		snap->c[snap->n].num = info.num_objs;
	}
	snap->n++;
}

static inline void slab_snapshot(struct slab_snapshot *snap)
{
	snap->n = 0;
	kmem_cache_for_each(snap_cache, snap);
	drain_all_pages();
	snap->free_pages = nr_free_pages();
	snap->slab_pages = slab_pages();
}

static inline void expect_same_snapshot(struct ktest *t, const struct slab_snapshot *a,
					const struct slab_snapshot *b)
{
	KTEST_EXPECT_EQ(t, b->n, a->n);
	for (unsigned i = 0; i < a->n && i < b->n && i < SNAP_MAX_CACHES; i++) {
		KTEST_EXPECT_TRUE(t, a->c[i].s == b->c[i].s);
		KTEST_EXPECT_EQ(t, b->c[i].active, a->c[i].active);
		KTEST_EXPECT_EQ(t, b->c[i].num, a->c[i].num);
	}
	KTEST_EXPECT_EQ(t, b->slab_pages, a->slab_pages);
	KTEST_EXPECT_EQ(t, b->free_pages, a->free_pages);
}

/* Is needle in the last 24 KB of the kernel log? */
static inline bool log_has(const char *needle)
{
	static char buf[24 * 1024];
	size_t n = log_read_tail(buf, sizeof(buf)), len = strlen(needle);

	for (size_t i = 0; i + len <= n; i++)
		if (buf[i] == needle[0] && strncmp(buf + i, needle, len) == 0)
			return true;
	return false;
}

#endif
