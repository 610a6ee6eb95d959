/* fuzz_buddy.c - sequences of page allocator operations (mm/page_alloc.c)
 * on a small simulated machine, with check_free_areas() as the oracle.
 *
 * Input: byte 0 picks the layout (sim_tiny: 4 MB, all DMA; sim_holes: 64 MB
 * with holes and all three zones). Then one op per byte (+ argument bytes):
 *   alloc  order (biased small), gfp (DMA / KERNEL / ATOMIC / NOWAIT /
 *          HIGHUSER, __GFP_ZERO or not), on the current CPU
 *   free   one live block (picked by a byte), on the current CPU
 *   cpu    switch host_cpu_id (per-CPU page lists)
 *   drain  drain_all_pages()
 * Checked: every block is aligned to its order, lies in free RAM of the
 * layout (not a hole, not kept by boot), overlaps no other live block, sits
 * in a zone the flags allow; __GFP_ZERO blocks are zero (first and last
 * word of every page); check_free_areas() == 0 every 8 ops; and after
 * freeing everything and draining, the allocator's state (free pages and
 * per-order counts per zone) is exactly what it was after boot. */
#include "arch.h"
#include "fuzz_common.h"
#include "gfp.h"
#include "mmzone.h"
#include "sim_mm.h"

#define MAXLIVE 256
#define MAXPFN 0x4000 /* sim_holes */

static struct {
	struct page *page;
	unsigned order;
	unsigned long tag;
} live[MAXLIVE];
static unsigned nlive;
static unsigned char owned[MAXPFN];
static const struct sim_layout *layout;

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL | GFP_DMA, GFP_ATOMIC | GFP_DMA,
	GFP_HIGHUSER, GFP_ATOMIC | __GFP_HIGHMEM, GFP_NOWAIT | __GFP_HIGHMEM,
};

static void check_all(const char *when)
{
	int bad = check_free_areas();

	FZ_ASSERT(bad == 0, "check_free_areas() = %d %s", bad, when);
}

static void do_alloc(struct fz *f)
{
	uint8_t a = fz_u8(f), b = fz_u8(f);
	unsigned order = a & 0x80 ? a % MAX_ORDER : a % 3;
	gfp_t gfp = gfps[b % ARRAY_SIZE(gfps)] | __GFP_NOWARN;

	if (b & 0x80)
		gfp |= __GFP_ZERO;
	if (nlive == MAXLIVE)
		return;
	struct page *p = alloc_pages(gfp, order);
	if (!p)
		return;
	unsigned long pfn = page_to_pfn(p), n = 1ul << order;
	FZ_ASSERT((pfn & (n - 1)) == 0, "pfn 0x%lx not aligned to order %u", pfn, order);
	FZ_ASSERT(pfn + n <= layout->max_pfn, "pfn 0x%lx order %u past max_pfn", pfn, order);
	FZ_ASSERT(sim_free_pages(layout, pfn, pfn + n) == n,
		  "pfn 0x%lx order %u covers a hole or a reserved page", pfn, order);
	enum zone_type z = page_zonenum(p);
	if (gfp & __GFP_DMA)
		FZ_ASSERT(z == ZONE_DMA, "GFP_DMA got zone %d (pfn 0x%lx)", z, pfn);
	else if (!(gfp & __GFP_HIGHMEM))
		FZ_ASSERT(z != ZONE_HIGHMEM, "lowmem request got HighMem (pfn 0x%lx)", pfn);
	for (unsigned long i = 0; i < n; i++) {
		FZ_ASSERT(!owned[pfn + i], "pfn 0x%lx handed out twice", pfn + i);
		owned[pfn + i] = 1;
		unsigned long *w = sim_frame(pfn + i);
		if (gfp & __GFP_ZERO)
			FZ_ASSERT(w[0] == 0 && w[PAGE_SIZE / sizeof(long) - 1] == 0,
				  "__GFP_ZERO pfn 0x%lx not zeroed", pfn + i);
		/* a tag in each page, checked on free: nobody else wrote here */
		w[0] = pfn + i;
		w[PAGE_SIZE / sizeof(long) - 1] = ~(pfn + i);
	}
	live[nlive].page = p;
	live[nlive].order = order;
	nlive++;
}

static void free_one(unsigned i)
{
	struct page *p = live[i].page;
	unsigned long pfn = page_to_pfn(p), n = 1ul << live[i].order;

	for (unsigned long k = 0; k < n; k++) {
		unsigned long *w = sim_frame(pfn + k);
		FZ_ASSERT(w[0] == pfn + k && w[PAGE_SIZE / sizeof(long) - 1] == ~(pfn + k),
			  "pfn 0x%lx changed while allocated", pfn + k);
		owned[pfn + k] = 0;
	}
	__free_pages(p, live[i].order);
	live[i] = live[--nlive];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_snapshot boot, now;
	struct fz f = { data, size };
	unsigned ops = 0;

	if (size > 4096)
		return 0;
	layout = fz_u8(&f) & 1 ? &sim_holes : &sim_tiny;
	sim_boot(layout);
	htest_log_clear();
	drain_all_pages();
	sim_snapshot(&boot);
	check_all("after boot");
	nlive = 0;
	memset(owned, 0, sizeof(owned));

	while (f.n) {
		uint8_t op = fz_u8(&f);

		switch (op % 8) {
		case 0: case 1: case 2: case 3:
			do_alloc(&f);
			break;
		case 4: case 5:
			if (nlive)
				free_one(fz_u8(&f) % nlive);
			break;
		case 6:
			host_cpu_id = fz_u8(&f) % 4;
			break;
		case 7:
			drain_all_pages();
			break;
		}
		if (++ops % 8 == 0)
			check_all("during the run");
	}
	check_all("at the end of the ops");
	while (nlive)
		free_one(nlive - 1);
	for (unsigned c = 0; c < 4; c++) {
		host_cpu_id = c;
		drain_all_pages();
	}
	host_cpu_id = 0;
	check_all("after freeing everything");
	sim_snapshot(&now);
	FZ_ASSERT(sim_snapshot_equal(&boot, &now), "leak: allocator state differs from boot");
	return 0;
}
