/* pkmap_test.c - kmap()/kunmap(): the persistent kernel map, with threads. */
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mmzone.h"
#include "pkmap.h"
#include "preempt.h"
#include "printk.h"
#include "sched.h"
#include "vmalloc.h"

#define NPAGES (LAST_PKMAP + 128)

static struct page *pages[NPAGES];
static int npages;

/* Highmem pages for the tests; false (pages released) if there are too few.
 * An injected failure is not the end of HighMem: retried, boundedly. */
static bool highmem_injected; /* get_highmem gave up on injected failures */
static bool get_highmem(struct ktest *t, int n)
{
	highmem_injected = false;
	for (npages = 0; npages < n; npages++) {
		struct page *p;
		KTEST_ALLOC_RETRY(t, p, alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0));
		if (!p || !PageHighMem(p)) {
			if (p)
				__free_pages(p, 0);
			highmem_injected = t->alloc_gave_up;
			break;
		}
		pages[npages] = p;
	}
	if (npages == n)
		return true;
	while (npages)
		__free_pages(pages[--npages], 0);
	return false;
}

/* Skip the case if there are fewer than n HighMem pages (a skip because of
 * injection if that is why they could not be had). */
#define GET_HIGHMEM(t, n, why)                                                 \
	do {                                                                   \
		if (!get_highmem(t, n)) {                                      \
			if (highmem_injected)                                  \
				KTEST_ALLOC_FAILED(t, "HighMem page");         \
			KTEST_SKIP(t, why);                                    \
		}                                                              \
	} while (0)

static void put_highmem(void)
{
	kmap_flush_unused(); /* no cached mapping outlives its page */
	while (npages)
		__free_pages(pages[--npages], 0);
}

static int slots_in_use(void)
{
	int n = 0;

	for (int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] > 1;
	return n;
}

/* A case that needs pkmap slots cannot run while someone else holds them:
 * it would sleep for ever in kmap (the holder, e.g. the monitor's `kmap`,
 * is this very task, waiting for the test to end). Cases that fill the
 * window or count wraps exactly need every slot; the others need one.
 * Say which slots are held, and skip. */
#define NEED_SLOTS(t, all)                                                     \
	do {                                                                   \
		if (slots_held_elsewhere(all))                                 \
			KTEST_SKIP(t, "pkmap slots held by someone else (listed "  \
				      "above): kunmap them first");            \
	} while (0)

static bool slots_held_elsewhere(bool all)
{
	int n = slots_in_use();

	if (!n || (!all && n < LAST_PKMAP))
		return false;
	console_printf("    # pkmap: %d slot(s) already in use; this case needs %s:\n", n,
		       all ? "all of them" : "one");
	for (int i = 0, shown = 0; i < LAST_PKMAP && shown < 3; i++) {
		if (pkmap_count[i] < 2)
			continue;
		struct page *p = kmap_to_page((void *)PKMAP_ADDR(i));
		console_printf("    #   slot %d (%#lx): pfn %#lx, %d user(s)%s\n", i, PKMAP_ADDR(i),
			       page_to_pfn(p), pkmap_count[i] - 1, ++shown == 3 && n > 3 ? " ..." : "");
	}
	console_printf("    #   (the monitor's `kmap` holds a slot until its `kunmap`)\n");
	return true;
}

static void test_lowmem_uses_no_slot(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_ALLOC(t, p);
	unsigned long maps = pkmap_stats.maps;
	void *va = kmap(p);
	KTEST_EXPECT_EQ(t, (unsigned long)va, (unsigned long)page_address(p));
	KTEST_EXPECT_EQ(t, pkmap_stats.maps, maps);
	kunmap(p);
	__free_page(p);
}

static void test_map_unmap_and_page_address(struct ktest *t)
{
	NEED_SLOTS(t, false);
	GET_HIGHMEM(t, 1, "no HighMem at this RAM size");
	struct page *p = pages[0];
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(p), 0);
	u32 *va = kmap(p);
	KTEST_EXPECT_GE(t, (unsigned long)va, PKMAP_BASE);
	KTEST_EXPECT_LT(t, (unsigned long)va, PKMAP_ADDR(LAST_PKMAP));
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(p), (unsigned long)va);
	KTEST_EXPECT_EQ(t, (unsigned long)kmap_to_page(va + 7), (unsigned long)p);
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 2);
	va[0] = 0x6b6d6170; /* "pamk" */
	kunmap(p);
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 1); /* cached until the next flush */
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(p), (unsigned long)va);
	unsigned long hits = pkmap_stats.cache_hits;
	KTEST_EXPECT_EQ(t, (unsigned long)kmap(p), (unsigned long)va); /* the cache */
	KTEST_EXPECT_EQ(t, pkmap_stats.cache_hits, hits + 1);
	KTEST_EXPECT_EQ(t, *va, 0x6b6d6170);
	kunmap(p);
	kmap_flush_unused();
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 0);
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(p), 0);
	put_highmem();
}

/* One flush per wrap of the scan, never more. Cycling through more distinct
 * pages than there are slots keeps every mapping new (with 512 or fewer,
 * they would all end up cached and the scan would stop). */
static void test_one_flush_per_wrap(struct ktest *t)
{
	NEED_SLOTS(t, true);
	GET_HIGHMEM(t, NPAGES, "fewer than 640 HighMem pages");
	kmap_flush_unused();
	unsigned long flushes = pkmap_stats.flushes, wraps = pkmap_stats.wraps;
	unsigned long maps = pkmap_stats.maps, hits = pkmap_stats.cache_hits;
	unsigned start = last_pkmap_nr;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < NPAGES; i++) {
			kmap(pages[i]);
			kunmap(pages[i]);
		}
	/* A page still cached is a hit and takes no slot; each new mapping takes
	 * the next slot (a flush frees every slot ahead), so the scan passes
	 * slot 0 - one wrap, one flush - every 512 new mappings. */
	unsigned long fresh = (pkmap_stats.maps - maps) - (pkmap_stats.cache_hits - hits);
	unsigned long expect = (start + fresh) / LAST_PKMAP;
	KTEST_EXPECT_GE(t, expect, 2);
	KTEST_EXPECT_EQ(t, pkmap_stats.wraps - wraps, expect);
	KTEST_EXPECT_EQ(t, pkmap_stats.flushes - flushes, expect);
	put_highmem();
}

/* Two users of one page share one address: count 3. */
static struct page *shared_page;
static void *shared_va;
static int map_shared(void *arg)
{
	(void)arg;
	shared_va = kmap(shared_page);
	return 0;
}

static void test_two_threads_one_address(struct ktest *t)
{
	NEED_SLOTS(t, false);
	GET_HIGHMEM(t, 1, "no HighMem at this RAM size");
	shared_page = pages[0];
	void *mine = kmap(shared_page);
	struct task *th = kthread_run(map_shared, NULL, "pkmap-share");
	if (!th) {
		kunmap(shared_page);
		put_highmem();
		KTEST_ALLOC_FAILED(t, "th");
	}
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT_EQ(t, (unsigned long)shared_va, (unsigned long)mine);
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(mine)], 3);
	kunmap(shared_page);
	kunmap(shared_page);
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(mine)], 1);
	put_highmem();
}

/* A holds all 512 slots; B's kmap sleeps; A frees one; B wakes and maps. */
static volatile int events[8], nevents;
static void event(int e) { events[__atomic_fetch_add(&nevents, 1, __ATOMIC_SEQ_CST)] = e; }

static int waiter(void *arg)
{
	event(1); /* B starts */
	void *va = kmap((struct page *)arg);
	event(3); /* B has a slot */
	*(volatile u32 *)va = 0x42;
	kunmap((struct page *)arg);
	return 0;
}

static void test_kmap_sleeps_until_kunmap(struct ktest *t)
{
	NEED_SLOTS(t, true);
	GET_HIGHMEM(t, LAST_PKMAP + 1, "fewer than 513 HighMem pages");
	for (int i = 0; i < LAST_PKMAP; i++)
		kmap(pages[i]);
	KTEST_EXPECT_EQ(t, slots_in_use(), LAST_PKMAP);
	nevents = 0;
	unsigned long sleeps = pkmap_stats.sleeps;
	struct task *b = kthread_run(waiter, pages[LAST_PKMAP], "pkmap-waiter");
	if (!b) {
		for (int i = 0; i < LAST_PKMAP; i++)
			kunmap(pages[i]);
		put_highmem();
		KTEST_ALLOC_FAILED(t, "b");
	}
	for (int i = 0; i < 200 && pkmap_stats.sleeps == sleeps; i++)
		msleep(5);
	KTEST_EXPECT_EQ(t, pkmap_stats.sleeps, sleeps + 1); /* B is asleep in kmap */
	msleep(20);
	KTEST_EXPECT_EQ(t, nevents, 1);                     /* and has not got a slot */
	event(2);                                           /* A frees one */
	kunmap(pages[7]);
	KTEST_EXPECT_EQ(t, kthread_join(b), 0);
	KTEST_EXPECT_EQ(t, nevents, 3);
	KTEST_EXPECT_EQ(t, events[0], 1);
	KTEST_EXPECT_EQ(t, events[1], 2);
	KTEST_EXPECT_EQ(t, events[2], 3);
	for (int i = 0; i < LAST_PKMAP; i++)
		if (i != 7)
			kunmap(pages[i]);
	KTEST_EXPECT_EQ(t, slots_in_use(), 0);
	put_highmem();
}

/* kmap, kmap_atomic, kmap_local and vmap of one page see the same bytes. */
static void test_all_mappings_agree(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);
	NEED_SLOTS(t, false);

	KTEST_ASSERT_ALLOC(t, p);
	u32 *k = kmap(p);
	k[10] = page_to_pfn(p);
	u32 *a = kmap_atomic(p);
	KTEST_EXPECT_EQ(t, a[10], page_to_pfn(p));
	a[11] = 0x11;
	kunmap_atomic(a);
	u32 *l = kmap_local_page(p);
	KTEST_EXPECT_EQ(t, l[11], 0x11);
	l[12] = 0x12;
	kunmap_local(l);
	u32 *v = vmap(&p, 1, VM_MAP, PAGE_KERNEL);
	if (!v) {
		kunmap(p);
		kmap_flush_unused();
		__free_pages(p, 0);
		KTEST_ALLOC_FAILED(t, "v");
	}
	KTEST_EXPECT_EQ(t, v[12], 0x12);
	v[13] = 0x13;
	vunmap(v);
	KTEST_EXPECT_EQ(t, k[13], 0x13);
	kunmap(p);
	kmap_flush_unused();
	__free_pages(p, 0);
}

static void test_misuse_reported(struct ktest *t)
{
	NEED_SLOTS(t, false);
	GET_HIGHMEM(t, 1, "no HighMem at this RAM size");
	unsigned long reports = pkmap_stats.reports;
	kunmap(pages[0]); /* never mapped */
	KTEST_EXPECT_EQ(t, pkmap_stats.reports, reports + 1);
	kmap(pages[0]);
	kunmap(pages[0]);
	kunmap(pages[0]); /* unbalanced: count would drop to 0 */
	KTEST_EXPECT_EQ(t, pkmap_stats.reports, reports + 2);
	KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(page_address(pages[0]))], 1);
	unsigned long sleeps = might_sleep_reports;
	preempt_disable();
	kmap(pages[0]); /* may sleep: reported in atomic context */
	preempt_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports, sleeps + 1);
	kunmap(pages[0]);
	put_highmem();
}

/* Every CPU at once: kmap random pages, write, check, kunmap. */
#define CONC_PAGES 64
static struct page *conc[CONC_PAGES];
static int conc_worker(void *arg)
{
	unsigned seed = (unsigned)(unsigned long)arg * 7919u + 1, bad = 0;

	for (int i = 0; i < 2000; i++) {
		seed = seed * 1103515245u + 12345u;
		struct page *p = conc[(seed >> 8) % CONC_PAGES];
		volatile u32 *va = kmap(p);
		u32 slot = (u32)(unsigned long)arg;
		va[slot] = page_to_pfn(p) ^ (u32)i;
		bad += va[slot] != (page_to_pfn(p) ^ (u32)i);
		bad += va[1000] != page_to_pfn(p);
		kunmap(p);
	}
	return (int)bad;
}

static void test_concurrent_kmap(struct ktest *t)
{
	struct task *th[NR_CPUS];
	int n = 0, retries = 0;
	NEED_SLOTS(t, true);

	for (int i = 0; i < CONC_PAGES; i++) {
		conc[i] = alloc_pages(GFP_HIGHUSER, 0);
		if (!conc[i]) {
			while (i--)
				__free_pages(conc[i], 0);
			KTEST_ALLOC_FAILED(t, "conc[i]");
		}
		u32 *va = kmap(conc[i]);
		va[1000] = page_to_pfn(conc[i]);
		kunmap(conc[i]);
	}
	/* A thread per online CPU; one whose stack allocation was failed by
	 * injection is tried again (boundedly). */
	ktest_injected(t);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!sched_cpu_online(c))
			continue;
		while (!(th[n] = kthread_create_on_cpu(conc_worker, (void *)(unsigned long)c, c,
						       "kmap-%u", c)) &&
		       ktest_injected(t) && retries++ < 1000)
			;
		if (th[n])
			wake_up_process(th[n++]);
	}
	if (n == 0 && retries > 1000) {
		kmap_flush_unused();
		for (int i = 0; i < CONC_PAGES; i++)
			__free_pages(conc[i], 0);
		KTEST_ALLOC_FAILED(t, "th[n]");
	}
	KTEST_EXPECT_GE(t, n, 1);
	for (int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
	KTEST_EXPECT_EQ(t, slots_in_use(), 0);
	kmap_flush_unused();
	for (int i = 0; i < CONC_PAGES; i++)
		__free_pages(conc[i], 0);
}

/* kmap and kunmap's lockless paths (a page already in use: one atomic
 * count change, no lock) while slots are reused under them: more pages
 * than slots, so the window wraps and flushes all the time, and the first
 * REUSE_HELD pages held by this thread throughout, so every worker's kmap
 * of one of them takes the lockless path. A stale lockless lookup handing
 * out another page's slot shows as a wrong stamp (va[1000] is the pfn);
 * a lost count update as a slot left in use, or one freed under a user. */
#define REUSE_HELD 32
static int reuse_worker(void *arg)
{
	unsigned seed = (unsigned)(unsigned long)arg * 104729u + 3, bad = 0;
	u32 slot = (u32)(unsigned long)arg;
	unsigned sweep = slot * 97;

	for (int i = 0; i < 1800; i++) {
		seed = seed * 1103515245u + 12345u;
		/* two kmaps in three are of a held page: the lockless paths; the
		 * third sweeps through all NPAGES (more than the slots, so each
		 * finds its page unmapped: 600 new slots per worker, a wrap and a
		 * flush every 512) */
		unsigned k = i % 3 ? (seed >> 8) % REUSE_HELD : sweep++ % NPAGES;
		struct page *p = pages[k];
		volatile u32 *va = kmap(p);
		bad += va[1000] != page_to_pfn(p);
		va[slot] = (u32)i;
		bad += va[slot] != (u32)i;
		kunmap(p);
	}
	return (int)bad;
}

static void test_concurrent_kmap_with_reuse(struct ktest *t)
{
	struct task *th[NR_CPUS];
	int n = 0, retries = 0;
	NEED_SLOTS(t, true);
	GET_HIGHMEM(t, NPAGES, "not enough HighMem at this RAM size");

	for (int i = 0; i < NPAGES; i++) {
		u32 *va = kmap(pages[i]);
		va[1000] = page_to_pfn(pages[i]);
		kunmap(pages[i]);
	}
	kmap_flush_unused(); /* nothing cached: every sweep below maps anew */
	for (int i = 0; i < REUSE_HELD; i++)
		kmap(pages[i]);
	unsigned long flushes = pkmap_stats.flushes;
	ktest_injected(t);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!sched_cpu_online(c))
			continue;
		while (!(th[n] = kthread_create_on_cpu(reuse_worker, (void *)(unsigned long)c, c,
						       "kmap-reuse-%u", c)) &&
		       ktest_injected(t) && retries++ < 1000)
			;
		if (th[n])
			wake_up_process(th[n++]);
	}
	KTEST_EXPECT_GE(t, n, 1);
	for (int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
	KTEST_EXPECT_GT(t, pkmap_stats.flushes, flushes); /* slots were reused */
	KTEST_EXPECT_EQ(t, slots_in_use(), REUSE_HELD);
	for (int i = 0; i < REUSE_HELD; i++) {
		void *va = page_address(pages[i]);
		KTEST_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], 2); /* only this thread's use left */
		KTEST_EXPECT_EQ(t, ((u32 *)va)[1000], page_to_pfn(pages[i]));
		kunmap(pages[i]);
	}
	KTEST_EXPECT_EQ(t, slots_in_use(), 0);
	put_highmem();
}

static struct ktest_case pkmap_cases[] = {
	KTEST_CASE(test_lowmem_uses_no_slot),
	KTEST_CASE(test_map_unmap_and_page_address),
	KTEST_CASE(test_one_flush_per_wrap),
	KTEST_CASE(test_two_threads_one_address),
	KTEST_CASE(test_kmap_sleeps_until_kunmap),
	KTEST_CASE(test_all_mappings_agree),
	KTEST_CASE(test_misuse_reported),
	KTEST_CASE(test_concurrent_kmap),
	KTEST_CASE(test_concurrent_kmap_with_reuse),
	{ 0 },
};
KTEST_SUITE(pkmap, pkmap_cases);
