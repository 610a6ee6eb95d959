/* early_map.c - reading physical memory before the final page tables exist.
 *
 * The provisional tables map only 0..24 MB. The boot loader may put its
 * information (or the v1 memory map, or the command line) anywhere below
 * 4 GB, so to read beyond 24 MB we borrow one unused entry of the boot PMD
 * (index EARLY_PMD_SLOT, virtual 0xC1800000 and 0x01800000) as a 2 MB
 * window, move it along, and clear it when done. */
#include "kstring.h"
#include "x86.h"
#include "early_map.h"

#define KERNEL_VMA 0xC0000000u
#define BOOT_MAPPED (24u << 20)
#define EARLY_PMD_SLOT 12u
#define WINDOW_VA (KERNEL_VMA + (EARLY_PMD_SLOT << 21))
#define LARGE_PAGE (2u << 20)
#define PMD_P_RW_PS 0x83ULL

extern u64 boot_pmd[512];

/* A PAE entry is 64 bits: write the high half while the entry is not
 * present, then the low half (with P) last, so the CPU never walks a
 * half-written entry. Clearing goes the other way round. */
static void set_window(u64 pa_2m)
{
	volatile u32 *e = (volatile u32 *)&boot_pmd[EARLY_PMD_SLOT];

	e[0] = 0;
	e[1] = (u32)(pa_2m >> 32);
	e[0] = (u32)pa_2m | (u32)PMD_P_RW_PS;
	invlpg(WINDOW_VA);
	invlpg(WINDOW_VA - KERNEL_VMA);
}

static void clear_window(void)
{
	volatile u32 *e = (volatile u32 *)&boot_pmd[EARLY_PMD_SLOT];

	e[0] = 0;
	e[1] = 0;
	invlpg(WINDOW_VA);
	invlpg(WINDOW_VA - KERNEL_VMA);
}

/* Cleared by paging_init: the boot tables are no longer live after it. */
bool early_map_live = true;

int early_read_phys(void *ctx, u64 pa, void *dst, size_t len)
{
	u8 *out = dst;

	(void)ctx;
	if (!early_map_live)
		return -1;
	if (pa + len < pa || pa + len > (1ULL << 32))
		return -1; /* loaders hand us 32-bit addresses only */
	while (len) {
		size_t chunk;
		if (pa < BOOT_MAPPED) {
			chunk = MIN(len, (size_t)(BOOT_MAPPED - pa));
			memcpy(out, (void *)(u32)(KERNEL_VMA + pa), chunk);
		} else {
			u64 base = pa & ~(u64)(LARGE_PAGE - 1);
			u32 off = (u32)(pa - base);
			chunk = MIN(len, (size_t)(LARGE_PAGE - off));
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
