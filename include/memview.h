/* memview.h - who owns each physical frame, in the words a picture of
 * memory needs, and the page state Linux exports to user space
 * (/proc/kpageflags, /proc/kpagecount, /proc/PID/pagemap).
 *
 * Linux has no single "owner" of a frame; a picture does: every frame is
 * exactly one of enum page_owner_kind, decided from its struct page and from
 * three things struct page does not say (a memview_ctx): which frames are
 * RAM at all (holes are not), where the kernel image and mem_map lie, and
 * which frames vmalloc areas and pkmap slots map (walks of their lists,
 * gathered once by memview_collect). mm/page_owner_kind.c; built hosted.
 *
 * The snapshot that carries all of this to tools/memview is written by
 * kernel/monitor_memview.c (format: docs/memview.md).
 */
#ifndef HL_MEMVIEW_H
#define HL_MEMVIEW_H

#include "mm.h"
#include "types.h"

/* Owner kinds, in the order a legend lists them. The names (memview's
 * snapshot and the pictures use them) are page_owner_kind_names[]. */
enum page_owner_kind {
	PO_HOLE,         /* not RAM (an e820 gap or a reserved firmware range) */
	PO_RESERVED,     /* RAM boot kept: page 0, the first MB, boot page tables, modules */
	PO_KERNEL_IMAGE, /* the kernel's text, data and bss */
	PO_MEM_MAP,      /* the struct page array itself */
	PO_FREE,         /* on a buddy free list (the block's order is kept too) */
	PO_PCP,          /* free, on a per-CPU list */
	PO_SLAB,         /* a slab cache's page */
	PO_KMALLOC_LARGE,/* a kmalloc() too big for the slab caches */
	PO_PAGE_TABLE,   /* a user address space's PMD or PTE page (PG_table) */
	PO_VMALLOC,      /* owned by a vmalloc() area */
	PO_ANON,         /* a process's anonymous page */
	PO_PAGE_CACHE,   /* a file's page */
	PO_SWAP_CACHE,   /* an anonymous page in the swap cache */
	PO_PKMAP,        /* an otherwise unowned page kmap()ed in the pkmap window */
	PO_KERNEL,       /* allocated by the kernel, owner not recorded (stacks, PGDs, ...) */
	NR_PAGE_OWNER_KINDS,
};
extern const char *const page_owner_kind_names[NR_PAGE_OWNER_KINDS];

#define MEMVIEW_MAX_RAM 64

/* What struct page does not say; filled by memview_ctx_init (the kernel) or
 * by a hosted test, then by memview_collect. */
struct memview_ctx {
	struct { unsigned long start, end; } ram[MEMVIEW_MAX_RAM]; /* pfns, sorted */
	unsigned nr_ram;
	unsigned long image_start, image_end;   /* pfns of the kernel image */
	unsigned long memmap_start, memmap_end; /* pfns of mem_map */
	unsigned long *vmalloc_pfns;            /* sorted; frames of VM_ALLOC areas */
	unsigned long nr_vmalloc, vmalloc_cap;
	unsigned long pkmap_pfns[512];          /* sorted; frames in pkmap slots */
	unsigned nr_pkmap;
};

/* One frame's owner; *order gets a free block's order (PO_FREE), else 0.
 * Reads struct pages without locks: on a running system a frame may change
 * while it is looked at (the answer is then one of its two states). */
enum page_owner_kind page_owner_kind(const struct memview_ctx *c, unsigned long pfn,
				     unsigned *order);
/* Fill c->vmalloc_pfns (allocated here, up to what fits) and c->pkmap_pfns
 * from the live vmalloc areas and pkmap slots. 0, or -ENOMEM (then
 * vmalloc frames are not told apart: the caller says so). */
int memview_collect(struct memview_ctx *c);
/* Free what memview_collect allocated. */
void memview_release(struct memview_ctx *c);
/* The kernel's: RAM from memblock, the image from the linker, mem_map. */
void memview_ctx_init(struct memview_ctx *c);

/* A run of frames with the same owner, order and zone (and on the same
 * side of 4 GiB), for the snapshot. */
struct memview_run {
	unsigned long start, count;
	enum page_owner_kind kind;
	unsigned order, zone;
};
/* The run starting at pfn (< max_pfn): fills *r; the next starts at
 * r->start + r->count. */
void memview_next_run(const struct memview_ctx *c, unsigned long pfn, struct memview_run *r);

/* ---- Linux's /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h) ---- */
#define KPF_LOCKED 0
#define KPF_REFERENCED 2
#define KPF_UPTODATE 3
#define KPF_DIRTY 4
#define KPF_LRU 5
#define KPF_ACTIVE 6
#define KPF_SLAB 7
#define KPF_WRITEBACK 8
#define KPF_RECLAIM 9
#define KPF_BUDDY 10
#define KPF_MMAP 11
#define KPF_ANON 12
#define KPF_SWAPCACHE 13
#define KPF_SWAPBACKED 14
#define KPF_NOPAGE 20
#define KPF_ZERO_PAGE 24
#define KPF_PGTABLE 26
#define KPF_RESERVED 32 /* Linux's kernel-hacking bits (32..42) */
/* Highland's own, in bits Linux leaves unused (43..63): the owner kind,
 * the zone, and a free block's order (set on every frame of the block;
 * KPF_BUDDY, as in Linux, only on its first). */
#define KPF_HL_OWNER_SHIFT 48 /* 4 bits: enum page_owner_kind */
#define KPF_HL_ZONE_SHIFT 52  /* 2 bits: ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM */
#define KPF_HL_ORDER_SHIFT 56 /* 4 bits: the free block's order (PO_FREE) */

/* A frame's /proc/kpageflags word and /proc/kpagecount value (the times
 * it is mapped into user space, as Linux's page_mapcount). */
u64 stable_page_flags(const struct memview_ctx *c, unsigned long pfn);
u64 page_kpagecount(unsigned long pfn);

/* ---- /proc/PID/pagemap entries (Linux's) ---- */
#define PM_PFRAME_MASK ((1ULL << 55) - 1)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP_TYPE_BITS 5 /* a swapped entry: type in bits 0..4, offset above */

struct mm_struct;
/* The pagemap entry of user address addr in mm (0 when nothing is there). */
u64 pagemap_entry(struct mm_struct *mm, unsigned long addr);

/* One live vmalloc/vmap area, copied (for reports that print it later). */
struct memview_vmap {
	unsigned long start, end; /* guard page included */
	unsigned nr_pages, flags; /* VM_ALLOC or VM_MAP */
	const void *caller;
};
/* The lowest live area starting at or above *next, copied under vmap_lock
 * into *out; *next moves past it. false when there is none. */
bool memview_vmap_next(unsigned long *next, struct memview_vmap *out);

/* ---- the snapshot (kernel/monitor_memview.c; format: docs/memview.md) ---- */
struct seq_file;
/* The whole snapshot into m: pid 0 every process, else that one (-ESRCH). */
int memsnap_show(struct seq_file *m, int pid);
/* /proc/highland/memsnap (every process). */
int memsnap_proc_init(void);
/* The monitor's `memsnap [PID]`. */
int cmd_memsnap(int argc, char **argv);
/* The monitor's `spawn PATH [ARG]`: a program of the initramfs as a process. */
int cmd_spawn(int argc, char **argv);

#endif
