/* mm_setup.c - the x86 order of memory bring-up (see include/mm_init.h). */
#include "bootinfo.h"
#include "cmdline.h"
#include "cpu.h"
#include "kstring.h"
#include "memblock.h"
#include "memsplit.h"
#include "mm_init.h"
#include "mmzone.h"
#include "panic.h"
#include "pgtable.h"
#include "printk.h"
#include "setup.h"

extern char __boot_start[], __text_start[], __text_end[], __init_text_start[], __init_text_end[];
extern char __rodata_start[], __rodata_end[], __init_data_start[], __init_data_end[];
extern char __data_start[], __data_end[], __bss_start[], __bss_end[], _end[];

/* The sizes that go into the "Memory:" line and the layout banner. */
static void describe_image(struct kernel_image *img)
{
	img->text = (unsigned long)(__text_end - __text_start);
	img->rodata = (unsigned long)(__rodata_end - __rodata_start);
	img->rwdata = (unsigned long)(__data_end - __data_start);
	img->init = (unsigned long)(__init_text_end - __init_text_start) +
		    (unsigned long)(__init_data_end - __init_data_start);
	img->bss = (unsigned long)(__bss_end - __bss_start);
	img->text_start = (unsigned long)__text_start;
	img->text_end = (unsigned long)__text_end;
	img->data_start = (unsigned long)__data_start;
	img->data_end = (unsigned long)__data_end;
	img->init_start = (unsigned long)__init_text_start;
	img->init_end = (unsigned long)__init_text_end;
}

/* The boot modules (the initramfs) stay where the loader put them until
 * populate_rootfs has unpacked them and frees their pages. */
static void reserve_boot_modules(void)
{
	for (unsigned i = 0; i < boot_info.nr_modules; i++) {
		phys_addr_t s = ALIGN_DOWN((phys_addr_t)boot_info.modules[i].start, PAGE_SIZE);
		phys_addr_t e = ALIGN_UP((phys_addr_t)boot_info.modules[i].end, PAGE_SIZE);

		memblock_reserve(s, e - s, "boot module");
	}
}

static void reserve_early(void)
{
	phys_addr_t kstart = (phys_addr_t)(unsigned long)__boot_start;
	phys_addr_t kend = (phys_addr_t)((unsigned long)_end - PAGE_OFFSET);

	/* Page 0 and the rest of the first MB: the real-mode interrupt table,
	 * BIOS data, EBDA, VGA memory and BIOS ROMs. Linux keeps it too. */
	memblock_reserve(0, PAGE_SIZE, "page 0");
	memblock_reserve(PAGE_SIZE, (1u << 20) - PAGE_SIZE, "first MB (BIOS, VGA)");
	/* The image from the boot stub to _end: text, data, bss - which holds
	 * the boot page tables and the boot stack - and the symbol table. The
	 * boot information was copied into bss before this point. */
	memblock_reserve(kstart, kend - kstart, "kernel image");
	reserve_boot_modules();
}

/* Page 0 holds the real-mode interrupt table and BIOS data: Linux turns it
 * into "reserved" in the map itself (trim_bios_range), so the zone and node
 * ranges printed later start at 0x1000 as they do on Linux. */
static void trim_page_zero(struct e820_table *map)
{
	struct e820_entry *e = &map->map[0];

	if (!map->nr || e->addr != 0 || e->type != E820_USABLE || e->size < PAGE_SIZE ||
	    map->nr == E820_MAX_ENTRIES)
		return;
	pr_info("e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n");
	memmove(&map->map[1], &map->map[0], map->nr * sizeof(*e));
	map->nr++;
	map->map[1].addr = PAGE_SIZE;
	map->map[1].size -= PAGE_SIZE;
	map->map[0] = (struct e820_entry){ 0, PAGE_SIZE, E820_RESERVED };
	if (!map->map[1].size) { /* the usable entry was exactly one page */
		memmove(&map->map[1], &map->map[2], (map->nr - 2) * sizeof(*e));
		map->nr--;
	}
}

struct mem_split boot_mem_split;

void setup_arch_memory(struct e820_table *map)
{
	struct kernel_image img;

	trim_page_zero(map);
	if (find_low_pfn_range(map, boot_cpu.phys_bits, &boot_mem_split) < 0)
		panic("not enough usable RAM in the memory map (see the messages above)");
	memblock_add_e820(map, max_pfn);
	reserve_early();
	paging_init();
	describe_image(&img);
	mm_core_init(&img);
}
