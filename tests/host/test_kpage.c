/* test_kpage.c - the owner of each frame (mm/page_owner_kind.c) and the
 * words of /proc/kpageflags, /proc/kpagecount and /proc/PID/pagemap, on the
 * simulated machine: every frame has one kind and the counts add up to the
 * zones' own counters; each allocator's pages get its kind and Linux's
 * KPF_* bits; a user mapping's pagemap entry names its frame. */
#include "gfp.h"
#include "highmem.h"
#include "htest.h"
#include "memview.h"
#include "mm_types.h"
#include "mmzone.h"
#include "pkmap.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"
#include "slab.h"
#include "vmalloc.h"

/* A context for layout l as boot would describe it: the RAM ranges, the
 * layout's second reserved range as the "image", its last as mem_map. */
static void ctx_for(struct memview_ctx *c, const struct sim_layout *l)
{
	*c = (struct memview_ctx){ 0 };
	for (unsigned i = 0; i < l->nr_ram; i++) {
		c->ram[i].start = l->ram[i].start;
		c->ram[i].end = l->ram[i].end;
	}
	c->nr_ram = l->nr_ram;
	c->image_start = l->reserved[1].start;
	c->image_end = l->reserved[1].end;
	c->memmap_start = l->reserved[l->nr_reserved - 1].start;
	c->memmap_end = l->reserved[l->nr_reserved - 1].end;
}

static struct mm_struct *boot_all(struct memview_ctx *c)
{
	struct mm_struct *mm = sim_boot_mm();

	sim_vmalloc_reset();
	vmalloc_init();
	ctx_for(c, &sim_2g);
	return mm;
}

static unsigned kind_of(const struct memview_ctx *c, unsigned long pfn)
{
	unsigned order;

	return page_owner_kind(c, pfn, &order);
}

/* Runs cover [0, max_pfn) exactly once; per-kind counts match the zones. */
static void check_runs(const struct memview_ctx *c, const struct sim_layout *l)
{
	unsigned long per_kind[NR_PAGE_OWNER_KINDS] = { 0 }, free_high = 0, next = 0;
	struct memview_run r;

	while (next < max_pfn) {
		memview_next_run(c, next, &r);
		CHECK_EQ(r.start, next);
		CHECK(r.count > 0);
		for (unsigned long i = 0; i < r.count; i++) /* a run is uniform */
			CHECK_EQ(kind_of(c, r.start + i), r.kind);
		per_kind[r.kind] += r.count;
		if (r.zone == ZONE_HIGHMEM && (r.kind == PO_FREE || r.kind == PO_PCP))
			free_high += r.count;
		next += r.count;
	}
	CHECK_EQ(next, max_pfn);
	CHECK_EQ(per_kind[PO_HOLE], max_pfn - sim_ram_pages(l, 0, max_pfn));
	CHECK_EQ(per_kind[PO_FREE] + per_kind[PO_PCP], nr_free_pages());
	CHECK_EQ(free_high, nr_free_highpages());
	CHECK_EQ(per_kind[PO_MEM_MAP], c->memmap_end - c->memmap_start);
}

HTEST(kpage_every_frame_has_one_kind)
{
	static const struct sim_layout *const layouts[] = { &sim_holes, &sim_512m, &sim_2g, &sim_8g };
	struct memview_ctx c;

	for (unsigned i = 0; i < ARRAY_SIZE(layouts); i++) {
		sim_boot(layouts[i]);
		ctx_for(&c, layouts[i]);
		check_runs(&c, layouts[i]);
	}
}

HTEST(kpage_allocators_pages_and_flags)
{
	struct memview_ctx c;
	boot_all(&c);
	struct page *blk = alloc_pages(GFP_KERNEL, 2), *high = alloc_page(GFP_HIGHUSER);
	void *obj = kmalloc(64, GFP_KERNEL), *v = vmalloc(3 * PAGE_SIZE);
	CHECK(blk && high && obj && v);
	unsigned long slab_pfn = page_to_pfn(virt_to_page(obj));
	unsigned long vpfn = page_to_pfn(vmalloc_to_page(v));
	void *k = kmap(high);
	CHECK(k != NULL);

	/* before the walks: vmalloc and pkmap pages look like any kernel page */
	CHECK_EQ(kind_of(&c, vpfn), PO_KERNEL);
	CHECK_EQ(kind_of(&c, page_to_pfn(high)), PO_KERNEL);
	CHECK_EQ(memview_collect(&c), 0);
	CHECK_EQ(c.nr_vmalloc, 3);
	CHECK_EQ(kind_of(&c, vpfn), PO_VMALLOC);
	CHECK_EQ(kind_of(&c, page_to_pfn(high)), PO_PKMAP);
	CHECK_EQ(kind_of(&c, slab_pfn), PO_SLAB);
	CHECK(stable_page_flags(&c, slab_pfn) & (1ULL << KPF_SLAB));
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(kind_of(&c, page_to_pfn(blk) + i), PO_KERNEL);
	u64 hf = stable_page_flags(&c, page_to_pfn(high));
	CHECK_EQ((hf >> KPF_HL_ZONE_SHIFT) & 3, ZONE_HIGHMEM);
	CHECK_EQ((hf >> KPF_HL_OWNER_SHIFT) & 15, PO_PKMAP);
	CHECK(!(hf & (1ULL << KPF_BUDDY)));
	CHECK_EQ(page_kpagecount(page_to_pfn(high)), 0);
	/* the first frame below 1 MB that is not RAM: a hole, no page */
	CHECK_EQ(kind_of(&c, 0xa0), PO_HOLE);
	CHECK_EQ(stable_page_flags(&c, 0xa0), 1ULL << KPF_NOPAGE);
	CHECK_EQ(kind_of(&c, c.image_start), PO_KERNEL_IMAGE);
	CHECK_EQ(kind_of(&c, 0), PO_RESERVED);
	CHECK(stable_page_flags(&c, 0) & (1ULL << KPF_RESERVED));
	kunmap(high);
	kmap_flush_unused();
	memview_release(&c);
	vfree(v);
	kfree(obj);
	__free_page(high);
	__free_pages(blk, 2);
}

HTEST(kpage_free_block_head_and_tails)
{
	struct memview_ctx c;
	boot_all(&c);
	drain_all_pages();
	/* the highest HighMem frame is in a free block: find its head */
	unsigned long pfn = max_pfn - 1, head = pfn, order = 0;
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		if (PageBuddy(pfn_to_page(h)) && pfn < h + (1UL << pfn_to_page(h)->private)) {
			head = h;
			order = pfn_to_page(h)->private;
			break;
		}
	}
	CHECK(PageBuddy(pfn_to_page(head)));
	u64 f = stable_page_flags(&c, head);
	CHECK(f & (1ULL << KPF_BUDDY));
	CHECK_EQ((f >> KPF_HL_ORDER_SHIFT) & 15, order);
	CHECK_EQ((f >> KPF_HL_OWNER_SHIFT) & 15, PO_FREE);
	if (order > 0) { /* a tail: free with the block's order, KPF_BUDDY only on the head */
		u64 t = stable_page_flags(&c, head + 1);
		CHECK(!(t & (1ULL << KPF_BUDDY)));
		CHECK_EQ((t >> KPF_HL_OWNER_SHIFT) & 15, PO_FREE);
		CHECK_EQ((t >> KPF_HL_ORDER_SHIFT) & 15, order);
	}
	/* taken: no longer free */
	struct page *p = alloc_page(GFP_HIGHUSER);
	CHECK(p);
	CHECK_EQ(kind_of(&c, page_to_pfn(p)), PO_KERNEL);
	CHECK(!(stable_page_flags(&c, page_to_pfn(p)) & (1ULL << KPF_BUDDY)));
	__free_page(p);
	memview_release(&c);
}

#define BASE 0x08000000UL

HTEST(kpage_pagemap_and_page_tables)
{
	struct memview_ctx c;
	struct mm_struct *mm = boot_all(&c);

	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 NULL, 0), (long)BASE);
	CHECK_EQ(pagemap_entry(mm, BASE), 0); /* not touched yet */
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0);
	pte_t *ptep = user_pte_map(mm, BASE);
	CHECK(ptep != NULL);
	unsigned long pfn = pte_pfn(ptep_get(ptep));
	pte_unmap(ptep);
	u64 e = pagemap_entry(mm, BASE);
	CHECK(e & PM_PRESENT);
	CHECK(!(e & PM_SWAP) && !(e & PM_FILE));
	CHECK(e & PM_MMAP_EXCLUSIVE);
	CHECK_EQ(e & PM_PFRAME_MASK, pfn);
	CHECK_EQ(kind_of(&c, pfn), PO_ANON);
	u64 f = stable_page_flags(&c, pfn);
	CHECK(f & (1ULL << KPF_ANON));
	CHECK(f & (1ULL << KPF_MMAP));
	CHECK_EQ(page_kpagecount(pfn), 1);
	/* the PTE page and the user PMDs are PG_table */
	pmd_t *pmd = pmd_offset(pgd_offset(mm, BASE), BASE);
	unsigned long pt = pmd_pfn(pmdp_get(pmd)), pmdpfn = pgd_pfn(mm->pgd[0]);
	CHECK_EQ(kind_of(&c, pt), PO_PAGE_TABLE);
	CHECK_EQ(kind_of(&c, pmdpfn), PO_PAGE_TABLE);
	CHECK(stable_page_flags(&c, pt) & (1ULL << KPF_PGTABLE));
	/* a read of the second page maps the zero page: present, its pfn */
	CHECK_EQ(handle_mm_fault(mm, BASE + PAGE_SIZE, 0), 0);
	e = pagemap_entry(mm, BASE + PAGE_SIZE);
	CHECK_EQ(e & PM_PFRAME_MASK, page_to_pfn(ZERO_PAGE(0)));
	CHECK(stable_page_flags(&c, page_to_pfn(ZERO_PAGE(0))) & (1ULL << KPF_ZERO_PAGE));
	CHECK_EQ(pagemap_entry(mm, BASE + 2 * PAGE_SIZE), 0); /* outside the region */
	CHECK_EQ(pagemap_entry(mm, PAGE_OFFSET), 0);          /* a kernel address */
	/* the page tables go with the mapping: no longer PG_table */
	zap_page_range(mm, BASE, BASE + 2 * PAGE_SIZE);
	free_pgd_range(mm, 0, TASK_SIZE);
	CHECK(!PageTable(pfn_to_page(pt)));
	mmput(mm);
	CHECK(!PageTable(pfn_to_page(pmdpfn)));
	memview_release(&c);
}
