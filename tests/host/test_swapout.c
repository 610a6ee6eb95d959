/* test_swapout.c - the memory side of swap on the simulated machine, over
 * a RAM disk with a swap header: a page of a fork family is reclaimed into
 * swap (every PTE becomes its entry, one slot count each, MM_ANONPAGES ->
 * MM_SWAPENTS, PSWPOUT), comes back on a fault (PGMAJFAULT, PSWPIN, the
 * same bytes), is shared again through the swap cache by the other
 * process (no second read) and copied on its write; zap and exit give the
 * slots back; a write error leaves the page in memory, a read error is
 * SIGBUS; try_to_unuse (swapoff) brings every page back; direct reclaim
 * under HighMem pressure scans, steals and swaps. The I/O side: a batch's
 * run of consecutive slots is written with one request, an error in it
 * fails each of its pages cleanly (dirty, in memory, not tried twice),
 * swap-in reads the cluster of 8 slots around a fault with one request
 * and a later fault finds the neighbours in the swap cache without I/O. */
#include <stdlib.h>
#include "blkdev.h"
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "htest.h"
#include "memview.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "pagemap.h"
#include "rmap.h"
#include "sim_mm.h"
#include "slab.h"
#include "swap_state.h"
#include "swapops.h"
#include "vmscan.h"
#include "vmstat.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define SWAP_PAGES 4096

struct swapdisk {
	struct block_device bdev;
	unsigned char *data;
	bool fail_write, fail_read;
	u64 bad_sector;                  /* a request touching it fails (0: none) */
	unsigned long requests[2];       /* rw_pages calls: [0] reads, [1] writes */
	unsigned long pages[2];          /* pages they carried */
	unsigned last_nr;                /* pages in the last request */
};

static int sd_rw(struct block_device *b, u64 sector, unsigned count, void *buf, bool write)
{
	struct swapdisk *d = b->bd_private;

	if (write ? d->fail_write : d->fail_read)
		return -EIO;
	if (write)
		memcpy(d->data + sector * 512, buf, count * 512ul);
	else
		memcpy(buf, d->data + sector * 512, count * 512ul);
	return 0;
}
/* A request of nr whole pages, as a DMA driver's: counted, then each page
 * through kmap (the simulated machine's frames have no other address). */
static int sd_rw_pages(struct block_device *b, u64 sector, struct page **pages, unsigned nr,
		       bool write)
{
	struct swapdisk *d = b->bd_private;

	d->requests[write]++;
	d->pages[write] += nr;
	d->last_nr = nr;
	if (d->bad_sector && d->bad_sector >= sector && d->bad_sector < sector + nr * 8ull)
		return -EIO;
	for (unsigned i = 0; i < nr; i++) {
		void *va = kmap_local_page(pages[i]);
		int err = sd_rw(b, sector + i * 8ull, 8, va, write);
		kunmap_local(va);
		if (err)
			return err;
	}
	return 0;
}
static const struct block_device_operations sd_ops = { .rw_sectors = sd_rw, .rw_pages = sd_rw_pages };

/* sim_boot_mm on the 512 MB machine (all lowmem). */
static struct mm_struct *boot_mm_512(void)
{
	sim_boot(&sim_512m);
	kmem_cache_init();
	pgtable_cache_init();
	empty_zero_page_ptr = NULL;
	nr_anon_mapped = nr_file_mapped = nr_pagetable_pages = 0;
	CHECK(zero_page_init());
	return mm_alloc();
}

/* A machine (2 GB, or 512 MB when small) with one mm, and a swap area of
 * SWAP_PAGES pages swapped on. */
static struct swapdisk *swap_machine_on(struct mm_struct **mm, bool small)
{
	struct swapdisk *d = calloc(1, sizeof(*d));
	u32 v1 = 1, last = SWAP_PAGES - 1;

	*mm = small ? boot_mm_512() : sim_boot_mm();
	d->data = calloc(SWAP_PAGES, 4096);
	memcpy(d->data + 1024, &v1, 4);
	memcpy(d->data + 1028, &last, 4);
	memcpy(d->data + 4096 - 10, "SWAPSPACE2", 10);
	snprintf(d->bdev.bd_name, sizeof(d->bdev.bd_name), "ram0");
	d->bdev.nr_sectors = SWAP_PAGES * 8;
	d->bdev.ops = &sd_ops;
	d->bdev.bd_private = d;
	CHECK_EQ(swapon_bdev(&d->bdev, "/dev/ram0", 0), 0);
	return d;
}

static struct swapdisk *swap_machine(struct mm_struct **mm) { return swap_machine_on(mm, false); }

static void swap_machine_end(struct swapdisk *d)
{
	CHECK_EQ(swapoff_bdev(&d->bdev), 0);
	CHECK_EQ(total_swap_pages, 0);
	free(d->data);
	free(d);
}

static pte_t pte_at(struct mm_struct *mm, unsigned long addr) { return __pte(sim_pte_val_at(mm, addr)); }

/* n pages at BASE, each written once: their PTEs young, as after any fault. */
static void map_young(struct mm_struct *mm, int n)
{
	CHECK_EQ(do_mmap(mm, BASE, (unsigned long)n * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	for (int i = 0; i < n; i++)
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
}
/* Write / check a pattern that names the page (through kmap, as the CPU would). */
static void fill(struct page *p, u32 seed)
{
	u32 *v = kmap_atomic(p);

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		v[i] = seed * 2654435761u + i;
	kunmap_atomic(v);
}
static bool holds(struct page *p, u32 seed)
{
	u32 *v = kmap_atomic(p);
	bool ok = true;

	for (unsigned i = 0; i < PAGE_SIZE / 4 && ok; i++)
		ok = v[i] == seed * 2654435761u + i;
	kunmap_atomic(v);
	return ok;
}

/* Reclaim's steps on one mapped page, as shrink_page_list takes them. */
static int reclaim_one(struct page *p)
{
	lru_add_drain(); /* reclaim drains the add batches before it isolates */
	CHECK(isolate_lru_page(p));
	CHECK(trylock_page(p));
	int err = reclaim_anon_page(p);
	unlock_page(p);
	if (err)
		putback_lru_page(p);
	else
		put_page(p); /* the last reference: the frame is free */
	return err;
}

HTEST(swapout_fork_family_out_and_back_shared_then_copied)
{
	struct mm_struct *parent;
	struct swapdisk *d = swap_machine(&parent);
	unsigned long out0 = global_vm_event(PSWPOUT), in0 = global_vm_event(PSWPIN);
	unsigned long maj0 = global_vm_event(PGMAJFAULT);
	long free0 = nr_swap_pages;

	CHECK_EQ(do_mmap(parent, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	struct page *p = sim_page_at(parent, BASE);
	fill(p, 7);
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(page_mapcount(p), 2);
	CHECK_EQ(reclaim_one(p), 0);
	/* both PTEs name one slot: two counts, the cache let go */
	pte_t pe = pte_at(parent, BASE), ce = pte_at(child, BASE);
	CHECK(is_swap_pte(pe) && pte_val(pe) == pte_val(ce));
	swp_entry_t e = pte_to_swp_entry(pe);
	CHECK_EQ(__swap_count(e), 2);
	/* /proc/PID/pagemap says swapped, with Linux's type | offset << 5 */
	u64 pm = pagemap_entry(parent, BASE);
	CHECK(pm & PM_SWAP);
	CHECK(!(pm & PM_PRESENT));
	CHECK_EQ(pm & PM_PFRAME_MASK, ((u64)swp_offset(e) << PM_SWAP_TYPE_BITS) | swp_type(e));
	CHECK(lookup_swap_cache(e) == NULL);
	CHECK_EQ(global_vm_event(PSWPOUT), out0 + 1);
	CHECK_EQ(nr_swap_pages, free0 - 1);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 0);
	CHECK_EQ(get_mm_counter(parent, MM_SWAPENTS), 1);
	CHECK_EQ(get_mm_counter(child, MM_SWAPENTS), 1);
	CHECK_EQ(global_node_page_state(NR_SWAPCACHE), 0);
	/* the parent reads it: from the disk, into the cache, read-only */
	CHECK_EQ(handle_mm_fault(parent, BASE, 0), 0);
	struct page *back = sim_page_at(parent, BASE);
	CHECK(back && holds(back, 7) && !pte_write(pte_at(parent, BASE)));
	CHECK_EQ(global_vm_event(PSWPIN), in0 + 1);
	CHECK_EQ(global_vm_event(PGMAJFAULT), maj0 + 1);
	CHECK(PageSwapCache(back) && !PageLRU(back) && PageAnon(back)); /* in the add batch */
	lru_add_drain();
	CHECK(PageLRU(back));
	CHECK_EQ(__swap_count(e), 2); /* the child's PTE and the cache */
	CHECK_EQ(get_mm_counter(parent, MM_SWAPENTS), 0);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 1);
	/* the child writes: the cached page is found (no read), then copied */
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	CHECK(sim_page_at(child, BASE) == back); /* shared again, read-only */
	CHECK_EQ(global_vm_event(PSWPIN), in0 + 1);
	CHECK_EQ(__swap_count(e), 1); /* only the cache names the slot now */
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0); /* the write again: COW */
	struct page *cc = sim_page_at(child, BASE);
	CHECK(cc && cc != back && holds(cc, 7) && pte_write(pte_at(child, BASE)));
	/* the parent writes: last user, it leaves the cache and is reused */
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	CHECK(sim_page_at(parent, BASE) == back && pte_write(pte_at(parent, BASE)));
	CHECK(!PageSwapCache(back));
	CHECK_EQ(nr_swap_pages, free0); /* the slot is free again */
	exit_mmap(child);
	mmput(child);
	exit_mmap(parent);
	mmput(parent);
	CHECK_EQ(global_node_page_state(NR_SWAPCACHE), 0);
	swap_machine_end(d);
}

HTEST(swapout_zap_and_exit_give_slots_back)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	long free0 = nr_swap_pages;

	CHECK_EQ(do_mmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
		CHECK_EQ(reclaim_one(sim_page_at(mm, BASE + i * PAGE_SIZE)), 0);
	}
	CHECK_EQ(nr_swap_pages, free0 - 4);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), 4);
	/* mprotect leaves swap entries alone */
	CHECK_EQ(do_mprotect(mm, BASE, 4 * PAGE_SIZE, PROT_READ), 0);
	CHECK(is_swap_pte(pte_at(mm, BASE)));
	CHECK_EQ(do_munmap(mm, BASE, PAGE_SIZE), 0);
	CHECK_EQ(nr_swap_pages, free0 - 3);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), 3);
	exit_mmap(mm);
	CHECK_EQ(nr_swap_pages, free0);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), 0);
	mmput(mm);
	swap_machine_end(d);
}

HTEST(swapout_write_error_keeps_page_read_error_is_sigbus)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);

	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0);
	struct page *p = sim_page_at(mm, BASE);
	fill(p, 11);
	d->fail_write = true;
	htest_log_clear();
	CHECK_EQ(reclaim_one(p), -EIO);
	/* unmapped, but in the swap cache and dirty: the fault takes it back */
	CHECK(is_swap_pte(pte_at(mm, BASE)) && PageSwapCache(p) && PageDirty(p) && PageLRU(p));
	CHECK_EQ(handle_mm_fault(mm, BASE, 0), 0);
	CHECK(sim_page_at(mm, BASE) == p && holds(p, 11));
	d->fail_write = false;
	CHECK_EQ(reclaim_one(p), 0); /* the next try writes it */
	/* the read fails: SIGBUS for the process, the kernel goes on */
	d->fail_read = true;
	CHECK_EQ(handle_mm_fault(mm, BASE, 0), VM_FAULT_SIGBUS);
	CHECK(is_swap_pte(pte_at(mm, BASE)));
	d->fail_read = false;
	CHECK_EQ(handle_mm_fault(mm, BASE, 0), 0);
	CHECK(holds(sim_page_at(mm, BASE), 11));
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

HTEST(swapout_try_to_unuse_brings_every_page_back)
{
	struct mm_struct *a;
	struct swapdisk *d = swap_machine(&a);
	enum { N = 6 };

	CHECK_EQ(do_mmap(a, BASE, N * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(handle_mm_fault(a, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
		fill(sim_page_at(a, BASE + i * PAGE_SIZE), 100 + i);
	}
	struct mm_struct *b = mm_alloc();
	CHECK(b && dup_mmap(b, a) == 0);
	for (int i = 0; i < N; i++)
		CHECK_EQ(reclaim_one(sim_page_at(a, BASE + i * PAGE_SIZE)), 0);
	CHECK_EQ(get_mm_counter(b, MM_SWAPENTS), N);
	CHECK_EQ(swapoff_bdev(&d->bdev), 0); /* try_to_unuse */
	CHECK_EQ(total_swap_pages, 0);
	for (int i = 0; i < N; i++) {
		struct page *pa = sim_page_at(a, BASE + i * PAGE_SIZE);
		CHECK(pa && pa == sim_page_at(b, BASE + i * PAGE_SIZE) && holds(pa, 100 + i));
		CHECK(!PageSwapCache(pa));
		CHECK_EQ(page_mapcount(pa), 2);
	}
	CHECK_EQ(get_mm_counter(a, MM_SWAPENTS), 0);
	CHECK_EQ(get_mm_counter(b, MM_ANONPAGES), N);
	CHECK_EQ(global_node_page_state(NR_SWAPCACHE), 0);
	exit_mmap(b);
	mmput(b);
	exit_mmap(a);
	mmput(a);
	free(d->data);
	free(d);
}

HTEST(swapout_direct_reclaim_under_highmem_pressure)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	enum { N = 64 };
	unsigned long scan0 = global_vm_event(PGSCAN_DIRECT), steal0 = global_vm_event(PGSTEAL_DIRECT);
	struct page *held = NULL;

	map_young(mm, N);
	/* HighMem down to its min watermark: held in a chain through the pages */
	for (struct page *p; (p = alloc_pages(__GFP_HIGHMEM | __GFP_NOWARN, 0)) && PageHighMem(p);) {
		p->lru.next = (struct list_head *)held;
		held = p;
	}
	CHECK(held != NULL);
	/* first look: the fault's young PTEs earn a second trip; then reclaim */
	unsigned long got = 0;
	for (int i = 0; i < 3 && !got; i++)
		got = try_to_free_pages(GFP_HIGHUSER, 0);
	CHECK(got > 0);
	CHECK(global_vm_event(PGSCAN_DIRECT) > scan0);
	CHECK_EQ(global_vm_event(PGSTEAL_DIRECT), steal0 + got);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), (long)got);
	CHECK_EQ(global_node_page_state(NR_ISOLATED_ANON), 0);
	CHECK_EQ(d->pages[1], got); /* written in runs: fewer requests than pages */
	CHECK(got < 2 || d->requests[1] < got);
	while (held) {
		struct page *next = (struct page *)held->lru.next;
		__free_pages(held, 0);
		held = next;
	}
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

/* Pages still in another CPU's add batch are on no list: direct reclaim
 * drains every CPU's batch before it scans (lru_add_drain_all), or it
 * would find nothing here. */
HTEST(swapout_direct_reclaim_drains_other_cpus_batches)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	enum { N = PAGEVEC_SIZE / 2 };
	struct page *held = NULL;

	CHECK_EQ(do_mmap(mm, BASE, N * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	host_cpu_id = 2; /* the task faults on CPU 2, reclaim runs on CPU 0 */
	for (int i = 0; i < N; i++)
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	host_cpu_id = 0;
	CHECK_EQ(lru_add_batch_count(2), N);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), 0);
	for (struct page *p; (p = alloc_pages(__GFP_HIGHMEM | __GFP_NOWARN, 0)) && PageHighMem(p);) {
		p->lru.next = (struct list_head *)held;
		held = p;
	}
	unsigned long got = 0;
	for (int i = 0; i < 3 && !got; i++)
		got = try_to_free_pages(GFP_HIGHUSER, 0);
	CHECK(got > 0);
	CHECK_EQ(lru_add_batch_count(2), 0);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), (long)got);
	while (held) {
		struct page *next = (struct page *)held->lru.next;
		__free_pages(held, 0);
		held = next;
	}
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

/* Take zone z and those below it down to their reserves with allocations
 * of class gfp; returns the chain of pages taken (through lru.next). */
static struct page *drain_zone(int z, gfp_t gfp)
{
	struct page *held = NULL;

	for (struct page *p; (p = alloc_pages(gfp | __GFP_NOWARN, 0)) && page_zonenum(p) <= (unsigned)z;) {
		p->lru.next = (struct list_head *)held;
		held = p;
	}
	return held;
}
static void give_back(struct page *held)
{
	while (held) {
		struct page *next = (struct page *)held->lru.next;
		__free_pages(held, 0);
		held = next;
	}
}

/* The 32-bit classic: lowmem runs out (slab, page tables: here plain
 * GFP_KERNEL pages) while HighMem is free. Reclaim is aimed at the zone
 * under pressure: on the 2 GB machine the process's pages are HighMem
 * frames, and swapping them out would not give lowmem back, so they stay;
 * on the 512 MB machine they are lowmem frames, and swapping them out is
 * what lets the lowmem request through. */
HTEST(swapout_lowmem_pressure_reclaims_lowmem_frames_only)
{
	enum { N = 2048 }; /* more than the 512 MB machine's min watermark of lowmem */
	for (int small = 0; small < 2; small++) {
		struct mm_struct *mm;
		struct swapdisk *d = swap_machine_on(&mm, small);
		map_young(mm, N);
		CHECK_EQ(page_zonenum(sim_page_at(mm, BASE)), small ? ZONE_NORMAL : ZONE_HIGHMEM);
		struct page *held = drain_zone(ZONE_NORMAL, GFP_ATOMIC);
		unsigned long got = try_to_free_pages(GFP_KERNEL, 0); /* a first look: young PTEs */
		if (small) {
			unsigned long steal0 = global_vm_event(PGSTEAL_DIRECT);
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
			CHECK(p != NULL); /* the lowmem request gets through: its own direct reclaim */
			if (p)
				__free_pages(p, 0);
			got += global_vm_event(PGSTEAL_DIRECT) - steal0;
			CHECK(got > 0); /* lowmem frames swapped out */
			CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), (long)got);
		} else {
			got += try_to_free_pages(GFP_KERNEL, 0);
			CHECK_EQ(got, 0); /* HighMem frames would not help: left alone */
			CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), 0);
		}
		give_back(held);
		exit_mmap(mm);
		mmput(mm);
		swap_machine_end(d);
	}
}

/* Reclaim's steps on a batch, as shrink_page_list takes them: each page
 * isolated, locked, into swap and unmapped; one flush; the batch written
 * through the plug; each page finished. The results go to err[]. */
static void reclaim_batch(struct page **p, unsigned n, int *err)
{
	struct tlbflush_unmap_batch batch = { 0, false };
	struct list_head list = LIST_HEAD_INIT(list);
	struct swap_iocb plug;

	lru_add_drain(); /* as reclaim does: a page in this CPU's LRU batch is not isolatable */
	for (unsigned i = 0; i < n; i++) {
		CHECK(isolate_lru_page(p[i]));
		CHECK(trylock_page(p[i]));
		CHECK_EQ(reclaim_anon_unmap(p[i], &batch), 0);
		list_add_tail(&p[i]->lru, &list);
	}
	try_to_unmap_flush(&batch);
	reclaim_anon_write_list(&list, &plug);
	for (unsigned i = 0; i < n; i++) {
		list_del(&p[i]->lru);
		err[i] = reclaim_anon_writeout(p[i], &plug);
		unlock_page(p[i]);
		if (err[i])
			putback_lru_page(p[i]);
		else
			put_page(p[i]);
	}
}

/* n written pages at BASE, page i holding pattern seed + i. */
static void map_filled(struct mm_struct *mm, struct page **p, unsigned n, u32 seed)
{
	CHECK_EQ(do_mmap(mm, BASE, n * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	for (unsigned i = 0; i < n; i++) {
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
		p[i] = sim_page_at(mm, BASE + i * PAGE_SIZE);
		fill(p[i], seed + i);
	}
}

HTEST(swapout_batch_run_of_slots_is_one_request)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	enum { N = 16 };
	struct page *p[N];
	int err[N];
	unsigned long out0 = global_vm_event(PSWPOUT);

	map_filled(mm, p, N, 300);
	reclaim_batch(p, N, err);
	for (unsigned i = 0; i < N; i++)
		CHECK_EQ(err[i], 0);
	CHECK_EQ(d->requests[1], 1); /* one request for the batch's 16 consecutive slots */
	CHECK_EQ(d->last_nr, N);
	CHECK_EQ(global_vm_event(PSWPOUT), out0 + N);
	unsigned long first = swp_offset(pte_to_swp_entry(pte_at(mm, BASE)));
	for (unsigned i = 0; i < N; i++) {
		pte_t e = pte_at(mm, BASE + i * PAGE_SIZE);
		CHECK(is_swap_pte(e) && swp_offset(pte_to_swp_entry(e)) == first + i);
	}
	for (unsigned i = 0; i < N; i++) { /* every page comes back intact */
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, 0), 0);
		CHECK(holds(sim_page_at(mm, BASE + i * PAGE_SIZE), 300 + i));
	}
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

/* Reclaim with a target (Linux's nr_to_reclaim). Direct reclaim for one
 * page frees SWAP_CLUSTER_MAX (32) of them, at most one batch more, not
 * every unreferenced page its last priority looked at; and its progress
 * lets a kswapd that had given up (16 fruitless passes) be woken again. */
HTEST(swapout_direct_reclaim_stops_at_its_target)
{
	enum { N = 2048, CLUSTER = 32 };
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);

	map_young(mm, N); /* the first look only clears their PTEs */
	struct page *held = drain_zone(ZONE_HIGHMEM, __GFP_HIGHMEM);
	kswapd_state.failures = 16;
	unsigned long got = try_to_free_pages(GFP_HIGHUSER, 0);
	CHECK(got >= CLUSTER);
	CHECK(got < 2 * CLUSTER);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), (long)got);
	CHECK_EQ(kswapd_state.failures, 0);
	give_back(held);
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

HTEST(swapout_error_in_multipage_request_fails_each_page_cleanly)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	enum { N = 8 };
	struct page *p[N];
	int err[N];
	unsigned long out0 = global_vm_event(PSWPOUT);

	map_filled(mm, p, N, 500);
	d->fail_write = true;
	htest_log_clear();
	reclaim_batch(p, N, err);
	CHECK_EQ(d->requests[1], 1); /* the one request failed, and was not tried again */
	CHECK_EQ(global_vm_event(PSWPOUT), out0);
	CHECK(htest_log_contains("Write-error on swap-device"));
	for (unsigned i = 0; i < N; i++) {
		/* each page: -EIO, still in memory, dirty, in the cache, no writeback */
		CHECK_EQ(err[i], -EIO);
		CHECK(PageSwapCache(p[i]) && PageDirty(p[i]) && !PageWriteback(p[i]));
		CHECK(PageLRU(p[i]) && !PageLocked(p[i]));
	}
	CHECK_EQ(global_node_page_state(NR_WRITEBACK), 0);
	d->fail_write = false;
	for (unsigned i = 0; i < N; i++) { /* the fault takes each back from the cache, intact */
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, 0), 0);
		CHECK(sim_page_at(mm, BASE + i * PAGE_SIZE) == p[i] && holds(p[i], 500 + i));
	}
	CHECK_EQ(d->requests[0], 0); /* nothing read: they never left */
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

/* A kswapd pass aims at what the short zones lack: HighMem taken to its
 * min watermark comes back just above high, not a list's worth above. */
HTEST(swapout_kswapd_balances_to_high_and_stops)
{
	enum { N = 2048, CLUSTER = 32 };
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	const struct zone *hz = &zones[ZONE_HIGHMEM];

	map_young(mm, N);
	struct page *held = drain_zone(ZONE_HIGHMEM, __GFP_HIGHMEM);
	unsigned long high = hz->watermark[WMARK_HIGH], free0 = hz->free_pages;
	CHECK(free0 <= high);
	unsigned long lack = high + 1 - free0, scan0 = global_vm_event(PGSCAN_KSWAPD);
	unsigned long got = balance_pgdat(ZONE_HIGHMEM);
	CHECK(hz->free_pages > high);
	CHECK(got >= lack);
	CHECK(got < lack + 2 * CLUSTER);
	CHECK(global_vm_event(PGSCAN_KSWAPD) > scan0);
	CHECK_EQ(get_mm_counter(mm, MM_SWAPENTS), (long)got);
	CHECK_EQ(balance_pgdat(ZONE_HIGHMEM), 0); /* balanced: nothing more */
	give_back(held);
	exit_mmap(mm);
	mmput(mm);
	swap_machine_end(d);
}

HTEST(swapin_readahead_caches_the_cluster_and_a_later_fault_finds_it)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	enum { N = 24 };
	struct page *p[N];
	int err[N];

	map_filled(mm, p, N, 700);
	reclaim_batch(p, 16, err);
	reclaim_batch(p + 16, N - 16, err + 16);
	for (unsigned i = 0; i < N; i++)
		CHECK_EQ(err[i], 0);
	/* the page whose slot starts an aligned cluster of 8, all 8 in use */
	unsigned long first = swp_offset(pte_to_swp_entry(pte_at(mm, BASE)));
	unsigned t = (unsigned)((8 - first % 8) % 8);
	unsigned long in0 = global_vm_event(PSWPIN), ra0 = global_vm_event(SWAP_RA);
	unsigned long hit0 = global_vm_event(SWAP_RA_HIT), maj0 = global_vm_event(PGMAJFAULT);
	unsigned long reads0 = d->requests[0];

	CHECK_EQ(handle_mm_fault(mm, BASE + (t + 3) * PAGE_SIZE, 0), 0);
	CHECK(holds(sim_page_at(mm, BASE + (t + 3) * PAGE_SIZE), 700 + t + 3));
	CHECK_EQ(d->requests[0], reads0 + 1); /* one request for the cluster */
	CHECK_EQ(d->last_nr, 8);
	CHECK_EQ(global_vm_event(PSWPIN), in0 + 8);
	CHECK_EQ(global_vm_event(SWAP_RA), ra0 + 7);
	CHECK_EQ(global_vm_event(PGMAJFAULT), maj0 + 1);
	for (unsigned i = t; i < t + 8; i++) {
		if (i == t + 3)
			continue;
		/* in the swap cache, up to date, on the LRU, not mapped: the PTE still swap */
		pte_t e = pte_at(mm, BASE + i * PAGE_SIZE);
		CHECK(is_swap_pte(e));
		struct page *c = lookup_swap_cache(pte_to_swp_entry(e));
		CHECK(c && PageUptodate(c) && !page_mapped(c) && holds(c, 700 + i));
		if (c)
			put_page(c);
	}
	/* a neighbour's fault: found in the cache, no I/O, a readahead hit */
	CHECK_EQ(handle_mm_fault(mm, BASE + (t + 5) * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK(holds(sim_page_at(mm, BASE + (t + 5) * PAGE_SIZE), 700 + t + 5));
	CHECK_EQ(d->requests[0], reads0 + 1);
	CHECK_EQ(global_vm_event(PSWPIN), in0 + 8);
	CHECK_EQ(global_vm_event(PGMAJFAULT), maj0 + 1);
	CHECK_EQ(global_vm_event(SWAP_RA_HIT), hit0 + 1);
	/* a bad sector under a neighbour: the cluster's request fails, the
	 * fault's page is read alone and the fault succeeds */
	unsigned u = t + 8; /* the next cluster, nothing of it cached */
	unsigned long uoff = swp_offset(pte_to_swp_entry(pte_at(mm, BASE + (u + 2) * PAGE_SIZE)));
	d->bad_sector = uoff * 8;
	CHECK_EQ(handle_mm_fault(mm, BASE + u * PAGE_SIZE, 0), 0);
	CHECK(holds(sim_page_at(mm, BASE + u * PAGE_SIZE), 700 + u));
	CHECK(lookup_swap_cache(pte_to_swp_entry(pte_at(mm, BASE + (u + 1) * PAGE_SIZE))) == NULL);
	d->bad_sector = 0;
	exit_mmap(mm);
	mmput(mm);
	CHECK_EQ(global_node_page_state(NR_SWAPCACHE), 0);
	swap_machine_end(d);
}

/* A present entry with reserved bits set, or naming a frame past max_pfn,
 * is damage: exit (zap_pte_range) and follow_page_get must never turn it
 * into a struct page (Linux's print_bad_pte). Its frame number would land
 * the struct page pointer in other memory, which exit would then "free". */
HTEST(swapout_bad_entry_is_never_a_struct_page)
{
	struct mm_struct *mm;
	struct swapdisk *d = swap_machine(&mm);
	struct page *p[2];

	map_filled(mm, p, 2, 91);
	pte_t good = pte_at(mm, BASE);
	CHECK(pte_valid_user(good));
	CHECK(pte_valid_user(__pte(pte_val(good) | _PAGE_NX)));
	/* a frame bit above pte_pfn's 32 (bit 44), a reserved bit (52), a
	 * frame at max_pfn: each names no frame of this machine */
	CHECK(!pte_valid_user(__pte(pte_val(good) | (1ULL << 44))));
	CHECK(!pte_valid_user(__pte(pte_val(good) | (1ULL << 52))));
	CHECK(!pte_valid_user(pfn_pte(max_pfn, PAGE_KERNEL)));
	CHECK(pte_valid_user(pfn_pte(max_pfn - 1, PAGE_KERNEL)));
	CHECK(follow_page_get(mm, BASE) == p[0]);
	put_page(p[0]);
	/* the second page's entry: its low word kept, reserved high bits set */
	pte_t *pte = user_pte_map(mm, BASE + PAGE_SIZE);
	CHECK(pte != NULL);
	if (!pte)
		return;
	pte_t bad = __pte(pte_val(ptep_get(pte)) | 0x07ffffff00000000ULL);
	((volatile u32 *)pte)[1] = (u32)(pte_val(bad) >> 32);
	pte_unmap(pte);
	CHECK(pte_present(pte_at(mm, BASE + PAGE_SIZE)));
	CHECK(!pte_valid_user(pte_at(mm, BASE + PAGE_SIZE)));
	CHECK(follow_page_get(mm, BASE + PAGE_SIZE) == NULL);
	int refs = page_count(p[1]);
	exit_mmap(mm); /* reports the bad entry and leaves it; frees the good page */
	CHECK_EQ(page_count(p[1]), refs); /* nothing was freed through the bad entry */
	/* the page that entry had named is still ours: its reference and rmap go here */
	page_remove_rmap(p[1]);
	put_page(p[1]);
	mmput(mm);
	swap_machine_end(d);
}
