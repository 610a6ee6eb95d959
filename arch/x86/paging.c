/* paging.c - the final kernel page tables, built in C to replace boot.asm's.
 *
 * swapper_pg_dir (the PDPT) has one live entry, PGD[3] -> kernel_pmd, the
 * PMD page that maps the whole top gigabyte. Every future address space
 * will share that PMD page. Inside it:
 *   - lowmem (0 .. max_low_pfn) at PAGE_OFFSET: 4 KB pages from 0 up to
 *     the 2 MB boundary after the kernel image (so the image can have
 *     per-section permissions and the boot-stack guard can stay unmapped),
 *     2 MB pages after that, 4 KB pages again for an unaligned tail;
 *   - PTE pages for every PMD slot from VMALLOC_START to the top (vmalloc,
 *     pkmap, fixmap), allocated now so no later mapping allocates;
 *   - nothing below PAGE_OFFSET: the identity map is gone, and a NULL
 *     dereference faults.
 * Page-table pages come from memblock below 24 MB while we build, because
 * only the provisional mapping is live until the switch; when a boot module
 * has filled that, from one block above, through early_map's window.
 */
#include "arch.h"
#include "cpu.h"
#include "early_map.h"
#include "kstring.h"
#include "memblock.h"
#include "mm.h"
#include "panic.h"
#include "percpu.h"
#include "mm_types.h"
#include "pgtable.h"
#include "printk.h"
#include "traps.h"
#include "x86.h"

#define BOOT_MAPPED (24UL << 20)

pgd_t swapper_pg_dir[PTRS_PER_PGD] __attribute__((aligned(32)));
u64 __supported_pte_mask = ~0ULL;
pmd_t *kernel_pmd;
extern bool early_map_live;
pte_t *fixmap_pte_page; /* the PTE page of the top 2 MB: every fixmap slot */
u32 kmap_prot_high = (u32)(__PAGE_KERNEL >> 32); /* NX dropped by paging_init if the CPU lacks it */

_Static_assert(FIXADDR_TOP == 0xFFFFF000UL && pte_index(fix_to_virt(FIX_KMAP_BEGIN)) == FIX_PTE_INDEX(FIX_KMAP_BEGIN),
	       "arch_impl.h's FIX_PTE_INDEX assumes the fixmap's top at the last page but one");
_Static_assert(FIXADDR_START >= 0xFFE00000UL, "the fixmap must fit in the last PTE page");
_Static_assert(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE <= FIXADDR_START, "pkmap overlaps the fixmap");
_Static_assert((PKMAP_BASE & (PMD_SIZE - 1)) == 0, "pkmap must be one whole PTE page");
_Static_assert(VMALLOC_END <= PKMAP_BASE, "vmalloc overlaps pkmap");

extern char __text_start[], __init_text_end[], __rodata_start[], __rodata_end[];
extern char __ksyms_start[], __ksyms_end[], boot_stack_guard[], _end[];

/* Where the page-table pages go while we build. Below 24 MB, written
 * through the provisional mapping, while there is room; but QEMU's -kernel
 * loads an initramfs right after the kernel, and a big one fills 0..24 MB.
 * Then the rest come from one 2 MB-aligned block above, written through
 * early_map's window; they are reached through the direct map after the
 * switch, like every other lowmem page. */
/* One window's worth: more than the build can need (a kernel PMD, a few direct-map
 * PTE pages, at most 496 for vmalloc/pkmap/fixmap when lowmem passes 24 MB). */
#define PT_POOL_PAGES PTRS_PER_PMD
static struct {
	phys_addr_t pa;    /* the block above 24 MB, 0 while unused */
	u8 *va;            /* its address in the window */
	unsigned used;
} pt_pool;

static void pt_pool_open(phys_addr_t lowmem_end)
{
	pt_pool.pa = memblock_phys_alloc_range(PT_POOL_PAGES * PAGE_SIZE, PMD_SIZE, BOOT_MAPPED,
					       lowmem_end, "page tables (above 24 MB)");
	if (!pt_pool.pa)
		panic("paging: no room for page tables: 0-24 MB is full (boot modules?) and "
		      "lowmem has no free 2 MB block above it");
	pt_pool.va = early_map_window(pt_pool.pa);
	pr_info("paging: 0-24 MB is full (a boot module?): page tables from [mem %#010llx-%#010llx], "
		"written through the early window\n", (u64)pt_pool.pa,
		(u64)pt_pool.pa + PT_POOL_PAGES * PAGE_SIZE - 1);
}

/* Give back the block's unused pages and its window: the build is done. */
static void pt_pool_close(void)
{
	if (!pt_pool.pa)
		return;
	early_unmap_window();
	memblock_phys_free(pt_pool.pa + pt_pool.used * PAGE_SIZE,
			   (PT_POOL_PAGES - pt_pool.used) * PAGE_SIZE);
}

/* A zeroed page-table page: its address for writing now, and *pa. */
static void *alloc_pgtable_page(const char *what, phys_addr_t lowmem_end, phys_addr_t *pa)
{
	void *va;

	*pa = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, MIN(lowmem_end, (phys_addr_t)BOOT_MAPPED),
				       what);
	if (*pa) {
		va = (void *)(PAGE_OFFSET + (unsigned long)*pa);
	} else {
		if (!pt_pool.pa)
			pt_pool_open(lowmem_end);
		if (pt_pool.used == PT_POOL_PAGES)
			panic("paging: more than %u page-table pages above 24 MB", PT_POOL_PAGES);
		*pa = pt_pool.pa + pt_pool.used * PAGE_SIZE;
		va = pt_pool.va + pt_pool.used++ * PAGE_SIZE;
	}
	memset(va, 0, PAGE_SIZE);
	return va;
}

static unsigned long va_of(phys_addr_t pa) { return PAGE_OFFSET + (unsigned long)pa; }

/* Protection of one 4 KB page of the kernel's own region. */
static pgprot_t kernel_page_prot(unsigned long va)
{
	if (va >= (unsigned long)__text_start && va < (unsigned long)__init_text_end)
		return PAGE_KERNEL_RX;
	if ((va >= (unsigned long)__rodata_start && va < (unsigned long)__rodata_end) ||
	    (va >= (unsigned long)__ksyms_start && va < (unsigned long)__ksyms_end))
		return PAGE_KERNEL_RO;
	return PAGE_KERNEL;
}

/* Map [start, end) of lowmem with 4 KB pages through a new PTE page. */
static void map_small(phys_addr_t start, phys_addr_t end, phys_addr_t lowmem_end)
{
	phys_addr_t ptes_pa;
	pte_t *ptes = alloc_pgtable_page("page table (direct map)", lowmem_end, &ptes_pa);
	unsigned long base = va_of(start & ~(PMD_SIZE - 1));

	for (phys_addr_t pa = start; pa < end; pa += PAGE_SIZE) {
		unsigned long va = va_of(pa);
		if (va == (unsigned long)boot_stack_guard)
			continue; /* stays unmapped: a boot-stack overflow faults */
		set_pte(&ptes[pte_index(va)], pfn_pte((unsigned long)(pa >> PAGE_SHIFT), kernel_page_prot(va)));
	}
	set_pmd(&kernel_pmd[pmd_index(base)], __pmd(ptes_pa | _KERNPG_TABLE));
}

static void map_lowmem(phys_addr_t lowmem_end)
{
	phys_addr_t small_end = ALIGN_UP((phys_addr_t)((unsigned long)_end - PAGE_OFFSET), PMD_SIZE);
	phys_addr_t pa;

	for (pa = 0; pa < small_end && pa < lowmem_end; pa += PMD_SIZE)
		map_small(pa, MIN(pa + PMD_SIZE, lowmem_end), lowmem_end);
	for (; pa + PMD_SIZE <= lowmem_end; pa += PMD_SIZE)
		set_pmd(&kernel_pmd[pmd_index(va_of(pa))], __pmd(pa | pgprot_val(PAGE_KERNEL) | _PAGE_PSE));
	if (pa < lowmem_end)
		map_small(pa, lowmem_end, lowmem_end);
}

/* PTE pages for vmalloc, pkmap and fixmap: allocated once, here. Returns
 * the fixmap's PTE page (physical). */
static phys_addr_t prealloc_kernel_ptes(phys_addr_t lowmem_end)
{
	phys_addr_t pa = 0;

	for (unsigned i = pmd_index(VMALLOC_START); i < PTRS_PER_PMD; i++) {
		alloc_pgtable_page("page table (vmalloc/pkmap/fixmap)", lowmem_end, &pa);
		set_pmd(&kernel_pmd[i], __pmd(pa | _KERNPG_TABLE));
	}
	return pa; /* the last one: the top 2 MB */
}

extern pgd_t boot_pdpt[PTRS_PER_PGD];
extern pmd_t boot_pmd[PTRS_PER_PMD];

/* The seeds' first picture, while it is still live: boot.asm's PDPT points
 * entries 0 and 3 at one PMD, so the first MBs appear twice. */
static void describe_boot_tables(void)
{
	unsigned ptes = 0, end = 0;

	for (unsigned i = 0; i < PTRS_PER_PMD; i++)
		if (pmd_present(boot_pmd[i]) && !pmd_large(boot_pmd[i])) {
			ptes++;
			end = i + 1;
		}
	pr_info("Provisional page tables (boot/boot.asm): CR3 %#x; PGD[0] and PGD[3] -> one PMD at %#llx,\n",
		read_cr3(), (u64)pgd_pfn(boot_pdpt[3]) << PAGE_SHIFT);
	pr_info("  so 0-%u MB is mapped twice: at 0x00000000 (identity) and at %#lx; %u PTE pages;\n",
		end * 2, PAGE_OFFSET, ptes);
	pr_info("  boot_stack_guard %p left unmapped\n", (void *)boot_stack_guard);
}

void paging_init(void)
{
	phys_addr_t lowmem_end = PFN_PHYS(max_low_pfn);

	if (!boot_cpu.nx)
		__supported_pte_mask &= ~_PAGE_NX;
	kmap_prot_high = (u32)(pgprot_val(PAGE_KERNEL) >> 32);
	memblock_set_current_limit(MIN(lowmem_end, (phys_addr_t)BOOT_MAPPED));
	phys_addr_t kernel_pmd_pa, fixmap_pa;
	kernel_pmd = alloc_pgtable_page("kernel PMD", lowmem_end, &kernel_pmd_pa);
	map_lowmem(lowmem_end);
	fixmap_pa = prealloc_kernel_ptes(lowmem_end);

	describe_boot_tables();
	memset(swapper_pg_dir, 0, sizeof(swapper_pg_dir));
	swapper_pg_dir[3] = __pgd(kernel_pmd_pa | _PAGE_PRESENT); /* a PDPT entry has P only */
	pt_pool_close();
	write_cr3((u32)__pa(swapper_pg_dir)); /* also reloads the four PDPTE registers */
	/* From here every page-table page is in the direct map, wherever it was built. */
	kernel_pmd = (pmd_t *)(PAGE_OFFSET + (unsigned long)kernel_pmd_pa);
	fixmap_pte_page = (pte_t *)(PAGE_OFFSET + (unsigned long)fixmap_pa);
	flush_tlb_all_local();
	tss_set_df_cr3((u32)__pa(swapper_pg_dir));
	early_map_live = false;
	memblock_set_current_limit(lowmem_end);
	this_cpu()->loaded_mm = &init_mm;
	pr_info("Switched to swapper_pg_dir: PGD[0] is clear, so the identity half is gone (0-24 MB and NULL fault now)\n");
	pr_info("  mapped low ram: 0 - %08lx\n", (unsigned long)lowmem_end);
	pr_info("  low ram: 0 - %08lx\n", (unsigned long)lowmem_end);
}

pte_t *fixmap_pte(unsigned idx) { return fixmap_pte_page + pte_index(fix_to_virt(idx)); }
