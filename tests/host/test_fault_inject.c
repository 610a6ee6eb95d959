/* test_fault_inject.c - hosted tests of fault injection: Linux's four
 * parameters with their exact semantics, the caller filter, the reports,
 * fail_nth, and what the page and slab allocators do with an injected
 * failure (NULL, nothing changed, nothing leaked). */
#include "fault_inject.h"
#include "test_slab.h"

static void fi_reset(void)
{
	struct fault_attr *all[] = { &fail_page_alloc, &failslab };

	for (int i = 0; i < 2; i++) {
		fault_attr_arm(all[i], false);
		all[i]->interval = all[i]->probability = 0;
		all[i]->space = 0;
		all[i]->times = -1;
		all[i]->verbose = 1;
		all[i]->count = all[i]->injected = 0;
		all[i]->rnd = 0;
		fault_attr_set_caller(all[i], "", 0, 0);
	}
	fault_fail_nth_set(0);
}

/* Arm fail_page_alloc with "<interval>,<probability>,<space>,<times>". */
static void fi_arm(struct fault_attr *a, const char *spec)
{
	fi_reset();
	CHECK(setup_fault_attr(a, spec));
	fault_attr_arm(a, true);
}

static const void *const here = (const void *)0x1000;

HTEST(fault_parse_linux_syntax)
{
	fi_reset();
	CHECK(setup_fault_attr(&fail_page_alloc, "10,25,4096,-1"));
	CHECK_EQ(fail_page_alloc.interval, 10);
	CHECK_EQ(fail_page_alloc.probability, 25);
	CHECK_EQ(fail_page_alloc.space, 4096);
	CHECK_EQ(fail_page_alloc.times, -1);
	CHECK(!fail_page_alloc.armed); /* parsing does not arm */

	static const char *const bad[] = { "", "1,2,3", "1,2,3,4,5", "a,1,0,1", "1,,0,1",
					   "1,101,0,1", "1,5,-3,1", "1,5,0,-2", "1,5,0,1x" };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		htest_log_clear();
		CHECK(!setup_fault_attr(&fail_page_alloc, bad[i]));
		CHECK(htest_log_contains("FAULT_INJECTION"));
		CHECK(htest_log_contains("fail_page_alloc="));
	}
	CHECK_EQ(fail_page_alloc.interval, 10); /* a bad string changes nothing */
	fi_reset();
}

HTEST(fault_interval_and_times)
{
	fi_arm(&fail_page_alloc, "3,100,0,2"); /* every 3rd call, twice */
	char got[10];
	for (int i = 0; i < 9; i++)
		got[i] = should_fail(&fail_page_alloc, 4096, here, true) ? 'F' : '.';
	got[9] = '\0';
	CHECK_STREQ(got, "..F..F...");
	CHECK_EQ(fail_page_alloc.injected, 2);
	CHECK_EQ(fail_page_alloc.times, 0);
	CHECK_EQ(fault_injected_total(), 2);
	fi_reset();
}

/* Space: a call passes while space is larger than its size, spending it. */
HTEST(fault_space_is_spent_first)
{
	fi_arm(&failslab, "1,100,10000,-1");
	CHECK(!should_fail(&failslab, 4096, here, true)); /* 10000 -> 5904 */
	CHECK(!should_fail(&failslab, 4096, here, true)); /* 5904 -> 1808 */
	CHECK(should_fail(&failslab, 4096, here, true));  /* 1808 is not > 4096 */
	CHECK_EQ(failslab.space, 1808);
	fi_reset();
}

HTEST(fault_probability)
{
	fi_arm(&fail_page_alloc, "1,0,0,-1");
	for (int i = 0; i < 1000; i++)
		CHECK(!should_fail(&fail_page_alloc, 4096, here, true));
	fi_arm(&fail_page_alloc, "1,100,0,-1");
	for (int i = 0; i < 1000; i++)
		CHECK(should_fail(&fail_page_alloc, 4096, here, true));
	fi_arm(&fail_page_alloc, "1,30,0,-1");
	int n = 0;
	for (int i = 0; i < 10000; i++)
		n += should_fail(&fail_page_alloc, 4096, here, true);
	CHECK(n > 2700 && n < 3300);
	fi_reset();
}

HTEST(fault_caller_filter)
{
	fi_arm(&fail_page_alloc, "1,100,0,-1");
	fault_attr_set_caller(&fail_page_alloc, "f", 0x2000, 0x2100);
	CHECK(!should_fail(&fail_page_alloc, 4096, (void *)0x1fff, true));
	CHECK(should_fail(&fail_page_alloc, 4096, (void *)0x2000, true));
	CHECK(should_fail(&fail_page_alloc, 4096, (void *)0x20ff, true));
	CHECK(!should_fail(&fail_page_alloc, 4096, (void *)0x2100, true));
	fi_reset();
}

/* One report per failure for the first 10, then a note, then silence;
 * __GFP_NOWARN-style calls are never reported. */
HTEST(fault_reports)
{
	fi_arm(&failslab, "1,100,0,-1");
	htest_log_clear();
	CHECK(should_fail(&failslab, 64, here, true));
	CHECK(!htest_log_contains("FAULT_INJECTION"));
	for (int i = 0; i < 20; i++)
		CHECK(should_fail(&failslab, 64, here, false));
	const char *log = htest_log();
	int reports = 0;
	for (const char *p = log; (p = strstr(p, "forcing a failure")); p++)
		reports++;
	CHECK_EQ(reports, 9); /* #2 .. #10: #1 was silent */
	CHECK(htest_log_contains("name failslab, interval 1, probability 100, space 0, times -1"));
	CHECK(htest_log_contains("further failslab failures are counted, not shown"));
	failslab.verbose = 0;
	htest_log_clear();
	CHECK(should_fail(&failslab, 64, here, false));
	CHECK_STREQ(htest_log(), "");
	fi_reset();
}

/* An injected page failure returns NULL before anything is touched, with
 * no "page allocation failure" report (as in Linux). */
HTEST(fault_alloc_pages_injected)
{
	struct sim_snapshot before, after;

	sim_boot(&sim_2g);
	fi_arm(&fail_page_alloc, "1,100,0,-1");
	sim_snapshot(&before);
	htest_log_clear();
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK(alloc_pages(GFP_HIGHUSER, 3) == NULL);
	CHECK(__get_free_pages(GFP_ATOMIC, 1) == 0);
	sim_snapshot(&after);
	CHECK(sim_snapshot_equal(&before, &after));
	CHECK(htest_log_contains("FAULT_INJECTION: forcing a failure (fail_page_alloc #1"));
	CHECK(!htest_log_contains("page allocation failure"));
	CHECK_EQ(fail_page_alloc.injected, 3);
	htest_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK_STREQ(htest_log(), "");
	fault_attr_arm(&fail_page_alloc, false);
	struct page *p = alloc_pages(GFP_KERNEL, 0); /* disarmed: served again */
	CHECK(p != NULL);
	__free_pages(p, 0);
	fi_reset();
}

/* failslab: kmalloc and kmem_cache_alloc return NULL; fail_page_alloc
 * under a slab refill does too, and the cache is left consistent. */
HTEST(fault_slab_paths)
{
	slab_boot(&sim_2g, NULL);
	unsigned long free0 = free_pages_now();

	fi_arm(&failslab, "1,100,0,-1");
	CHECK(kmalloc(64, GFP_KERNEL) == NULL);
	CHECK(kzalloc(300, GFP_KERNEL) == NULL);
	struct kmem_cache *c = kmem_cache_create("fi-test", 100, 0, 0, NULL);
	CHECK(c == NULL); /* the cache's own struct comes from a cache: reported, NULL */
	fi_reset();

	c = kmem_cache_create("fi-test", 100, 0, 0, NULL);
	CHECK(c != NULL);
	fi_arm(&fail_page_alloc, "1,100,0,-1");
	void *o = kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN); /* empty cache: needs a slab */
	CHECK(o == NULL);
	CHECK(kmalloc(20000, GFP_KERNEL | __GFP_NOWARN) == NULL); /* large: pages */
	fi_reset();
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(o != NULL);
	kmem_cache_free(c, o);
	CHECK_EQ(kmem_cache_destroy(c), 0);
	shrink_all();
	CHECK_EQ(free_pages_now(), free0);
	CHECK_EQ(slab_reports, 0);
}

/* failslab reaches kmem_cache_alloc even when this CPU's array could serve
 * it (the fast path's gate, kmem_cache_fast_gate, closes while injection
 * is armed), and the hit comes back once it is disarmed. */
HTEST(fault_slab_kmem_cache_alloc_array_hit)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *c = kmem_cache_create("fi-hit", 64, 0, 0, NULL);
	CHECK(c != NULL);
	void *o = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o); /* on top of this CPU's array */
	CHECK(cpu_array_count(c, 0) > 0);
	fi_arm(&failslab, "1,100,0,-1");
	CHECK(kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN) == NULL);
	fi_reset();
	CHECK(kmem_cache_alloc(c, GFP_KERNEL) == o); /* the hit, again */
	kmem_cache_free(c, o);
	CHECK_EQ(kmem_cache_destroy(c), 0);
	CHECK_EQ(slab_reports, 0);
}

/* fail_nth: exactly the n-th allocation fails, whatever capability it
 * goes through, and the fast paths stop looking afterwards. */
HTEST(fault_fail_nth)
{
	slab_boot(&sim_512m, NULL);
	fi_reset();
	kfree(kmalloc(32, GFP_KERNEL)); /* kmalloc-32 has objects: no refill below */
	CHECK_EQ(fault_inject_on, 0);
	CHECK(fault_fail_nth_set(3));
	CHECK_EQ(fault_inject_on, 1);
	CHECK_EQ(fault_fail_nth_get(), 3);
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	void *b = kmalloc(32, GFP_KERNEL);
	void *c = kmalloc(32, GFP_KERNEL | __GFP_NOWARN); /* the 3rd */
	struct page *d = alloc_pages(GFP_KERNEL, 0);
	CHECK(a && b && !c && d);
	CHECK_EQ(fault_fail_nth_get(), 0);
	CHECK_EQ(fault_inject_on, 0);
	CHECK_EQ(failslab.injected, 1);
	__free_pages(a, 0);
	__free_pages(d, 0);
	kfree(b);
	CHECK(fault_fail_nth_set(5));
	CHECK(fault_fail_nth_set(0)); /* cancelled */
	CHECK_EQ(fault_inject_on, 0);
	fi_reset();
}

/* The command line arms what it names, with its options. */
HTEST(fault_cmdline)
{
	fi_reset();
	cmdline_set("fail_page_alloc=5,50,0,7 failslab.verbose=2 failslab=1,1,0,-1 "
		    "fail_page_alloc.caller=no_such_function");
	htest_log_clear();
	fault_inject_arm();
	/* a filter naming no function keeps its capability off, not unfiltered */
	CHECK(!fail_page_alloc.armed && failslab.armed);
	CHECK_EQ(fail_page_alloc.interval, 5);
	CHECK_EQ(fail_page_alloc.times, 7);
	CHECK_EQ(failslab.verbose, 2);
	CHECK_EQ(fail_page_alloc.caller_hi, 0);
	CHECK(htest_log_contains("fail_page_alloc.caller=no_such_function: no function of that "
				 "name (inlined?): fail_page_alloc stays off"));
	CHECK(htest_log_contains("FAULT_INJECTION: fail_page_alloc off: interval 5, "
				 "probability 50, space 0, times 7"));
	CHECK(htest_log_contains("FAULT_INJECTION: failslab armed: interval 1, "
				 "probability 1, space 0, times -1"));
	fi_reset();
	cmdline_set("failslab=1,5");
	htest_log_clear();
	fault_inject_arm();
	CHECK(!failslab.armed);
	CHECK(htest_log_contains("failed to parse arguments: failslab=1,5"));
	cmdline_set("");
	fi_reset();
}
