/* early_map.c - reading physical memory before the final page tables exist.
 *
 * The provisional tables map only 0..24 MB. The boot loader may put its
 * information (or the v1 memory map, or the command line) anywhere below
 * 4 GB, so to read beyond 24 MB we borrow one unused entry of the boot PMD
 * (index EARLY_PMD_SLOT, virtual 0xC1800000 and 0x01800000) as a 2 MB
 * window, move it along, and clear it when done. */
#include "kstring.h"
#include "pgtable.h"
#include "x86.h"
#include "early_map.h"

#define BOOT_MAPPED (24u << 20)
#define EARLY_PMD_SLOT 12u
#define WINDOW_VA (PAGE_OFFSET + (EARLY_PMD_SLOT << PMD_SHIFT))

extern pmd_t boot_pmd[PTRS_PER_PMD];

/* The window's PMD entry is clear whenever we move it: set_pmd writes the
 * high half first and the present low half last. Both halves of the double
 * mapping (identity and PAGE_OFFSET) see the entry, so both are flushed. */
static void set_window(u64 pa_2m)
{
	set_pmd(&boot_pmd[EARLY_PMD_SLOT], __pmd(pa_2m | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE));
	invlpg(WINDOW_VA);
	invlpg(WINDOW_VA - PAGE_OFFSET);
}

static void clear_window(void)
{
	pmd_clear(&boot_pmd[EARLY_PMD_SLOT]);
	invlpg(WINDOW_VA);
	invlpg(WINDOW_VA - PAGE_OFFSET);
}

/* Cleared by paging_init: the boot tables are no longer live after it. */
bool early_map_live = true;
/* paging_init holds the window over its page-table pages (early_map_window). */
static bool window_held;

void *early_map_window(u64 pa_2m)
{
	window_held = true;
	set_window(pa_2m);
	return (void *)WINDOW_VA;
}

void early_unmap_window(void)
{
	clear_window();
	window_held = false;
}

int early_read_phys(void *ctx, u64 pa, void *dst, size_t len)
{
	u8 *out = dst;

	(void)ctx;
	if (!early_map_live || window_held)
		return -1;
	if (pa + len < pa || pa + len > (1ULL << 32))
		return -1; /* loaders hand us 32-bit addresses only */
	while (len) {
		size_t chunk;
		if (pa < BOOT_MAPPED) {
			chunk = MIN(len, (size_t)(BOOT_MAPPED - pa));
			memcpy(out, (void *)(u32)(PAGE_OFFSET + pa), chunk);
		} else {
			u64 base = pa & ~(u64)(PMD_SIZE - 1);
			u32 off = (u32)(pa - base);
			chunk = MIN(len, (size_t)(PMD_SIZE - off));
			set_window(base);
			memcpy(out, (void *)(WINDOW_VA + off), chunk);
			clear_window();
		}
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}
