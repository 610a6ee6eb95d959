/* pkmap.c - kmap()/kunmap(): the persistent kernel map (see include/pkmap.h).
 *
 * One lock (kmap_lock) guards last_pkmap_nr, the PTEs of the window and
 * every change of a slot's state: a count going 0 -> 1 (mapped), 1 -> 2
 * (first user), 2 -> 1 (last user gone) or 1 -> 0 (flushed), with the
 * page_address hash. Lookups take no lock (lookup_nolock), page_address()
 * included, which is called from everywhere (Linux takes a second lock
 * for it). kmap never runs in interrupt context, so plain spin_lock is
 * enough, as in Linux.
 *
 * The common case takes no lock: a kmap of a page that already has users
 * (count >= 2) adds one with an atomic increment, and a kunmap that is not
 * the last (count >= 3) drops one with an atomic decrement, each after a
 * lockless hash lookup (lookup_nolock). Since those never touch a count
 * below 2 (resp. 3), they never race with a state change; the locked
 * paths' own increments and decrements are atomic so as not to lose
 * theirs. */
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
/* kmaps asleep in wait_for_slot (kmap_lock): a kunmap freeing a slot wakes
 * them only if there are any, without counting the queue under its lock. */
static unsigned pkmap_waiters;

/* ---- page_address hash: 512 chains of (page, slot) entries ----------- */

/* One bucket per slot (Linux has 128): with the window full, a lookup walks
 * about one entry instead of four - kmap over many pages is mostly walks. */
#define PA_HASH_BITS 9
#define PA_HASH_BUCKETS (1 << PA_HASH_BITS)

/* Slot nr's entry is pa_maps[nr]: its address says the slot, and so the
 * virtual address (PKMAP_ADDR(nr)). A chain is NULL-terminated and singly
 * linked, and an entry's next always points at an entry or is NULL - even
 * after the entry leaves its chain, until it joins another. That is what
 * lets kmap and kunmap look up without a lock (lookup_nolock). */
struct page_address_map {
	const struct page *page; /* NULL while the slot is in no chain */
	struct page_address_map *next;
};

static struct page_address_map pa_maps[LAST_PKMAP]; /* one per slot: never allocates */
/* The window's PTEs: one PTE page (include/layout.h aligns the window to
 * 2 MB), found once, so slot i's entry is pkmap_pte[i] (Linux's
 * pkmap_page_table) rather than a page-table walk per map and unmap. */
static pte_t *pkmap_pte;
static struct page_address_map *pa_buckets[PA_HASH_BUCKETS];

static struct page_address_map **bucket(const struct page *page)
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
		pa_buckets[i] = NULL;
	for (int i = 0; i < LAST_PKMAP; i++) {
		pa_maps[i].page = NULL;
		pa_maps[i].next = NULL;
		pkmap_count[i] = 0;
	}
	last_pkmap_nr = 0;
	pkmap_pte = virt_to_kpte(PKMAP_BASE);
	kmap_atomic_init(); /* kmap_atomic's slot tables: the fixmap exists by now too */
}

/* The slot holding page, or -1. Every change to the hash happens under
 * kmap_lock, so a caller holding it may trust the answer. */
static int lookup(const struct page *page)
{
	for (struct page_address_map *m = *bucket(page); m; m = m->next)
		if (m->page == page)
			return (int)(m - pa_maps);
	return -1;
}

/* The same with no lock: a candidate slot's entry, or NULL. A change may
 * race with the walk: an entry leaving its chain keeps its next, so the
 * walk goes on; one reused meanwhile leads into another chain, which ends
 * too (and the bound ends any walk). So the walk always ends, but its
 * answer may be stale either way: a miss sends the caller to the locked
 * path, and a hit is confirmed after the slot's count is raised (kmap) or
 * relied on only by a caller holding a use, which keeps the slot from
 * changing (kunmap). */
static inline struct page_address_map *lookup_nolock(const struct page *page)
{
	struct page_address_map *m = __atomic_load_n(bucket(page), __ATOMIC_RELAXED);

	for (unsigned n = LAST_PKMAP; m; m = __atomic_load_n(&m->next, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&m->page, __ATOMIC_RELAXED) == page)
			return m;
		if (!--n)
			break;
	}
	return NULL;
}

/* One more use of a slot that has users already (count >= 2), atomically;
 * false, changing nothing, if it has none. */
static inline bool get_slot_in_use(unsigned nr)
{
	int c = __atomic_load_n(&pkmap_count[nr], __ATOMIC_RELAXED);

	do {
		if (c < 2)
			return false;
	} while (!__atomic_compare_exchange_n(&pkmap_count[nr], &c, c + 1, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

/* One use fewer of a slot that keeps others (count >= 3), atomically;
 * false, changing nothing, if this would be the last. */
static inline bool put_slot_shared(unsigned nr)
{
	int c = __atomic_load_n(&pkmap_count[nr], __ATOMIC_RELAXED);

	do {
		if (c < 3)
			return false;
	} while (!__atomic_compare_exchange_n(&pkmap_count[nr], &c, c - 1, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

/* No lock: the answer is one the page had during the call, which is all a
 * lock would give too (it is dropped before the caller looks). A caller
 * holding a kmap of the page gets its address for as long as it does. */
void *pkmap_page_address(const struct page *page)
{
	const struct page_address_map *m = lookup_nolock(page);

	return m ? (void *)PKMAP_ADDR(m - pa_maps) : NULL;
}

/* Record that slot nr maps page (kmap_lock held): its entry joins the head
 * of page's chain, its fields set first, so a lockless walk that reaches
 * it sees them. */
static void set_page_address(const struct page *page, unsigned nr)
{
	struct page_address_map *m = &pa_maps[nr], **b = bucket(page);

	__atomic_store_n(&m->page, page, __ATOMIC_RELAXED);
	__atomic_store_n(&m->next, *b, __ATOMIC_RELAXED);
	__atomic_store_n(b, m, __ATOMIC_RELEASE);
}

/* Forget slot nr's page (kmap_lock held): its entry is unlinked by one store
 * into its predecessor, and keeps its own next for a walk standing on it. */
static void clear_page_address(unsigned nr)
{
	struct page_address_map *m = &pa_maps[nr], **pp;

	if (!m->page)
		return;
	for (pp = bucket(m->page); *pp != m; pp = &(*pp)->next)
		;
	__atomic_store_n(pp, m->next, __ATOMIC_RELAXED);
	__atomic_store_n(&m->page, NULL, __ATOMIC_RELAXED);
}

/* ---- the window ---------------------------------------------------------- */

/* Free every slot whose users are gone (count 1), then one TLB flush of the
 * whole window on every CPU: after it no CPU can hold a stale entry for a
 * freed slot, so the slots may take new pages. kmap_lock held. */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;

	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (__atomic_load_n(&pkmap_count[i], __ATOMIC_RELAXED) != 1)
			continue;
		/* A plain store will do: the lockless paths never touch a count
		 * of 1 (kmap's raises only 2 or more, kunmap's lowers only 3 or
		 * more), and every other change holds kmap_lock. */
		__atomic_store_n(&pkmap_count[i], 0, __ATOMIC_RELAXED);
		pte_clear(&init_mm, PKMAP_ADDR(i), &pkmap_pte[i]);
		clear_page_address(i);
		need_flush = true;
	}
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
	pkmap_waiters++;
	init_wait_entry(&we, 0);
	prepare_to_wait(&pkmap_map_wait, &we);
	spin_unlock(&kmap_lock);
	schedule();
	finish_wait(&pkmap_map_wait, &we);
	spin_lock(&kmap_lock);
	pkmap_waiters--;
}

/* Find a free slot for page, scanning on from the last one; its number.
 * kmap_lock held. */
static int map_new_virtual(struct page *page)
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
		int nr = lookup(page);
		if (nr >= 0)
			return nr;
	}
	unsigned nr = last_pkmap_nr;
	set_pte_at(&init_mm, PKMAP_ADDR(nr), &pkmap_pte[nr], mk_pte(page, PAGE_KERNEL));
	__atomic_store_n(&pkmap_count[nr], 1, __ATOMIC_RELAXED);
	set_page_address(page, nr);
	return (int)nr;
}

/* kmap with kmap_lock: a new slot, or a use of a cached one (count 1). */
static __attribute__((noinline)) void *kmap_locked(struct page *page)
{
	spin_lock(&kmap_lock);
	pkmap_stats.maps++;
	int nr = lookup(page);
	if (nr >= 0)
		pkmap_stats.cache_hits++;
	else
		nr = map_new_virtual(page);
	/* Atomic: the lockless paths change counts of 2 or more meanwhile. */
	__atomic_fetch_add(&pkmap_count[nr], 1, __ATOMIC_RELAXED);
	spin_unlock(&kmap_lock);
	return (void *)PKMAP_ADDR(nr);
}

/* Drop one use of slot nr (kmap_lock held). The count may reach 1 (no
 * users left), which frees the slot at the next flush and may let a
 * sleeping kmap go on: true if one should be woken once the lock is gone. */
static bool put_slot(unsigned nr)
{
	return __atomic_sub_fetch(&pkmap_count[nr], 1, __ATOMIC_RELAXED) == 1 && pkmap_waiters;
}

static void unlock_and_wake(bool wake)
{
	spin_unlock(&kmap_lock);
	if (wake)
		wake_up(&pkmap_map_wait);
}

/* The fast path of kmap: a page already in use by someone (count >= 2) is
 * shared with one atomic increment and no lock. Counts of 0 and 1 are left
 * to the locked path: a slot at 1 may be freed by flush_all_zero_pkmaps at
 * any moment under the lock, and raising it without the lock could revive
 * a slot being flushed. A slot at 2 or more cannot be freed or reused, so
 * once the increment lands the slot is ours; if it now maps another page
 * (the lookup was stale: the slot was reused between it and the
 * increment), the use goes back through the locked path. */
void *kmap(struct page *page)
{
	might_sleep_if(true); /* the context tested inline: no call when it may sleep */
	if (!PageHighMem(page))
		return page_address(page);
	struct page_address_map *m = lookup_nolock(page);
	if (likely(m)) {
		unsigned nr = (unsigned)(m - pa_maps);
		if (likely(get_slot_in_use(nr))) {
			if (likely(__atomic_load_n(&m->page, __ATOMIC_RELAXED) == page)) {
				__atomic_fetch_add(&pkmap_stats.maps, 1, __ATOMIC_RELAXED);
				__atomic_fetch_add(&pkmap_stats.cache_hits, 1, __ATOMIC_RELAXED);
				return (void *)PKMAP_ADDR(nr);
			}
			spin_lock(&kmap_lock); /* reused meanwhile: not ours to keep */
			unlock_and_wake(put_slot(nr));
		}
	}
	return kmap_locked(page);
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

/* kunmap with kmap_lock: the last use (count 2 -> 1) or a misuse. nr is
 * the lockless lookup's slot, used if its entry still names the page. */
static __attribute__((noinline)) void kunmap_locked(struct page *page, int nr, void *caller)
{
	spin_lock(&kmap_lock);
	if (nr < 0 || pa_maps[nr].page != page)
		nr = lookup(page);
	if (unlikely(nr < 0 || __atomic_load_n(&pkmap_count[nr], __ATOMIC_RELAXED) < 2)) {
		kunmap_misuse(page, nr >= 0, caller);
		return;
	}
	unlock_and_wake(put_slot((unsigned)nr));
}

/* The fast path of kunmap: a caller that holds a use keeps the slot from
 * being reused, so the lockless lookup's answer stands once the entry
 * still names the page; a use that is not the last (count >= 3) goes with
 * one atomic decrement. The last use (2 -> 1: a sleeper may need waking)
 * and every misuse take the locked path, which reports. */
void kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return;
	struct page_address_map *m = lookup_nolock(page);
	int nr = m ? (int)(m - pa_maps) : -1;
	if (likely(nr >= 0) && likely(put_slot_shared((unsigned)nr)))
		return;
	kunmap_locked(page, nr, arch_return_address());
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
	if (!room && lookup(page) >= 0)
		room = true;
	for (unsigned i = 0; !room && i < LAST_PKMAP; i++)
		room = pkmap_count[i] <= 1; /* free, or freed by the next flush */
	spin_unlock(&kmap_lock);
	return room ? kmap(page) : NULL;
}
