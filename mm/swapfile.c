/* swapfile.c - swap areas: the disk space anonymous pages go to.
 *
 * An area is a block device that util-linux's mkswap formatted: page 0 is
 * the header (union swap_header in swap.h: "SWAPSPACE2" in its last 10
 * bytes, version 1, last_page, the bad-page list), pages 1..last_page are
 * slots, each holding one swapped-out page. swapon reads and checks the
 * header (every refusal says why, with -EINVAL) and builds, per area:
 *
 * - swap_map: one unsigned char per slot, its use count (Linux's encoding:
 *   0 free, 1..SWAP_MAP_MAX users, SWAP_MAP_BAD for the header and the
 *   pages mkswap listed as bad). A user is the swap cache or one PTE that
 *   holds the entry (include/swap.h's contract: get_swap_page hands a slot
 *   out with count 1, swap_duplicate adds one, swap_free drops one). A page
 *   shared by more than 62 forked processes needs more: like Linux's count
 *   continuation, the byte then keeps SWAP_MAP_MAX | COUNT_CONTINUED and the
 *   rest lives in a small per-area overflow list. Such slots are rare (it
 *   takes 62 processes sharing one swapped page), so a list searched
 *   linearly costs nothing in the common case and keeps the byte per slot
 *   (192 KB of swap_map for 768 MB of swap) instead of four.
 *
 * - the slot allocator: get_swap_page takes the highest-priority area with
 *   a free slot (equal priorities take turns, as Linux's round robin) and in
 *   it the next free slot at or after cluster_next, wrapping (next fit, so
 *   consecutive swap-outs land on consecutive sectors, which a disk likes).
 *   Finding it must not scan swap_map: a bitmap has one bit per free slot
 *   and a summary bitmap one bit per bitmap word that has any, so a search
 *   reads at most one bitmap word plus max/1024 summary words (192 for a
 *   768 MB area, all in a few cache lines) however full the area is; set
 *   and clear are O(1). Linux's clusters (256-slot runs handed to CPUs) aim
 *   at SSD discard and lock contention, which Highland does not have.
 *
 * - priorities as Linux's: swapon -p N (SWAP_FLAG_PREFER) gives N, others
 *   get -2, -3, ... in swapon order; swapoff of a default one moves the
 *   lower ones up by one.
 *
 * total_swap_pages and nr_swap_pages (mm/vmstat.c) count usable and free
 * slots of the areas that hand out slots. Locks: swap_lock guards the
 * active list and priorities; each area's lock its map, bitmaps and counts
 * (taken inside swap_lock, never the other way round).
 *
 * swapoff stops the area handing out slots, then must bring back every page
 * still in it: try_to_unuse, the memory side's (mm/swap_state.c); if it
 * fails the area is on again and nothing is lost.
 */
#include "blkdev.h"
#include "errno.h"
#include "kstring.h"
#include "printk.h"
#include "proc_fs.h"
#include "slab.h"
#include "swap.h"
#include "swap_state.h"
#include "vmalloc.h"
#include "vmstat.h"

#define SWAP_PAGE_SHIFT 12
#define SWAP_PAGE_SECTORS (SWAP_HEADER_PAGE_SIZE >> SECTOR_SHIFT)
/* Offsets an entry can hold: 32 bits minus the type's (swap.h). */
#define SWP_OFFSET_MAX ((1ul << (32 - SWP_TYPE_BITS)) - 1)

struct swap_info_struct swap_info[MAX_SWAPFILES];
static DEFINE_SPINLOCK(swap_lock);
static struct list_head swap_active_head = LIST_HEAD_INIT(swap_active_head); /* by prio */
static int least_priority = -1;     /* the next default priority is one below */

struct swap_count_overflow {
	unsigned offset;
	unsigned extra; /* users beyond SWAP_MAP_MAX */
	struct swap_count_overflow *next;
};

/* ---- the header ---------------------------------------------------------- */

static u32 get_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static bool magic_at(const void *buf, size_t len, size_t end, const char *magic)
{
	return end <= len && !memcmp((const char *)buf + end - 10, magic, 10);
}

/* No "SWAPSPACE2" where 4096-byte pages put it: say what is there instead. */
static int no_signature(const void *buf, size_t len, const char *name)
{
	static const unsigned sizes[] = { 8192, 16384, 32768, 65536 };

	if (magic_at(buf, len, SWAP_HEADER_PAGE_SIZE, "SWAP-SPACE")) {
		pr_err("swapon: %s: an old version 0 swap area (SWAP-SPACE): no kernel since "
		       "Linux 2.5 uses it; run mkswap on it again\n", name);
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (magic_at(buf, len, sizes[i], "SWAPSPACE2")) {
			pr_err("swapon: %s: the swap area was made for %u-byte pages (mkswap -p %u); "
			       "Highland's pages are %u bytes: run mkswap without -p\n",
			       name, sizes[i], sizes[i], SWAP_HEADER_PAGE_SIZE);
			return -EINVAL;
		}
	pr_err("swapon: %s: Unable to find swap-space signature (not made by mkswap, or "
	       "overwritten)\n", name);
	return -EINVAL;
}

int parse_swap_header(const void *buf, size_t len, u64 dev_pages, const char *name,
		      struct swap_header_info *out)
{
	const union swap_header *h = buf;
	u32 version, last_page, nr_bad;

	if (len < SWAP_HEADER_PAGE_SIZE || dev_pages < 2) {
		pr_err("swapon: %s: %llu pages: too small for a swap area (a header page and "
		       "at least one slot)\n", name, (unsigned long long)dev_pages);
		return -EINVAL;
	}
	if (!magic_at(buf, len, SWAP_HEADER_PAGE_SIZE, "SWAPSPACE2"))
		return no_signature(buf, len, name);
	version = get_le32(&h->info.version);
	last_page = get_le32(&h->info.last_page);
	nr_bad = get_le32(&h->info.nr_badpages);
	if (version != 1) {
		pr_err("swapon: %s: Unable to handle swap header version %u%s\n", name, version,
		       version == 0x01000000 ? " (byte-swapped: made on a big-endian machine)" : "");
		return -EINVAL;
	}
	if (!last_page) {
		pr_err("swapon: %s: Empty swap-file (last_page 0)\n", name);
		return -EINVAL;
	}
	if ((u64)last_page + 1 > dev_pages) {
		pr_err("swapon: %s: Swap area shorter than signature indicates: the header "
		       "says %u pages, the device has %llu (truncated image?)\n",
		       name, last_page + 1, (unsigned long long)dev_pages);
		return -EINVAL;
	}
	if (nr_bad > MAX_SWAP_BADPAGES) {
		pr_err("swapon: %s: the header lists %u bad pages; at most %u fit in it\n", name,
		       nr_bad, (unsigned)MAX_SWAP_BADPAGES);
		return -EINVAL;
	}
	const u32 *bad = (const u32 *)((const char *)buf +
				       __builtin_offsetof(union swap_header, info.badpages));
	for (u32 i = 0; i < nr_bad; i++) {
		u32 b = get_le32(&bad[i]);

		if (b == 0 || b > last_page) {
			pr_err("swapon: %s: bad page %u (entry %u of the list) is outside the "
			       "area's pages 1..%u\n", name, b, i, last_page);
			return -EINVAL;
		}
	}
	if (last_page > SWP_OFFSET_MAX) {
		pr_warn("swapon: %s: Truncating oversized swap area, only using %luk out of %uk\n",
			name, SWP_OFFSET_MAX << 2, last_page << 2);
		last_page = SWP_OFFSET_MAX;
	}
	out->last_page = last_page;
	out->nr_badpages = nr_bad;
	out->badpages = bad;
	return 0;
}

/* ---- the free-slot bitmaps (si->lock held) ------------------------------- */

static void mark_free(struct swap_info_struct *si, unsigned off)
{
	unsigned w = off / 32;

	si->free_bits[w] |= 1u << (off % 32);
	si->free_summary[w / 32] |= 1u << (w % 32);
}

static void mark_used(struct swap_info_struct *si, unsigned off)
{
	unsigned w = off / 32;

	si->free_bits[w] &= ~(1u << (off % 32));
	if (!si->free_bits[w])
		si->free_summary[w / 32] &= ~(1u << (w % 32));
}

/* The first word index >= w (and < nwords) with a free slot, or nwords. */
static unsigned next_free_word(const struct swap_info_struct *si, unsigned w, unsigned nwords)
{
	unsigned nsum = (nwords + 31) / 32;

	for (unsigned s = w / 32; s < nsum; s++) {
		u32 bits = si->free_summary[s];

		if (s == w / 32)
			bits &= ~0u << (w % 32);
		if (bits)
			return s * 32 + (unsigned)__builtin_ctz(bits);
	}
	return nwords;
}

/* A free slot at or after start, wrapping to the start; 0 if none. */
static unsigned find_free_slot(const struct swap_info_struct *si, unsigned start)
{
	unsigned nwords = (si->max + 31) / 32, w = start / 32;
	u32 bits = si->free_bits[w] & (~0u << (start % 32));

	if (bits)
		return w * 32 + (unsigned)__builtin_ctz(bits);
	w = next_free_word(si, w + 1, nwords);
	if (w == nwords)
		w = next_free_word(si, 0, nwords); /* wrap: the part before start */
	if (w == nwords)
		return 0;
	return w * 32 + (unsigned)__builtin_ctz(si->free_bits[w]);
}

/* ---- counts --------------------------------------------------------------- */

static struct swap_count_overflow **find_overflow(struct swap_info_struct *si, unsigned off)
{
	struct swap_count_overflow **pp = &si->overflow;

	while (*pp && (*pp)->offset != off)
		pp = &(*pp)->next;
	return pp;
}

static unsigned slot_count(struct swap_info_struct *si, unsigned off)
{
	unsigned char c = si->swap_map[off];

	if (c == SWAP_MAP_BAD)
		return 0;
	if (c & COUNT_CONTINUED)
		return SWAP_MAP_MAX + (*find_overflow(si, off))->extra;
	return c;
}

/* The area of entry and its offset checked: NULL (with Linux's message) if
 * the entry is outside any area in use. */
static struct swap_info_struct *entry_area(swp_entry_t entry, const char *who)
{
	unsigned type = swp_type(entry);
	unsigned long off = swp_offset(entry);
	struct swap_info_struct *si = type < MAX_SWAPFILES ? &swap_info[type] : NULL;

	if (!entry.val)
		return NULL;
	if (!si || !(__atomic_load_n(&si->flags, __ATOMIC_ACQUIRE) & SWP_USED)) {
		pr_err("%s: Bad swap file entry %08lx (no area %u)\n", who, entry.val, type);
		return NULL;
	}
	if (off == 0 || off >= si->max) {
		pr_err("%s: Bad swap offset entry %08lx (area %u has slots 1..%u)\n", who, entry.val,
		       type, si->max - 1);
		return NULL;
	}
	return si;
}

struct swap_info_struct *swp_swap_info(swp_entry_t entry)
{
	return entry_area(entry, "swp_swap_info");
}

int __swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si = entry_area(entry, "__swap_count");
	int n;

	if (!si)
		return 0;
	spin_lock(&si->lock);
	n = (int)slot_count(si, (unsigned)swp_offset(entry));
	spin_unlock(&si->lock);
	return n;
}

unsigned swap_inuse_pages(unsigned type)
{
	struct swap_info_struct *si = type < MAX_SWAPFILES ? &swap_info[type] : NULL;

	return si && (si->flags & SWP_USED) ? __atomic_load_n(&si->inuse_pages, __ATOMIC_RELAXED) : 0;
}

/* Take a free slot off (si->lock held): count 1. */
static void slot_take(struct swap_info_struct *si, unsigned off)
{
	si->swap_map[off] = 1;
	mark_used(si, off);
	si->inuse_pages++;
	si->cluster_next = off + 1 < si->max ? off + 1 : 1;
	__atomic_sub_fetch(&nr_swap_pages, 1, __ATOMIC_RELAXED);
}

/* Give a slot whose count reached 0 back (si->lock held). */
static void slot_release(struct swap_info_struct *si, unsigned off)
{
	si->swap_map[off] = 0;
	mark_free(si, off);
	si->inuse_pages--;
	if (si->flags & SWP_WRITEOK) /* during swapoff the area's slots are not counted */
		__atomic_add_fetch(&nr_swap_pages, 1, __ATOMIC_RELAXED);
}

swp_entry_t get_swap_page(void)
{
	struct list_head *pos;
	swp_entry_t entry = { 0 };

	spin_lock(&swap_lock);
	list_for_each(pos, &swap_active_head) {
		struct swap_info_struct *si = list_entry(pos, struct swap_info_struct, list);
		spin_lock(&si->lock);
		unsigned off = si->inuse_pages < si->pages ? find_free_slot(si, si->cluster_next) : 0;
		if (off)
			slot_take(si, off);
		spin_unlock(&si->lock);
		if (!off)
			continue;
		entry = swp_entry(si->type, off);
		/* Equal priorities take turns: this one goes behind its equals. */
		struct swap_info_struct *last = si;
		while (last->list.next != &swap_active_head &&
		       list_entry(last->list.next, struct swap_info_struct, list)->prio == si->prio)
			last = list_entry(last->list.next, struct swap_info_struct, list);
		if (last != si) {
			list_del(&si->list);
			list_add(&si->list, &last->list);
		}
		break;
	}
	spin_unlock(&swap_lock);
	return entry;
}

int swap_duplicate(swp_entry_t entry)
{
	struct swap_info_struct *si = entry_area(entry, "swap_duplicate");
	unsigned off = (unsigned)swp_offset(entry);
	int err = 0;

	if (!si)
		return -EINVAL;
	spin_lock(&si->lock);
	unsigned n = slot_count(si, off);
	if (!n) {
		pr_err("swap_duplicate: Unused swap offset entry %08lx\n", entry.val);
		err = -EINVAL;
	} else if (n < SWAP_MAP_MAX) {
		si->swap_map[off]++;
	} else if (n == SWAP_MAP_MAX) {
		struct swap_count_overflow *o = kmalloc(sizeof(*o), GFP_ATOMIC);

		if (!o) {
			err = -ENOMEM; /* as Linux when a continuation page cannot be had */
		} else {
			o->offset = off;
			o->extra = 1;
			o->next = si->overflow;
			si->overflow = o;
			si->swap_map[off] = SWAP_MAP_MAX | COUNT_CONTINUED;
		}
	} else {
		(*find_overflow(si, off))->extra++;
	}
	spin_unlock(&si->lock);
	return err;
}

void swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si = entry_area(entry, "swap_free");
	unsigned off = (unsigned)swp_offset(entry);

	if (!si)
		return;
	spin_lock(&si->lock);
	unsigned n = slot_count(si, off);
	if (!n) {
		pr_err("swap_free: Unused swap offset entry %08lx\n", entry.val);
	} else if (n > SWAP_MAP_MAX) {
		struct swap_count_overflow **pp = find_overflow(si, off), *o = *pp;

		if (!--o->extra) {
			*pp = o->next;
			kfree(o);
			si->swap_map[off] = SWAP_MAP_MAX;
		}
	} else if (n > 1) {
		si->swap_map[off]--;
	} else {
		slot_release(si, off);
	}
	spin_unlock(&si->lock);
}

/* ---- swapon / swapoff ------------------------------------------------------ */

/* Put si on the active list by priority, after its equals (swap_lock held). */
static void enable_area(struct swap_info_struct *si)
{
	struct list_head *pos, *where = &swap_active_head;

	list_for_each(pos, &swap_active_head) {
		if (list_entry(pos, struct swap_info_struct, list)->prio < si->prio)
			break;
		where = pos;
	}
	list_add(&si->list, where);
	spin_lock(&si->lock);
	si->flags |= SWP_WRITEOK;
	__atomic_add_fetch(&nr_swap_pages, (long)(si->pages - si->inuse_pages), __ATOMIC_RELAXED);
	__atomic_add_fetch(&total_swap_pages, (long)si->pages, __ATOMIC_RELAXED);
	spin_unlock(&si->lock);
}

/* Take si off the active list: it hands out no more slots (swap_lock held). */
static void disable_area(struct swap_info_struct *si)
{
	list_del(&si->list);
	INIT_LIST_HEAD(&si->list);
	spin_lock(&si->lock);
	si->flags &= ~SWP_WRITEOK;
	__atomic_sub_fetch(&nr_swap_pages, (long)(si->pages - si->inuse_pages), __ATOMIC_RELAXED);
	__atomic_sub_fetch(&total_swap_pages, (long)si->pages, __ATOMIC_RELAXED);
	spin_unlock(&si->lock);
}

static void free_area_maps(struct swap_info_struct *si)
{
	while (si->overflow) {
		struct swap_count_overflow *o = si->overflow;

		si->overflow = o->next;
		kfree(o);
	}
	swap_cache_exit_area(si->type);
	kvfree(si->swap_map);
	kvfree(si->free_bits);
	kvfree(si->free_summary);
	si->swap_map = NULL;
	si->free_bits = si->free_summary = NULL;
}

/* swap_map and the bitmaps for the header's areas: 0 or -ENOMEM. */
static int build_area_maps(struct swap_info_struct *si, const struct swap_header_info *h)
{
	unsigned nwords = (si->max + 31) / 32;

	si->swap_map = kvzalloc(si->max, GFP_KERNEL);
	si->free_bits = kvzalloc(nwords * sizeof(u32), GFP_KERNEL);
	si->free_summary = kvzalloc((nwords + 31) / 32 * sizeof(u32), GFP_KERNEL);
	if (!si->swap_map || !si->free_bits || !si->free_summary) {
		free_area_maps(si);
		return -ENOMEM;
	}
	if (swap_cache_init_area(si->type, si->max)) { /* the swap cache's index (mm/swap_state.c) */
		free_area_maps(si);
		return -ENOMEM;
	}
	si->swap_map[0] = SWAP_MAP_BAD;
	for (unsigned i = 0; i < h->nr_badpages; i++)
		si->swap_map[get_le32(&h->badpages[i])] = SWAP_MAP_BAD;
	si->pages = 0;
	si->lowest_bit = si->highest_bit = 0;
	for (unsigned off = 1; off < si->max; off++) {
		if (si->swap_map[off] == SWAP_MAP_BAD)
			continue;
		mark_free(si, off);
		si->pages++;
		if (!si->lowest_bit)
			si->lowest_bit = off;
		si->highest_bit = off;
	}
	si->cluster_next = si->lowest_bit;
	return si->pages ? 0 : -EINVAL;
}

/* A free swap_info[] slot marked SWP_USED for bdev (swap_lock held), or NULL. */
static struct swap_info_struct *alloc_swap_info(struct block_device *bdev, int *err)
{
	struct swap_info_struct *free = NULL;

	for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = &swap_info[t];

		if ((si->flags & SWP_USED) && si->bdev == bdev) {
			*err = -EBUSY;
			return NULL;
		}
		if (!(si->flags & SWP_USED) && !free)
			free = si;
	}
	if (!free) {
		*err = -EPERM; /* Linux's answer when MAX_SWAPFILES areas are on */
		return NULL;
	}
	memset(free, 0, sizeof(*free));
	free->type = (unsigned)(free - swap_info);
	spin_lock_init(&free->lock, "swap_info");
	INIT_LIST_HEAD(&free->list);
	free->bdev = bdev;
	__atomic_store_n(&free->flags, SWP_USED, __ATOMIC_RELEASE);
	return free;
}

/* The first pages of bdev (up to 64 KB, so a header made for bigger pages
 * is recognised), in a kmalloc'd buffer; *len its size. */
static void *read_header(struct block_device *bdev, const char *name, size_t *len, int *err)
{
	u64 bytes = bdev_nr_bytes(bdev);
	size_t n = bytes < 65536 ? (size_t)(bytes & ~(u64)(SWAP_HEADER_PAGE_SIZE - 1)) : 65536;
	void *buf;

	if (n < SWAP_HEADER_PAGE_SIZE) {
		pr_err("swapon: %s: %llu bytes: smaller than one page\n", name,
		       (unsigned long long)bytes);
		*err = -EINVAL;
		return NULL;
	}
	buf = kmalloc(n, GFP_KERNEL);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = bdev_rw(bdev, 0, (unsigned)(n >> SECTOR_SHIFT), buf, false);
	if (*err) {
		pr_err("swapon: %s: cannot read the swap header (error %d)\n", name, *err);
		kfree(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int swapon_bdev(struct block_device *bdev, const char *name, int swap_flags)
{
	struct swap_header_info h;
	struct swap_info_struct *si;
	size_t len;
	int err = 0; /* alloc_swap_info sets it when it fails */

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	spin_lock(&swap_lock);
	si = alloc_swap_info(bdev, &err);
	spin_unlock(&swap_lock);
	if (!si) {
		if (err == -EBUSY)
			pr_err("swapon: %s: already a swap area\n", name);
		else
			pr_err("swapon: %s: %u swap areas are on already, the most there can be\n",
			       name, MAX_SWAPFILES);
		return err;
	}
	strlcpy(si->name, name, sizeof(si->name));
	void *buf = read_header(bdev, name, &len, &err);
	if (buf) {
		err = parse_swap_header(buf, len, bdev_nr_bytes(bdev) >> SWAP_PAGE_SHIFT, name, &h);
		if (!err) {
			si->max = h.last_page + 1;
			err = build_area_maps(si, &h);
			if (err == -EINVAL)
				pr_err("swapon: %s: Empty swap-file (every page is bad)\n", name);
		}
		kfree(buf);
	}
	spin_lock(&swap_lock);
	if (err) {
		__atomic_store_n(&si->flags, 0, __ATOMIC_RELEASE);
		si->bdev = NULL;
	} else {
		if (swap_flags & SWAP_FLAG_PREFER)
			si->prio = (short)(swap_flags & SWAP_FLAG_PRIO_MASK);
		else
			si->prio = (short)--least_priority;
		bdev->bd_holder = si;
		enable_area(si);
	}
	spin_unlock(&swap_lock);
	if (!err)
		pr_info("Adding %uk swap on %s.  Priority:%d extents:%d across:%lluk %s\n",
			si->pages << 2, si->name, si->prio, 1,
			(unsigned long long)si->pages << 2, ""); /* one extent: a whole disk */
	return err;
}

/* swapoff's step that brings the area's pages back into memory: the memory
 * side's try_to_unuse (mm/swap_state.c). */
static int swapoff_unuse_area(struct swap_info_struct *si)
{
	return swap_inuse_pages(si->type) ? try_to_unuse(si->type) : 0;
}

int swapoff_bdev(struct block_device *bdev)
{
	struct swap_info_struct *si = NULL;
	int err;

	spin_lock(&swap_lock);
	for (unsigned t = 0; t < MAX_SWAPFILES && !si; t++)
		if ((swap_info[t].flags & SWP_WRITEOK) && swap_info[t].bdev == bdev)
			si = &swap_info[t];
	if (si)
		disable_area(si);
	spin_unlock(&swap_lock);
	if (!si)
		return -EINVAL; /* Linux: not an active swap area */
	err = swapoff_unuse_area(si);
	spin_lock(&swap_lock);
	if (err) {
		enable_area(si); /* the same priority: back where it was */
	} else {
		if (si->prio < 0) { /* the default ones below it move up */
			struct list_head *pos;

			list_for_each(pos, &swap_active_head) {
				struct swap_info_struct *p = list_entry(pos, struct swap_info_struct, list);

				if (p->prio < si->prio)
					p->prio++;
			}
			least_priority++;
		}
		bdev->bd_holder = NULL;
		__atomic_store_n(&si->flags, 0, __ATOMIC_RELEASE);
	}
	spin_unlock(&swap_lock);
	if (!err) {
		free_area_maps(si);
		si->bdev = NULL;
	}
	return err;
}

/* ---- /proc/swaps ---------------------------------------------------------- */

void swap_show(struct seq_file *m)
{
	struct { char name[32]; unsigned long kb, used_kb; int prio; } a[MAX_SWAPFILES];
	unsigned n = 0;

	spin_lock(&swap_lock); /* a snapshot: seq_printf may sleep to grow its buffer */
	for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = &swap_info[t];

		if (!(si->flags & SWP_USED) || !si->swap_map)
			continue;
		memcpy(a[n].name, si->name, sizeof(a[n].name));
		a[n].kb = (unsigned long)si->pages << 2; /* kB, as Linux's K() */
		a[n].used_kb = (unsigned long)swap_inuse_pages(t) << 2;
		a[n++].prio = si->prio;
	}
	spin_unlock(&swap_lock);
	seq_puts(m, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(a[i].name);

		seq_printf(m, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", a[i].name,
			   len < 40 ? (int)(40 - len) : 1, " ", "partition", a[i].kb,
			   a[i].kb < 10000000 ? "\t" : "", a[i].used_kb,
			   a[i].used_kb < 10000000 ? "\t" : "", a[i].prio);
	}
}
