/* swap.h - swap: where anonymous pages go when reclaim needs their frames.
 *
 * The contract between the two halves of swap (issue 16):
 *   - the swap areas (mm/swapfile.c, mm/page_io.c, over a block device):
 *     the on-disk format mkswap writes, the slot allocator with a use
 *     count per slot, swapon/swapoff, and the page-sized I/O;
 *   - the memory side (mm/swap_state.c, mm/rmap.c, mm/vmscan.c,
 *     mm/memory.c): the swap cache, unmapping a page into swap entries,
 *     swap-in on fault, and try_to_unuse, which swapoff calls to bring an
 *     area's pages back.
 * A swap entry names one slot: the area's index (type) and the page's
 * offset in it, in pages (offset 0 is the header, never handed out). It is
 * what a non-present PTE holds while the page is out (pgtable.h's
 * swp_entry_to_pte / pte_to_swp_entry) and what an anonymous page in the
 * swap cache keeps in page->private. Names are Linux's. */
#ifndef HL_SWAP_H
#define HL_SWAP_H

#include "types.h"

struct page;

typedef struct {
	unsigned long val; /* 0: no entry */
} swp_entry_t;

#define SWP_TYPE_BITS 5 /* as Linux i386 PAE */
#define MAX_SWAPFILES 8 /* areas that can be on at once */

static inline swp_entry_t swp_entry(unsigned type, unsigned long offset)
{
	return (swp_entry_t){ (offset << SWP_TYPE_BITS) | type };
}
static inline unsigned swp_type(swp_entry_t e) { return e.val & ((1u << SWP_TYPE_BITS) - 1); }
static inline unsigned long swp_offset(swp_entry_t e) { return e.val >> SWP_TYPE_BITS; }

/* ---- the swap areas (mm/swapfile.c) ---- */
/* A free slot on the highest-priority area with one, its use count set to
 * 1 (the swap cache's reference); .val 0 when swap is full or off. */
swp_entry_t get_swap_page(void);
/* One more user of the slot (a PTE now holds the entry): 0, or -EINVAL if
 * the entry names no slot in use. */
int swap_duplicate(swp_entry_t entry);
/* One user fewer (a PTE that held it was zapped, the swap cache let go):
 * the slot is free again when none is left. */
void swap_free(swp_entry_t entry);
/* The slot's users now (0: free); for reclaim's and swapoff's checks. */
int __swap_count(swp_entry_t entry);
/* Linux's vm_swap_full: more than half of the swap slots in use. Then a
 * page swapped in gives its slot back at once (do_swap_page) instead of
 * keeping it while in memory: slots held by pages in RAM could otherwise
 * leave none for the pages reclaim must swap out (1.3x RAM over a swap area
 * of 0.75x RAM needs them). */
static inline bool vm_swap_full(void)
{
	extern long nr_swap_pages, total_swap_pages;
	return __atomic_load_n(&nr_swap_pages, __ATOMIC_RELAXED) * 2 <
	       __atomic_load_n(&total_swap_pages, __ATOMIC_RELAXED);
}

/* ---- page-sized I/O (mm/page_io.c) ---- */
/* Write page (PG_locked, PG_swapcache, private = its entry) to its slot,
 * through kmap for a HighMem page. Synchronous: returns 0, or -EIO with
 * the page left as it was (still dirty, still in memory). */
int swap_writepage(struct page *page);
/* Read the slot page->private names into page (PG_locked, PG_swapcache):
 * 0 with PG_uptodate set, or -EIO (the faulting process gets SIGBUS). */
int swap_readpage(struct page *page);
/* swap_readpage for nr (1..BLK_RW_PAGES_MAX) pages whose entries are
 * consecutive slots of one area (pages[0] the first): ONE request; 0 with
 * each PG_uptodate, -EIO with none (each failed sector said), -EINVAL if
 * the pages are not such a run. */
int swap_readpages(struct page **pages, unsigned nr);

/* Reclaim's plug (Linux's struct swap_iocb, which shrink_folio_list hands
 * to pageout): a batch's pages are queued, then swap_write_unplug writes
 * them sorted by slot, each run of consecutive slots of one area as one
 * request, and finishes each page as swap_writepage does. Synchronous: once
 * unplugged, swap_iocb_result tells each page's result. */
#define SWAP_IOCB_MAX 32 /* a reclaim batch (SWAP_CLUSTER_MAX) */
struct swap_iocb {
	unsigned nr;
	bool submitted;
	struct page *pages[SWAP_IOCB_MAX];
	int err[SWAP_IOCB_MAX]; /* each page's result, once submitted */
};
/* An empty plug. */
void swap_plug_init(struct swap_iocb *plug);
/* Queue page (as swap_writepage takes it) for the unplug: 0, or -ENOSPC
 * when the plug is full or already submitted (write the page alone). */
int swap_writepage_plug(struct page *page, struct swap_iocb *plug);
/* Write every queued page: runs of consecutive slots, one request each. */
void swap_write_unplug(struct swap_iocb *plug);
/* After the unplug: true with *err = page's result if page was queued. */
bool swap_iocb_result(const struct swap_iocb *plug, const struct page *page, int *err);

/* ---- the memory side (mm/swap_state.c) ---- */
/* Bring every page of area `type` back into memory and point every PTE
 * and the swap cache away from it (swapoff, after the area stopped
 * handing out slots): 0, or -ENOMEM / -EINTR with the area still in use. */
int try_to_unuse(unsigned type);

/* ---- the swap areas' structures and calls beyond the contract ----
 * (mm/swapfile.c; names and the on-disk format are Linux's.) */
#include "list.h"
#include "spinlock.h"

struct block_device;
struct seq_file;

/* Page 0 of a swap area as util-linux's mkswap writes it (Linux's union
 * swap_header, for 4096-byte pages): the signature in its last 10 bytes,
 * the header proper at offset 1024. All fields little-endian. */
#define SWAP_HEADER_PAGE_SIZE 4096
union swap_header {
	struct {
		char reserved[SWAP_HEADER_PAGE_SIZE - 10];
		char magic[10]; /* "SWAPSPACE2" (old, refused: "SWAP-SPACE") */
	} magic;
	struct {
		char bootbits[1024]; /* left for a disk label */
		u32 version;         /* 1 */
		u32 last_page;       /* the last page of the area: pages 1..last_page are slots */
		u32 nr_badpages;
		unsigned char sws_uuid[16];
		unsigned char sws_volume[16];
		u32 padding[117];
		u32 badpages[1];     /* nr_badpages page numbers follow */
	} info;
};
/* The bad-page list ends with the page: 637 entries (Linux's MAX_SWAP_BADPAGES). */
#define MAX_SWAP_BADPAGES                                                     \
	((__builtin_offsetof(union swap_header, magic.magic) -                \
	  __builtin_offsetof(union swap_header, info.badpages)) / sizeof(u32))

/* swap_map values: a slot's use count, Linux's unsigned char encoding. */
#define SWAP_MAP_MAX 0x3e     /* counts above this continue in the area's overflow list */
#define SWAP_MAP_BAD 0x3f     /* the header slot, or a page mkswap listed as bad */
#define COUNT_CONTINUED 0x80  /* this slot's count goes on in the overflow list */

/* swapon(2)'s flags (Linux's uapi). */
#define SWAP_FLAG_PREFER 0x8000
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SWAP_FLAG_PRIO_SHIFT 0
#define SWAP_FLAG_DISCARD 0x10000
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
			  SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

/* swap_info_struct.flags */
#define SWP_USED 0x1    /* the slot in swap_info[] is taken (swapon done, swapoff not finished) */
#define SWP_WRITEOK 0x2 /* hands out slots (off from the start of swapoff) */

struct swap_count_overflow;

/* One swap area (Linux's swap_info_struct, the fields Highland has). */
struct swap_info_struct {
	unsigned long flags;       /* SWP_* */
	signed short prio;         /* higher is used first */
	unsigned type;             /* its index in swap_info[] = swp_type of its entries */
	unsigned max;              /* slots, the header's included: last_page + 1 */
	unsigned char *swap_map;   /* max use counts (SWAP_MAP_*) */
	u32 *free_bits;            /* bit per slot: 1 free (not bad, count 0) */
	u32 *free_summary;         /* bit per word of free_bits: 1 if it has a free bit */
	unsigned lowest_bit, highest_bit; /* the first and last slot that can ever be free */
	unsigned cluster_next;     /* where the next allocation's search starts (next fit) */
	unsigned pages;            /* usable slots: max - 1 - bad pages */
	unsigned inuse_pages;      /* slots with a count > 0 */
	struct swap_count_overflow *overflow; /* counts above SWAP_MAP_MAX */
	struct block_device *bdev;
	char name[32];             /* "/dev/sda", as /proc/swaps and the log show it */
	spinlock_t lock;           /* swap_map, the bitmaps, inuse_pages, overflow */
	struct list_head list;     /* on the active list, by priority (swap_lock) */
};

extern struct swap_info_struct swap_info[MAX_SWAPFILES];

/* What parse_swap_header found (pages counted in 4096-byte pages). */
struct swap_header_info {
	unsigned last_page;        /* after any truncation to what entries can address */
	unsigned nr_badpages;
	const u32 *badpages;       /* inside the header page */
};
/* Check the first `len` bytes of a device of dev_pages pages (len >= one
 * page; more lets a header made for bigger pages be recognised): 0 with
 * *out filled, or -EINVAL after a message naming name and the problem. */
int parse_swap_header(const void *buf, size_t len, u64 dev_pages, const char *name,
		      struct swap_header_info *out);
/* Turn bdev on as a swap area named name (swapon(2)'s work after the path
 * is resolved): 0 (the "Adding ...k swap" line printed) or -errno. */
int swapon_bdev(struct block_device *bdev, const char *name, int swap_flags);
/* Turn it off: 0, or -EINVAL (not a swap area), -EBUSY / -ENOMEM / -EINTR
 * with the area on again and nothing lost. */
int swapoff_bdev(struct block_device *bdev);
/* The area of entry, or NULL with a message if the entry names no area in use
 * (Linux's swp_swap_info, checked). */
struct swap_info_struct *swp_swap_info(swp_entry_t entry);
/* /proc/swaps (Linux 6.1's format). */
void swap_show(struct seq_file *m);
/* Slots in use on area type, 0 when it is off (try_to_unuse's progress). */
unsigned swap_inuse_pages(unsigned type);

/* ---- kernel/sys_swap.c: by path, as swapon(2)/swapoff(2) (0 or -errno) ---- */
int do_swapon(const char *path, int swap_flags);
int do_swapoff(const char *path);
/* /proc/swaps, then the boot option swapon=/dev/sda[,/dev/sdb]. */
void swap_boot_init(void);

#endif
