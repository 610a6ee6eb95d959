/* test_vmalloc_area_vm.c - mm/vmalloc.c itself, hosted: its areas over the
 * simulated kernel PTEs and TLB (sim_vmalloc.c) on the 2 GB machine.
 * vmalloc addresses are not host addresses; tests reach the memory through
 * the simulated page tables (sim_kernel_va). */
#include "cmdline.h"
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"
#include "slab.h"
#include "vmalloc.h"

static unsigned long vm_start_free;

static void vm_boot_on(const struct sim_layout *l, const char *cmdline)
{
	sim_boot(l);
	sim_vmalloc_reset();
	cmdline_set(cmdline);
	kmem_cache_init();
	vmalloc_init();
	vm_start_free = vmalloc_free_bytes();
}

static void vm_boot(const char *cmdline) { vm_boot_on(&sim_2g, cmdline); }

static unsigned long ul(const void *p) { return (unsigned long)p; }

/* Free pages, counting what the slab caches hold as free: spare nodes and
 * empty slabs may stay there, and that is not a leak. */
static unsigned long free_now(void)
{
	drain_all_pages();
	return nr_free_pages() + slab_pages();
}

/* Every page back, no PTE left, all space free, no TLB error. */
static void check_all_back(unsigned long free_before)
{
	vm_unmap_aliases();
	CHECK_EQ(free_now(), free_before);
	CHECK_EQ(sim_kernel_mapped(VMALLOC_START, VMALLOC_END), 0);
	CHECK_EQ(vmalloc_free_bytes(), vm_start_free);
	CHECK_EQ(vmalloc_largest_free(), vm_start_free);
	CHECK_EQ(sim_tlb_errors, 0);
}

HTEST(vm_vmalloc_maps_highmem_pages_and_a_guard)
{
	vm_boot("");
	CHECK_EQ(vm_start_free, VMALLOC_END - VMALLOC_START);
	CHECK_EQ(vmalloc_total_kb(), (VMALLOC_END - VMALLOC_START) >> 10);
	unsigned long before = free_now();
	char *p = vmalloc(3 * PAGE_SIZE + 1);
	CHECK(p != NULL);
	CHECK(is_vmalloc_addr(p));
	CHECK_EQ(ul(p), VMALLOC_START); /* the lowest fit */
	CHECK_EQ(sim_kernel_mapped(ul(p), ul(p) + 5 * PAGE_SIZE), 4); /* 4 pages, then the guard */
	CHECK_EQ(vmalloc_used_kb(), 16);
	for (int i = 0; i < 4; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE + 7);
		CHECK(pg && PageHighMem(pg));
		CHECK_EQ(page_mapcount(pg), 0); /* a kernel alias: _mapcount is for page tables of mms */
		*(unsigned *)sim_kernel_va(ul(p) + i * PAGE_SIZE) = 0xc0de0000u + (unsigned)i;
		CHECK_EQ(*(unsigned *)sim_frame(page_to_pfn(pg)), 0xc0de0000u + (unsigned)i);
	}
	CHECK(vmalloc_to_page(p + 4 * PAGE_SIZE) == NULL); /* the guard page */
	char *q = vmalloc(PAGE_SIZE);
	CHECK_EQ(ul(q), ul(p) + 5 * PAGE_SIZE); /* right after p's guard page */
	vfree(p);
	vfree(q);
	CHECK_EQ(vmalloc_used_kb(), 0);
	vfree(NULL);
	check_all_back(before);
}

HTEST(vm_vmalloc_32_takes_lowmem_and_vzalloc_zeroes)
{
	vm_boot("");
	unsigned long before = free_now();
	char *p = vmalloc_32(8 * PAGE_SIZE);
	for (int i = 0; i < 8; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE);
		CHECK(pg && !PageHighMem(pg));
		memset(sim_kernel_va(ul(p) + i * PAGE_SIZE), 0xaa, PAGE_SIZE);
	}
	vfree(p);
	vm_unmap_aliases();
	char *z = vzalloc(8 * PAGE_SIZE);
	for (int i = 0; i < 8; i++) {
		unsigned char *b = sim_kernel_va(ul(z) + i * PAGE_SIZE);
		CHECK(b[0] == 0 && b[PAGE_SIZE - 1] == 0);
	}
	vfree(z);
	check_all_back(before);
}

HTEST(vm_lazy_flush_counts)
{
	vm_boot("vmap_lazy=64K"); /* 16 pages */
	CHECK_EQ(vmap_lazy_max_pages, 16);
	unsigned long before = free_now();
	void *p[8];
	for (int i = 0; i < 8; i++)
		p[i] = vmalloc(PAGE_SIZE); /* 2 pages each with the guard */
	for (int i = 0; i < 7; i++)
		vfree(p[i]);
	CHECK_EQ(vmap_lazy_pages, 14);
	CHECK_EQ(vmap_purge_count, 0);
	CHECK_EQ(sim_tlb_flushes, 0);
	CHECK_EQ(sim_kernel_stale(VMALLOC_START, VMALLOC_END), 7); /* unmapped, not flushed */
	CHECK_EQ(vmalloc_free_bytes(), vm_start_free - 16 * PAGE_SIZE); /* not reusable yet */
	vfree(p[7]); /* reaches 16 */
	CHECK_EQ(vmap_purge_count, 1);
	CHECK_EQ(sim_tlb_flushes, 1);
	CHECK_EQ(vmap_lazy_pages, 0);
	CHECK_EQ(sim_last_flush_start, VMALLOC_START); /* one flush over the union */
	CHECK_EQ(sim_last_flush_end, VMALLOC_START + 16 * PAGE_SIZE);
	CHECK_EQ(sim_kernel_stale(VMALLOC_START, VMALLOC_END), 0);
	vm_unmap_aliases(); /* nothing pending: no flush */
	CHECK_EQ(sim_tlb_flushes, 1);
	check_all_back(before);
}

HTEST(vm_bad_lazy_option_is_ignored)
{
	vm_boot("vmap_lazy=lots");
	CHECK(htest_log_contains("vmap_lazy=lots ignored"));
	CHECK_EQ(vmap_lazy_max_pages, (8UL << 20) >> PAGE_SHIFT);
	vm_boot("vmap_lazy=0");
	CHECK_EQ(vmap_lazy_max_pages, 0);
	void *p = vmalloc(PAGE_SIZE);
	vfree(p); /* flushed at once */
	CHECK_EQ(vmap_purge_count, 1);
}

/* A freed range is never handed out again before its flush: random traffic
 * with the TLB model watching every mapping. */
HTEST(vm_random_traffic_never_maps_a_stale_page)
{
	unsigned long seed = 0x5eed;
	void *live[64] = { 0 };

	vm_boot("vmap_lazy=256K");
	unsigned long before = free_now();
	for (int op = 0; op < 3000; op++) {
		int k = (int)(sim_rand(&seed) % 64);
		if (live[k]) {
			vfree(live[k]);
			live[k] = NULL;
		} else {
			live[k] = vmalloc((1 + sim_rand(&seed) % 24) * PAGE_SIZE);
			CHECK(live[k] != NULL);
		}
	}
	CHECK(vmap_purge_count > 10);
	CHECK_EQ(sim_tlb_errors, 0);
	for (int k = 0; k < 64; k++)
		vfree(live[k]);
	check_all_back(before);
}

/* Fill the space with vmaps of one page (no memory needed), until the
 * allocator gives up and says how to get more. */
HTEST(vm_exhaustion_reports_and_recovers)
{
	static struct page *pages[1024];
	static void *areas[4096];
	int n = 0;

	vm_boot("");
	unsigned long before = free_now();
	struct page *pg = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 1024; i++)
		pages[i] = pg;
	for (unsigned count = 1024; count; count /= 2)
		while (n < 4096 && (areas[n] = vmap(pages, count, VM_MAP, PAGE_KERNEL)))
			n++;
	CHECK(n < 4096);
	CHECK(vmalloc_largest_free() < 2 * PAGE_SIZE); /* not even one page and its guard */
	CHECK(htest_log_contains("vmap allocation for size 8192 failed: use vmalloc=<size> "
				 "to increase size"));
	htest_log_clear();
	CHECK(vmalloc(PAGE_SIZE) == NULL);
	CHECK(htest_log_contains("vmap allocation for size 8192 failed"));
	CHECK(sim_kernel_mapped(VMALLOC_START, VMALLOC_END) > 1024); /* one page, many aliases */
	CHECK_EQ(page_mapcount(pg), 0); /* none of which _mapcount counts */
	/* a freed area waits for its flush; an allocation that needs it purges */
	vunmap(areas[0]);
	CHECK_EQ(vmap_purge_count, 0);
	areas[0] = vmap(pages, 1024, VM_MAP, PAGE_KERNEL);
	CHECK(areas[0] != NULL);
	CHECK_EQ(vmap_purge_count, 1);
	for (int i = 0; i < n; i++)
		vunmap(areas[i]);
	CHECK_EQ(page_mapcount(pg), 0);
	__free_page(pg);
	check_all_back(before);
}

HTEST(vm_too_big_and_zero_sizes)
{
	vm_boot("");
	unsigned long before = free_now();
	CHECK(vmalloc(200UL << 20) == NULL); /* fits in RAM, not in the space */
	CHECK(htest_log_contains("vmap allocation for size 209719296 failed"));
	CHECK(vmalloc(~0UL - 100) == NULL);
	CHECK(htest_log_contains("exceeds total pages"));
	CHECK(vmalloc(0) == NULL);
	CHECK(vmap(NULL, 0, VM_MAP, PAGE_KERNEL) == NULL);
	check_all_back(before);
}

/* The 4 MB machine runs out of pages halfway through: what was taken goes
 * back, and so does the range (after its flush: its PTEs were live). */
HTEST(vm_out_of_memory_halfway_gives_everything_back)
{
	vm_boot_on(&sim_tiny, "");
	unsigned long before = free_now();
	CHECK(vmalloc(totalram_pages() * PAGE_SIZE) == NULL);
	CHECK(htest_log_contains("vmalloc error: size "));
	CHECK(htest_log_contains(", failed to allocate pages (caller "));
	CHECK_EQ(vmalloc_used_kb(), 0);
	CHECK_EQ(vmap_lazy_pages, totalram_pages() + 1);
	check_all_back(before);
}

HTEST(vm_misuse_is_reported_and_changes_nothing)
{
	vm_boot("");
	char *p = vmalloc(2 * PAGE_SIZE);
	struct page *pg = alloc_page(GFP_HIGHUSER);
	void *m = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	unsigned long reports = vmalloc_reports, free = free_now();

	vfree(p + PAGE_SIZE);
	CHECK(htest_log_contains("Trying to vfree() nonexistent vm area"));
	CHECK(htest_log_contains("is inside area"));
	vfree(p + 2 * PAGE_SIZE);
	CHECK(htest_log_contains("is in the guard page of area"));
	vfree(m);
	CHECK(htest_log_contains("was made by vmap(), use vunmap()"));
	vunmap(p);
	CHECK(htest_log_contains("was made by vmalloc(), use vfree()"));
	vfree((void *)0x1234);
	CHECK(htest_log_contains("Trying to vfree() bad address"));
	vfree(p + 1);
	CHECK_EQ(vmalloc_reports, reports + 6);
	CHECK_EQ(free_now(), free);
	CHECK_EQ(sim_kernel_mapped(VMALLOC_START, VMALLOC_END), 3);
	vfree(p);
	htest_log_clear();
	vfree(p); /* the second vfree: still waiting for its flush */
	CHECK(htest_log_contains("Trying to vfree() nonexistent vm area"));
	CHECK(htest_log_contains("already freed (use after vfree)"));
	vm_unmap_aliases();
	vfree(p); /* and after it */
	CHECK(htest_log_contains("in unallocated vmalloc space"));
	CHECK_EQ(vmalloc_reports, reports + 8);
	struct page *bad[2] = { pg, NULL };
	CHECK(vmap(bad, 2, VM_MAP, PAGE_KERNEL) == NULL);
	CHECK_EQ(vmalloc_reports, reports + 9);
	vunmap(m);
	__free_page(pg);
	CHECK_EQ(sim_tlb_errors, 0);
}

HTEST(vm_vmallocinfo_and_explain)
{
	vm_boot("vmap_lazy=1M");
	char *p = vmalloc(4 * PAGE_SIZE);
	struct page *pg = alloc_page(GFP_HIGHUSER);
	char *m = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	char *gone = vmalloc(PAGE_SIZE);
	char line[160];

	vfree(gone);
	htest_log_clear();
	show_vmallocinfo();
	snprintf(line, sizeof(line), "0x%08lx-0x%08lx   20480 ", ul(p), ul(p) + 5 * PAGE_SIZE);
	CHECK(htest_log_contains(line));
	CHECK(htest_log_contains(" pages=4 vmalloc\n"));
	snprintf(line, sizeof(line), "0x%08lx-0x%08lx    8192 ", ul(m), ul(m) + 2 * PAGE_SIZE);
	CHECK(htest_log_contains(line));
	CHECK(htest_log_contains(" pages=1 vmap\n"));
	snprintf(line, sizeof(line), "0x%08lx-0x%08lx    8192 unpurged vm_area\n", ul(gone),
		 ul(gone) + 2 * PAGE_SIZE);
	CHECK(htest_log_contains(line));
	CHECK(strstr(htest_log(), "pages=4 vmalloc") < strstr(htest_log(), "pages=1 vmap"));

	htest_log_clear();
	CHECK(vmalloc_explain_fault(ul(p) + 4 * PAGE_SIZE + 8));
	snprintf(line, sizeof(line), "vmalloc: 0x%08lx is in the guard page of area 0x%08lx-0x%08lx "
		 "(16384 bytes) allocated by ", ul(p) + 4 * PAGE_SIZE + 8, ul(p), ul(p) + 4 * PAGE_SIZE);
	CHECK(htest_log_contains(line));
	CHECK(vmalloc_explain_fault(ul(m)));
	CHECK(htest_log_contains("(4096 bytes, vmap) allocated by"));
	CHECK(vmalloc_explain_fault(VMALLOC_END - PAGE_SIZE));
	CHECK(htest_log_contains("is in unallocated vmalloc space"));
	CHECK(!vmalloc_explain_fault(PAGE_OFFSET));
	CHECK(!vmalloc_explain_fault(VMALLOC_END));
	vfree(p);
	vunmap(m);
	__free_page(pg);
}

HTEST(vm_kvmalloc_picks_kmalloc_or_vmalloc)
{
	vm_boot("");
	unsigned long before = free_now();
	void *small = kvmalloc(100, GFP_KERNEL);
	void *mid = kvmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	void *big = kvzalloc(64 * PAGE_SIZE, GFP_KERNEL);
	void *atomic = kvmalloc(64 * PAGE_SIZE, GFP_ATOMIC);
	CHECK(small && !is_vmalloc_addr(small));
	CHECK(mid && !is_vmalloc_addr(mid));
	CHECK(big && is_vmalloc_addr(big));
	CHECK(atomic && !is_vmalloc_addr(atomic)); /* cannot sleep: kmalloc only */
	CHECK(PageHighMem(vmalloc_to_page(big)));
	CHECK_EQ(*(unsigned *)sim_kernel_va(ul(big) + 63 * PAGE_SIZE), 0);
	kvfree(small);
	kvfree(mid);
	kvfree(big);
	kvfree(atomic);
	kvfree(NULL);
	check_all_back(before);
}
