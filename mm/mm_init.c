/* mm_init.c - from memblock to a running buddy allocator, with the boot
 * lines Linux prints on the way (Zone ranges, Early memory node ranges,
 * Memory:, and the virtual kernel memory layout that Linux dropped). */
#include "arch.h"
#include "highmem.h"
#include "kstring.h"
#include "layout.h"
#include "memblock.h"
#include "mm_init.h"
#include "rmap.h"
#include "mm_types.h"
#include "mmzone.h"
#include "panic.h"
#include "printk.h"
#include "slab.h"
#include "vmalloc.h"

u64 memmap_init_cycles;

void memblock_add_e820(const struct e820_table *map, unsigned long max_pfn_limit)
{
	phys_addr_t limit = PFN_PHYS(max_pfn_limit);

	for (u32 i = 0; i < map->nr; i++) {
		const struct e820_entry *e = &map->map[i];
		if (e->type != E820_USABLE)
			continue;
		phys_addr_t start = ALIGN_UP(e->addr, (phys_addr_t)PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(e->addr + e->size, (phys_addr_t)PAGE_SIZE);
		if (end > limit)
			end = limit;
		if (start < end)
			memblock_add(start, end - start);
	}
}

static void print_zone_range(const char *name, unsigned long start, unsigned long end)
{
	if (start >= end)
		pr_info("  %-8s empty\n", name);
	else
		pr_info("  %-8s [mem %#018llx-%#018llx]\n", name, PFN_PHYS(start),
			PFN_PHYS(end) - 1);
}

/* Zone boundaries from max_low_pfn and max_pfn, printed like Linux. DMA
 * starts at pfn 1 in the printout: page 0 is never RAM to the allocator. */
static void zone_sizes_init(void)
{
	unsigned long end[MAX_NR_ZONES];

	end[ZONE_DMA] = MIN(MAX_DMA_PFN, max_low_pfn);
	end[ZONE_NORMAL] = max_low_pfn;
	end[ZONE_HIGHMEM] = max_pfn;
	pr_info("Zone ranges:\n");
	print_zone_range("DMA", 1, end[ZONE_DMA]);
	print_zone_range("Normal", end[ZONE_DMA], end[ZONE_NORMAL]);
	print_zone_range("HighMem", end[ZONE_NORMAL], end[ZONE_HIGHMEM]);
	pr_info("Early memory node ranges\n");
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		pr_info("  node   0: [mem %#018llx-%#018llx]\n", r->base, r->base + r->size - 1);
	}
	free_area_init(end);
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		zone_add_present(PFN_UP(r->base), PFN_DOWN(r->base + r->size));
	}
}

static void alloc_mem_map(void)
{
	phys_addr_t size = ALIGN_UP((phys_addr_t)max_pfn * sizeof(struct page), (phys_addr_t)PAGE_SIZE);
	phys_addr_t pa = memblock_phys_alloc(size, PAGE_SIZE, "mem_map");

	mem_map = __va(pa);
	pr_info("mem_map: %lu struct pages of %u bytes = %lluK at [mem %#018llx-%#018llx]\n",
		max_pfn, (unsigned)sizeof(struct page), size >> 10, pa, pa + size - 1);
	u64 t0 = arch_cycles();
	memmap_init(0, max_pfn);
	memmap_init_cycles = arch_cycles() - t0;
}

static void free_range_cb(phys_addr_t start, phys_addr_t end, void *ctx)
{
	unsigned long s = PFN_UP(start), e = PFN_DOWN(end);

	(void)ctx;
	if (e > max_pfn)
		e = max_pfn;
	if (s < e)
		free_pages_bootmem_range(s, e);
}

static unsigned long kb(unsigned long pages) { return pages << (PAGE_SHIFT - 10); }

static void mem_init_print_info(const struct kernel_image *img)
{
	unsigned long physpages = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		physpages += zones[z].present_pages;
	unsigned long avail = totalram_pages();
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK init, %luK bss, %luK reserved, 0K cma-reserved, %luK highmem)\n",
		kb(avail), kb(physpages), img->text >> 10, img->rwdata >> 10, img->rodata >> 10,
		img->init >> 10, img->bss >> 10, kb(physpages - avail), kb(totalhigh_pages()));
}

static struct kernel_image boot_image; /* for print_vm_layout(NULL) later */

void mm_core_init(const struct kernel_image *img)
{
	boot_image = *img;
	check_vm_layout();
	page_address_init();
	alloc_mem_map();
	page_ext_init();
	zone_sizes_init();
	memblock_for_each_free_range(free_range_cb, NULL);
	setup_per_zone_wmarks();
	mem_init_print_info(img);
	print_vm_layout(img);
	kmem_cache_init();
	pgtable_cache_init();
	anon_vma_init();
	vmalloc_init();
}

static void layout_line(const char *name, unsigned long start, unsigned long end)
{
	unsigned long size = end - start;

	if (size >= (4UL << 20))
		pr_info("    %-8s: 0x%08lx - 0x%08lx   (%4lu MB)\n", name, start, end, size >> 20);
	else
		pr_info("    %-8s: 0x%08lx - 0x%08lx   (%4lu kB)\n", name, start, end, size >> 10);
}

void print_vm_layout(const struct kernel_image *img)
{
	if (!img)
		img = &boot_image;
	pr_info("virtual kernel memory layout:\n");
	layout_line("fixmap", FIXADDR_START, FIXADDR_TOP);
	layout_line("pkmap", PKMAP_BASE, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
	layout_line("vmalloc", VMALLOC_START, VMALLOC_END);
	layout_line("lowmem", PAGE_OFFSET, high_memory);
	layout_line("  .init", img->init_start, img->init_end);
	layout_line("  .data", img->data_start, img->data_end);
	layout_line("  .text", img->text_start, img->text_end);
}

void check_vm_layout(void)
{
	BUG_ON(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE > FIXADDR_START);
	BUG_ON(VMALLOC_END > PKMAP_BASE);
	BUG_ON(high_memory > VMALLOC_START);
	BUG_ON(VMALLOC_START >= VMALLOC_END);
	BUG_ON(high_memory - PAGE_OFFSET > 0x40000000UL - (32UL << 20));
}
