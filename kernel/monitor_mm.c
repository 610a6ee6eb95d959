/* monitor_mm.c - monitor commands that show where kernel memory comes
 * from: the temporary mappings (kmap_atomic, kmap_local), the three
 * allocators a driver would call (kmalloc, vmalloc, kvmalloc) and `fill`,
 * which takes a zone down to a watermark so that its effect can be watched.
 *
 * What the monitor holds is remembered here, so that only it can be freed
 * or unmapped: a page freed or unmapped by someone else's address would
 * corrupt the allocator (the same rule as `alloc`/`free` in monitor_cmds.c).
 *
 * kmap_atomic cannot be held across a prompt: it disables preemption until
 * kunmap_atomic, and the monitor yields while it waits for keys (sleeping
 * with preemption off is a bug the kernel reports). So `kmap_atomic` maps,
 * shows, and unmaps in one command; `kmap_local` is the one to hold. */
#include "arch.h"
#include "highmem.h"
#include "kstring.h"
#include "layout.h"
#include "machine.h"
#include "mmzone.h"
#include "monitor.h"
#include "monitor_internal.h"
#include "pgtable.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"
#include "watermark_explain.h"

/* ---- kmap_atomic / kmap_local ------------------------------------------ */

/* The monitor's kmap_local mappings, oldest first (a stack, like the slots). */
static struct { struct page *page; void *va; } local_held[KM_MAX_IDX];
static int nr_local;

/* Which fixmap slot va is on cpu's stack (-1: not a kmap slot of cpu). */
static int slot_of(unsigned cpu, void *va)
{
	for (int i = 0; i < KM_MAX_IDX; i++)
		if (kmap_ctrl[cpu].addr[i + 1] == va && i < kmap_ctrl[cpu].idx) /* addr[0]: a guard */
			return i;
	return -1;
}

int cmd_kmap_atomic(int argc, char **argv)
{
	struct page *p = owned_page("kmap_atomic", argc, argv);

	if (!p)
		return -1;
	if (!PageHighMem(p)) {
		void *va = kmap_atomic(p);
		kunmap_atomic(va);
		printk("kmap_atomic pfn %#lx -> %p: lowmem, its direct-map address; no slot used "
		       "(preemption was off in between all the same)\n", page_to_pfn(p), va);
		return 0;
	}
	unsigned cpu = arch_cpu_id();
	void *va = kmap_atomic(p); /* preemption off from here ... */
	if (!va) {
		printk("kmap_atomic: refused: CPU %u's %d slots are all in use\n", cpu, KM_MAX_IDX);
		return -1;
	}
	int slot = slot_of(cpu, va), depth = kmap_atomic_depth();
	printk("kmap_atomic pfn %#lx -> %p: CPU %u slot %d (fixmap index %u), stack depth %d of "
	       "%d, preemption off:\n", page_to_pfn(p), va, cpu, slot,
	       kmap_ctrl[cpu].slot_base + (unsigned)slot, depth, KM_MAX_IDX);
	machine_show_pagewalk((unsigned long)va);
	kunmap_atomic(va); /* ... to here */
	pte_t *pte = virt_to_kpte((unsigned long)va);
	bool still = pte && pte_present(ptep_get(pte));
	printk("kunmap_atomic: PTE cleared (%s), one local invlpg, stack depth %d, preemption "
	       "on again.\n", still ? "STILL PRESENT: a bug" : "not present now",
	       kmap_atomic_depth());
	printk("(the monitor cannot keep a kmap_atomic across a prompt: it waits for keys by "
	       "yielding, and nothing may sleep or yield with preemption off; `kmap_local PFN` "
	       "holds a mapping that belongs to this task instead)\n");
	return 0;
}

int cmd_kmap_local(int argc, char **argv)
{
	struct page *p = owned_page("kmap_local", argc, argv);

	if (!p)
		return -1;
	if (nr_local == KM_MAX_IDX || (PageHighMem(p) && kmap_atomic_depth() >= KM_MAX_IDX)) {
		printk("kmap_local: refused: this CPU's %d slots are all in use (`kunmap_local` "
		       "frees the newest)\n", KM_MAX_IDX);
		return -1;
	}
	void *va = kmap_local_page(p);
	if (!va) {
		printk("kmap_local: refused: no slot (see the report above)\n");
		return -1;
	}
	local_held[nr_local].page = p;
	local_held[nr_local++].va = va;
	if (!PageHighMem(p)) {
		printk("kmap_local pfn %#lx -> %p: lowmem, its direct-map address; no slot used\n",
		       page_to_pfn(p), va);
		return 0;
	}
	unsigned cpu = arch_cpu_id();
	printk("kmap_local pfn %#lx -> %p: CPU %u slot %d, stack depth %d of %d; held by task "
	       "%s (pid %d), preemption stays on:\n", page_to_pfn(p), va, cpu, slot_of(cpu, va),
	       kmap_atomic_depth(), KM_MAX_IDX, current_comm(), current->pid);
	machine_show_pagewalk((unsigned long)va);
	printk("(unlike kmap_atomic the mapping belongs to the task: when the scheduler switches "
	       "away it saves and clears the slot, and puts it back when %s runs again; "
	       "`cpus` and `kmaps` show the slot in use; `kunmap_local` drops it)\n",
	       current_comm());
	return 0;
}

int cmd_kunmap_local(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!nr_local) {
		printk("kunmap_local: this monitor holds no kmap_local mapping\n");
		return -1;
	}
	struct page *p = local_held[nr_local - 1].page;
	void *va = local_held[--nr_local].va;
	kunmap_local(va);
	printk("kunmap_local %p (pfn %#lx): %s; stack depth %d\n", va, page_to_pfn(p),
	       PageHighMem(p) ? "slot freed, PTE cleared" : "lowmem, nothing to undo",
	       kmap_atomic_depth());
	return 0;
}

int monitor_kmap_local_held(void) { return nr_local; }

int cmd_kmaps(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk("kmap_atomic/kmap_local slots: %d per CPU, a stack each (other CPUs are read "
	       "without stopping them)\n", KM_MAX_IDX);
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!sched_cpu_online(cpu))
			continue;
		int depth = kmap_ctrl[cpu].idx;
		printk("  CPU %u: %d of %d in use%s\n", cpu, depth, KM_MAX_IDX,
		       cpu == arch_cpu_id() ? " (this CPU: the monitor's)" : "");
		for (int i = 0; i < depth && i < KM_MAX_IDX; i++) {
			unsigned long va = (unsigned long)kmap_ctrl[cpu].addr[i + 1]; /* addr[0]: a guard */
			pte_t *pte = virt_to_kpte(va);
			bool mapped = pte && pte_present(ptep_get(pte));
			unsigned long pfn = mapped ? pte_pfn(ptep_get(pte)) : 0;
			const char *who = "";
			for (int k = 0; k < nr_local && cpu == arch_cpu_id(); k++)
				if ((unsigned long)local_held[k].va == va)
					who = " (the monitor's kmap_local)";
			if (mapped)
				printk("    slot %2d %#010lx -> pfn %#lx%s\n", i, va, pfn, who);
			else
				printk("    slot %2d %#010lx not mapped%s\n", i, va, who);
		}
	}
	return 0;
}

/* ---- kmalloc, vmalloc, kvmalloc ------------------------------------------ */

enum kind { KMALLOC, VMALLOC, KVMALLOC };
static const char *const kind_name[] = { "kmalloc", "vmalloc", "kvmalloc" };
static struct { void *p; unsigned long size; enum kind kind; } held[32];

static int remember(void *p, unsigned long size, enum kind k)
{
	for (unsigned i = 0; i < ARRAY_SIZE(held); i++) {
		if (!held[i].p) {
			held[i].p = p;
			held[i].size = size;
			held[i].kind = k;
			return 0;
		}
	}
	return -1;
}

static int size_arg(const char *cmd, int argc, char **argv, unsigned long *size)
{
	if (need_number(cmd, "SIZE", argc > 1 ? argv[1] : NULL, size))
		return -1;
	if (!*size) {
		printk("%s: SIZE 0 gives ZERO_SIZE_PTR, nothing to show\n", cmd);
		return -1;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(held); i++)
		if (!held[i].p)
			return 0;
	printk("%s: this monitor already holds %u allocations: free some first\n", cmd,
	       (unsigned)ARRAY_SIZE(held));
	return -1;
}

/* Where a kmalloc object lives: its cache and slab page, or its pages. */
static void describe_kmalloc(void *p, unsigned long size)
{
	struct kmem_cache *s = kmalloc_slab(size, GFP_KERNEL);
	struct page *pg = virt_to_page(p);

	if (s) {
		struct kmem_cache_info info;
		kmem_cache_get_info(s, &info);
		printk("  from cache %s: objects of %u bytes (%lu bytes of slack), %u per slab of %u "
		       "page(s); this slab page pfn %#lx, zone %s\n", kmem_cache_name(s), info.objsize,
		       info.objsize - size, info.objperslab, info.pagesperslab, page_to_pfn(pg),
		       page_zone(pg)->name);
	} else {
		printk("  larger than the biggest kmalloc cache (%d): a whole block of %lu page(s) "
		       "from alloc_pages, pfn %#lx, zone %s\n", KMALLOC_MAX_CACHE_SIZE,
		       (unsigned long)(ksize(p) >> PAGE_SHIFT), page_to_pfn(pg), page_zone(pg)->name);
	}
	printk("  lowmem, physically contiguous, in the direct map: __pa = %#lx, no page table "
	       "to set up, no TLB flush to free it\n", (unsigned long)p - PAGE_OFFSET);
}

/* Where a vmalloc area's pages came from: count per zone, list the first. */
static void describe_vmalloc(void *p, unsigned long size)
{
	unsigned long pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT, per_zone[MAX_NR_ZONES] = { 0 };

	for (unsigned long i = 0; i < pages; i++) {
		struct page *pg = vmalloc_to_page((char *)p + i * PAGE_SIZE);
		if (pg)
			per_zone[page_zonenum(pg)]++;
		if (pg && i < 4)
			printk("  page %lu: %#lx -> pfn %#lx (%s)\n", i,
			       (unsigned long)p + i * PAGE_SIZE, page_to_pfn(pg), page_zone(pg)->name);
	}
	if (pages > 4)
		printk("  ...\n");
	printk("  %lu page(s): %lu HighMem, %lu Normal, %lu DMA, taken one at a time (HighMem "
	       "first: vmalloc memory needs no lowmem); then a guard page at %#lx, unmapped\n",
	       pages, per_zone[ZONE_HIGHMEM], per_zone[ZONE_NORMAL], per_zone[ZONE_DMA],
	       (unsigned long)p + pages * PAGE_SIZE);
	printk("  virtually contiguous only: each page has its own PTE in the vmalloc area "
	       "(`pagewalk %#lx`); vfree unmaps them and flushes the TLB lazily\n",
	       (unsigned long)p);
}

int cmd_kmalloc(int argc, char **argv)
{
	unsigned long size;

	if (size_arg("kmalloc", argc, argv, &size))
		return -1;
	void *p = kmalloc(size, GFP_KERNEL);
	if (!p) {
		printk("kmalloc(%lu): failed (see the report above)\n", size);
		return -1;
	}
	remember(p, size, KMALLOC);
	printk("kmalloc(%lu) = %p\n", size, p);
	describe_kmalloc(p, size);
	return 0;
}

int cmd_vmalloc(int argc, char **argv)
{
	unsigned long size;

	if (size_arg("vmalloc", argc, argv, &size))
		return -1;
	void *p = vmalloc(size);
	if (!p) {
		printk("vmalloc(%lu): failed (see the report above)\n", size);
		return -1;
	}
	remember(p, size, VMALLOC);
	printk("vmalloc(%lu) = %p, in the vmalloc area %#lx-%#lx\n", size, p, VMALLOC_START,
	       VMALLOC_END);
	describe_vmalloc(p, size);
	return 0;
}

int cmd_kvmalloc(int argc, char **argv)
{
	unsigned long size;

	if (size_arg("kvmalloc", argc, argv, &size))
		return -1;
	void *p = kvmalloc(size, GFP_KERNEL);
	if (!p) {
		printk("kvmalloc(%lu): failed (see the report above)\n", size);
		return -1;
	}
	remember(p, size, KVMALLOC);
	bool v = is_vmalloc_addr(p);
	printk("kvmalloc(%lu) = %p: %s, because %s\n", size, p, v ? "vmalloc" : "kmalloc",
	       size <= PAGE_SIZE ? "up to a page it is kmalloc only (if that failed, vmalloc "
				   "would too)" :
	       size <= 8 * PAGE_SIZE ? (v ? "kmalloc of up to 8 pages was tried quietly and "
					    "failed, so it fell back to vmalloc" :
					    "up to 8 pages kmalloc is tried first (quietly), and it "
					    "succeeded") :
	       "beyond 8 pages it goes straight to vmalloc: a high-order lowmem block is the "
	       "scarcest thing on a HIGHMEM machine");
	if (v)
		describe_vmalloc(p, size);
	else
		describe_kmalloc(p, size);
	return 0;
}

/* Free what the monitor allocated with `kind` at argv[1]. */
static int free_held(const char *cmd, enum kind kind, int argc, char **argv)
{
	unsigned long a;

	if (need_number(cmd, "ADDR", argc > 1 ? argv[1] : NULL, &a))
		return -1;
	for (unsigned i = 0; i < ARRAY_SIZE(held); i++) {
		if (!held[i].p || (unsigned long)held[i].p != a)
			continue;
		if (held[i].kind != kind) {
			printk("%s: refused: %#lx came from %s: use %s\n", cmd, a,
			       kind_name[held[i].kind], held[i].kind == KMALLOC ? "kfree" :
			       held[i].kind == VMALLOC ? "vfree" : "kvfree");
			return -1;
		}
		if (kind == KMALLOC)
			kfree(held[i].p);
		else if (kind == VMALLOC)
			vfree(held[i].p);
		else
			kvfree(held[i].p);
		held[i].p = NULL;
		printk("%s %#lx: done (%lu bytes)\n", cmd, a, held[i].size);
		return 0;
	}
	printk("%s: refused: %#lx is not something this monitor's %s returned\n", cmd, a,
	       kind_name[kind]);
	return -1;
}

int cmd_kfree(int argc, char **argv) { return free_held("kfree", KMALLOC, argc, argv); }
int cmd_vfree(int argc, char **argv) { return free_held("vfree", VMALLOC, argc, argv); }
int cmd_kvfree(int argc, char **argv) { return free_held("kvfree", KVMALLOC, argc, argv); }

/* ---- fill: a zone down to a watermark -------------------------------------- */

/* The pages `fill` took, linked through page->lru (free for the owner of an
 * allocated page to use): one list per order, so each block is freed with
 * the order it was allocated with. No limit but the zone itself. */
static struct list_head filled[MAX_ORDER];
static unsigned long filled_pages[MAX_NR_ZONES];
static bool filled_init;

static int zone_arg(const char *s)
{
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zones[i].name && !strcmp(s, zones[i].name))
			return i;
	if (!strcmp(s, "dma"))
		return ZONE_DMA;
	if (!strcmp(s, "normal"))
		return ZONE_NORMAL;
	if (!strcmp(s, "high") || !strcmp(s, "highmem"))
		return ZONE_HIGHMEM;
	return -1;
}

static void fill_release(void)
{
	unsigned long n = 0;

	for (unsigned o = 0; o < MAX_ORDER && filled_init; o++) {
		while (!list_empty(&filled[o])) {
			struct page *p = list_entry(filled[o].next, struct page, lru);
			list_del(&p->lru);
			__free_pages(p, o);
			n += 1UL << o;
		}
	}
	for (int z = 0; z < MAX_NR_ZONES; z++)
		filled_pages[z] = 0;
	printk("fill release: %lu page(s) given back\n", n);
}

/* Take blocks from zone z (largest first) while it stays at or above
 * target free pages; a block from another zone goes straight back. */
static unsigned long fill_zone(int z, gfp_t gfp, long target)
{
	struct zone *zone = &zones[z];
	unsigned long taken = 0;

	for (int o = MAX_ORDER - 1; o >= 0; o--) {
		while ((long)__atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED) - (1L << o) >= target) {
			struct page *p = alloc_pages(gfp | __GFP_NOWARN, (unsigned)o);
			if (!p)
				break;
			if (page_zone(p) != zone) {
				__free_pages(p, (unsigned)o);
				break;
			}
			list_add(&p->lru, &filled[o]);
			taken += 1UL << o;
		}
	}
	return taken;
}

int cmd_fill(int argc, char **argv)
{
	static const char *const marks[] = { "min", "low", "high" };

	if (!filled_init) {
		for (unsigned o = 0; o < MAX_ORDER; o++)
			INIT_LIST_HEAD(&filled[o]);
		filled_init = true;
	}
	if (argc == 2 && !strcmp(argv[1], "release")) {
		fill_release();
		return 0;
	}
	int z = argc == 3 ? zone_arg(argv[1]) : -1;
	int m = -1;
	for (int i = 0; argc == 3 && i < NR_WMARK; i++)
		if (!strcmp(argv[2], marks[i]))
			m = i;
	if (z < 0 || m < 0) {
		printk("fill: usage: fill DMA|Normal|HighMem min|low|high, or fill release\n");
		return -1;
	}
	struct zone *zone = &zones[z];
	if (!zone->managed_pages) {
		printk("fill: zone %s is empty at this RAM size\n", zone->name);
		return -1;
	}
	gfp_t gfp = z == ZONE_DMA ? GFP_DMA : z == ZONE_HIGHMEM ? GFP_HIGHUSER : GFP_KERNEL;
	long mark = (long)zone->watermark[m];
	unsigned long before = __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED);
	unsigned long taken = fill_zone(z, gfp, mark);
	filled_pages[z] += taken;
	unsigned long now = __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED);
	printk("fill %s %s: took %lu page(s): free %lu -> %lu; watermarks min %lu low %lu high "
	       "%lu; the monitor holds %lu page(s) of %s (`fill release` gives them back)\n",
	       zone->name, marks[m], taken, before, now, zone->watermark[WMARK_MIN],
	       zone->watermark[WMARK_LOW], zone->watermark[WMARK_HIGH], filled_pages[z],
	       zone->name);
	if ((long)now > mark + 1)
		printk("fill: stopped above the mark: the allocator refused first:\n");
	if (m == WMARK_MIN || (long)now > mark + 1) {
		char why[256];
		zone_explain(zone, 0, gfp, z, why, sizeof(why));
		printk("next order-0 request for %s: %s\n", zone->name, why);
	} else if (m == WMARK_LOW) {
		printk("at low: the next allocation takes the slow path, which wakes kswapd to "
		       "reclaim up to high (the monitor's pages are not on an LRU list), and goes on "
		       "down to min\n");
	} else {
		printk("at high: where kswapd would stop reclaiming; allocations go on down to min\n");
	}
	return 0;
}
