/* bootinfo.h - what the boot loader told us: command line, loader name, memory.
 *
 * Highland boots through multiboot2 (GRUB) or multiboot v1 (QEMU -kernel).
 * Both are parsed into one struct boot_info. The parsers never trust the
 * loader: every size and offset is checked against the data actually
 * available, and every problem is reported with pr_err/pr_warn naming the
 * tag (or field) and what is wrong. The memory map is stored raw, as the
 * loader gave it (types translated to e820 types); sanitize a copy.
 */
#ifndef HL_BOOTINFO_H
#define HL_BOOTINFO_H

#include "e820.h"
#include "types.h"

/* Twice the kernel's CMDLINE_MAX: a longer line is cut here (said), and
 * cmdline_set() then drops whole words past its own limit, so no cut word
 * (mem=512M become mem=5) can ever apply. */
#define BOOT_CMDLINE_MAX 4096
#define BOOT_LOADER_MAX 64
/* Boot modules (the initramfs is the first): more are reported and ignored. */
#define BOOT_MODULES_MAX 8
#define BOOT_MODULE_NAME_MAX 64

/* One module as the loader placed it: physical [start, end), end exclusive
 * (the multiboot field mod_end is the first byte past it). */
struct boot_module {
	u32 start, end;
	char name[BOOT_MODULE_NAME_MAX]; /* its string (GRUB: the module2 arguments) */
};

struct boot_info {
	int protocol;                  /* 1 = multiboot v1, 2 = multiboot2 */
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[BOOT_LOADER_MAX];  /* boot loader name, "" if none */
	bool have_meminfo;             /* mem_lower_kb/mem_upper_kb are valid */
	u32 mem_lower_kb, mem_upper_kb;
	struct e820_table map;         /* raw map, types mapped to e820 types */
	unsigned nr_modules;           /* valid entries in modules[] */
	struct boot_module modules[BOOT_MODULES_MAX];
};

/* The kernel's copy (kernel/main.c). */
extern struct boot_info boot_info;

#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define MB1_BOOTLOADER_MAGIC 0x2BADB002u

/* Multiboot2 tag types the parser looks at (the spec defines 0..21). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP 6

/* Multiboot v1 info flags the parser looks at. */
#define MB1_FLAG_MEM (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS (1u << 3)
#define MB1_FLAG_MMAP (1u << 6)
#define MB1_FLAG_LOADER_NAME (1u << 9)

/* Map a multiboot (v1 or v2) memory type to an e820 type: 1 usable,
 * 3 ACPI, 4 NVS, 5 unusable, anything else reserved. */
u32 multiboot_mem_type(u32 mb_type);

/* Parse a COPY of the multiboot2 information (u32 total_size, u32 reserved,
 * 8-byte aligned tags); len = bytes readable in buf. Bad tags are skipped
 * with a message. With no memory map but a basic meminfo tag, the map is
 * synthesized from mem_lower/mem_upper (with a warning). Returns 0, or -1
 * if no memory information at all could be obtained. */
int parse_multiboot2(const void *buf, size_t len, struct boot_info *bi);

/* Reads len bytes of physical memory at pa into dst: 0 ok, -1 unreadable. */
typedef int (*read_phys_fn)(void *ctx, u64 pa, void *dst, size_t len);

/* Parse the multiboot v1 info structure at physical address info_pa. Every
 * byte (info struct, strings, mmap buffer) is fetched through read(), so the
 * caller decides what is mapped. Same fallback and return as multiboot2. */
int parse_multiboot1(u32 info_pa, read_phys_fn read, void *ctx, struct boot_info *bi);

/* The kernel's arguments. For multiboot v1 the command line starts with the
 * kernel's file name (QEMU -kernel): a first word containing '/' or ending
 * in ".elf" is skipped with the spaces after it. Multiboot2: cmdline as is. */
const char *bootinfo_kernel_args(const struct boot_info *bi);

/* Record a module [start, end): a range that is empty, reversed, or that
 * overlaps one already recorded is refused with a message (what: where the
 * loader said it). Returns 0 or -1. Used by both parsers. */
int bootinfo_add_module(struct boot_info *bi, u32 start, u32 end, const char *name,
			const char *what);

/* pr_info "Command line: ...", "Boot loader: ...", then
 * "BIOS-provided physical RAM map:" and the raw map as "BIOS-e820" lines, then one line per boot module. */
void bootinfo_print(const struct boot_info *bi);

#endif
