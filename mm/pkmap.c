/* pkmap.c - kmap()/kunmap(): the persistent kernel map (see include/pkmap.h).
 *
 * One lock (kmap_lock) guards pkmap_count[], last_pkmap_nr and the PTEs of
 * the window; the page_address hash has its own lock because
 * page_address() is called from everywhere. kmap never runs in interrupt
 * context, so plain spin_lock is enough, as in Linux. */
#include "highmem.h"
#include "list.h"
#include "pgtable.h"
#include "pkmap.h"
#include "preempt.h"
#include "printk.h"
#include "sched.h"
#include "spinlock.h"
#include "wait.h"

int pkmap_count[LAST_PKMAP];
unsigned last_pkmap_nr;
struct pkmap_stats pkmap_stats;
static DEFINE_SPINLOCK(kmap_lock);
static DECLARE_WAIT_QUEUE_HEAD(pkmap_map_wait);

/* ---- page_address hash: 512 buckets of (page, virtual) pairs ---------- */

/* One bucket per slot (Linux has 128): with the window full, a lookup walks
 * about one entry instead of four - kmap over many pages is mostly walks. */
#define PA_HASH_BITS 9
#define PA_HASH_BUCKETS (1 << PA_HASH_BITS)

struct page_address_map {
	const struct page *page;
	void *virtual;
	struct list_head list;
};

static struct page_address_map pa_maps[LAST_PKMAP]; /* one per slot: never allocates */
/* The window's PTEs: one PTE page (include/layout.h aligns the window to
 * 2 MB), found once, so slot i's entry is pkmap_pte[i] (Linux's
 * pkmap_page_table) rather than a page-table walk per map and unmap. */
static pte_t *pkmap_pte;
static struct list_head pa_buckets[PA_HASH_BUCKETS];
static DEFINE_SPINLOCK(pa_lock);

static struct list_head *bucket(const struct page *page)
{
	/* Multiplicative hash (Knuth's golden ratio constant) of the struct
	 * page's address / 32: the pfn plus a constant, so as good a key,
	 * without reading mem_map to subtract it. */
	u32 key = (u32)((uintptr_t)page / sizeof(struct page));

	return &pa_buckets[(key * 2654435761u) >> (32 - PA_HASH_BITS)];
}

void page_address_init(void)
{
	for (int i = 0; i < PA_HASH_BUCKETS; i++)
		INIT_LIST_HEAD(&pa_buckets[i]);
	for (int i = 0; i < LAST_PKMAP; i++) {
		pa_maps[i].page = NULL;
		pa_maps[i].virtual = NULL;
		pkmap_count[i] = 0;
	}
	last_pkmap_nr = 0;
	pkmap_pte = virt_to_kpte(PKMAP_BASE);
	kmap_atomic_init(); /* kmap_atomic's slot tables: the fixmap exists by now too */
}

/* The lookup itself. Every change to the hash happens under kmap_lock (and
 * pa_lock), so kmap/kunmap, which hold kmap_lock, may call this bare. */
static void *lookup(const struct page *page)
{
	struct list_head *pos, *b = bucket(page);

	list_for_each(pos, b) {
		struct page_address_map *m = list_entry(pos, struct page_address_map, list);
		if (m->page == page)
			return m->virtual;
	}
	return NULL;
}

void *pkmap_page_address(const struct page *page)
{
	unsigned long f = spin_lock_irqsave(&pa_lock);
	void *va = lookup(page);
	spin_unlock_irqrestore(&pa_lock, f);
	return va;
}

/* Record page's pkmap address: slot nr's entry goes into the hash. */
static void set_page_address(const struct page *page, unsigned nr, void *va)
{
	struct page_address_map *m = &pa_maps[nr];
	unsigned long f = spin_lock_irqsave(&pa_lock);

	m->page = page;
	m->virtual = va;
	list_add_tail(&m->list, bucket(page));
	spin_unlock_irqrestore(&pa_lock, f);
}

/* Forget slot nr's page (pa_lock held). */
static void clear_page_address(unsigned nr)
{
	struct page_address_map *m = &pa_maps[nr];

	if (m->page) {
		list_del(&m->list);
		m->page = NULL;
		m->virtual = NULL;
	}
}

/* ---- the window ---------------------------------------------------------- */

/* Free every slot whose users are gone (count 1), then one TLB flush of the
 * whole window on every CPU: after it no CPU can hold a stale entry for a
 * freed slot, so the slots may take new pages. kmap_lock held. */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;
	unsigned long f = spin_lock_irqsave(&pa_lock); /* once for all the slots */

	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		pte_clear(&init_mm, PKMAP_ADDR(i), &pkmap_pte[i]);
		clear_page_address(i);
		need_flush = true;
	}
	spin_unlock_irqrestore(&pa_lock, f);
	if (need_flush) {
		flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP));
		pkmap_stats.flushes++;
	}
}

/* Wait for a kunmap to free a slot: kmap_lock is dropped while we sleep. */
static void wait_for_slot(void)
{
	struct wait_queue_entry we;

	pkmap_stats.sleeps++;
	init_wait_entry(&we, 0);
	prepare_to_wait(&pkmap_map_wait, &we);
	spin_unlock(&kmap_lock);
	schedule();
	finish_wait(&pkmap_map_wait, &we);
	spin_lock(&kmap_lock);
}

/* Find a free slot for page, scanning on from the last one. kmap_lock held.
 * Out of line: kmap's hit path stays small. */
static __attribute__((noinline)) void *map_new_virtual(struct page *page)
{
	for (;;) {
		unsigned count = LAST_PKMAP;
		for (;;) {
			last_pkmap_nr = (last_pkmap_nr + 1) & (LAST_PKMAP - 1);
			if (!last_pkmap_nr) {
				pkmap_stats.wraps++;
				flush_all_zero_pkmaps();
				count = LAST_PKMAP;
			}
			if (!pkmap_count[last_pkmap_nr])
				break;
			if (--count == 0)
				break;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;
		wait_for_slot();
		/* Another task may have mapped our page while we slept. */
		void *va = lookup(page);
		if (va)
			return va;
	}
	unsigned nr = last_pkmap_nr;
	void *va = (void *)PKMAP_ADDR(nr);
	set_pte_at(&init_mm, PKMAP_ADDR(nr), &pkmap_pte[nr], mk_pte(page, PAGE_KERNEL));
	pkmap_count[nr] = 1;
	set_page_address(page, nr, va);
	return va;
}

void *kmap(struct page *page)
{
	might_sleep_if(true); /* the context tested inline: no call when it may sleep */
	if (!PageHighMem(page))
		return page_address(page);
	spin_lock(&kmap_lock);
	pkmap_stats.maps++;
	void *va = lookup(page);
	if (va)
		pkmap_stats.cache_hits++;
	else
		va = map_new_virtual(page);
	pkmap_count[PKMAP_NR(va)]++; /* its users; the page itself is not touched */
	spin_unlock(&kmap_lock);
	return va;
}

/* An unbalanced kunmap, or one of a page that is not kmapped (kmap_lock
 * held; dropped here). */
static __attribute__((noinline)) void kunmap_misuse(struct page *page, bool mapped, void *caller)
{
	pkmap_stats.reports++;
	spin_unlock(&kmap_lock);
	pr_err("BUG: kunmap(pfn %#lx): %s (caller %pS)\n", page_to_pfn(page),
	       mapped ? "unbalanced: the page has no kmap users left" : "the page is not kmapped",
	       caller);
}

void kunmap(struct page *page)
{
	bool wake = false;

	if (!PageHighMem(page))
		return;
	spin_lock(&kmap_lock);
	void *va = lookup(page);
	unsigned nr = va ? (unsigned)PKMAP_NR(va) : 0;
	if (unlikely(!va || pkmap_count[nr] < 2)) {
		kunmap_misuse(page, va, arch_return_address());
		return;
	}
	if (--pkmap_count[nr] == 1) {
		wake = wait_queue_length(&pkmap_map_wait) > 0;
	}
	spin_unlock(&kmap_lock);
	if (wake)
		wake_up(&pkmap_map_wait);
}

bool page_kmapped(const struct page *page)
{
	void *va = pkmap_page_address(page);

	return va && __atomic_load_n(&pkmap_count[PKMAP_NR(va)], __ATOMIC_RELAXED) > 1;
}

struct page *kmap_to_page(void *vaddr)
{
	unsigned long va = (unsigned long)vaddr;
	if (va >= PKMAP_BASE && va < PKMAP_ADDR(LAST_PKMAP)) {
		pte_t pte = ptep_get(virt_to_kpte(va));
		if (pte_present(pte))
			return pfn_to_page(pte_pfn(pte));
	}
	return virt_to_page(vaddr);
}

void kmap_flush_unused(void)
{
	spin_lock(&kmap_lock);
	flush_all_zero_pkmaps();
	spin_unlock(&kmap_lock);
}

void show_pkmap(void)
{
	unsigned used = 0, cached = 0;

	printk("pkmap window %#lx-%#lx, %d slots, last slot %u\n", PKMAP_BASE,
	       PKMAP_ADDR(LAST_PKMAP), LAST_PKMAP, last_pkmap_nr);
	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (!pkmap_count[i])
			continue;
		const struct page *p = pa_maps[i].page;
		if (pkmap_count[i] == 1)
			cached++;
		else
			used++;
		printk("  slot %3u %#010lx count %d (%s) pfn %#lx\n", i, PKMAP_ADDR(i), pkmap_count[i],
		       pkmap_count[i] == 1 ? "unused, cached until the next flush" : "in use",
		       p ? page_to_pfn(p) : 0UL);
	}
	printk("%u in use, %u cached, %u free; maps %lu, cache hits %lu, wraps %lu, flushes %lu, "
	       "sleeps %lu, misuse reports %lu\n", used, cached, LAST_PKMAP - used - cached,
	       pkmap_stats.maps, pkmap_stats.cache_hits, pkmap_stats.wraps, pkmap_stats.flushes,
	       pkmap_stats.sleeps, pkmap_stats.reports);
}

/* kmap_try: kmap for a caller that must not sleep for a slot (the monitor:
 * it is the console; if it slept nobody could type the kunmap that would
 * wake it). NULL when all LAST_PKMAP slots are in use; otherwise kmap(),
 * which then finds a free or flushable slot at once. */
void *kmap_try(struct page *page)
{
	bool room = !PageHighMem(page);

	spin_lock(&kmap_lock);
	if (!room && lookup(page))
		room = true;
	for (unsigned i = 0; !room && i < LAST_PKMAP; i++)
		room = pkmap_count[i] <= 1; /* free, or freed by the next flush */
	spin_unlock(&kmap_lock);
	return room ? kmap(page) : NULL;
}
