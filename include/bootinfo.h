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

struct boot_info {
	int protocol;                  /* 1 = multiboot v1, 2 = multiboot2 */
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[BOOT_LOADER_MAX];  /* boot loader name, "" if none */
	bool have_meminfo;             /* mem_lower_kb/mem_upper_kb are valid */
	u32 mem_lower_kb, mem_upper_kb;
	struct e820_table map;         /* raw map, types mapped to e820 types */
};

#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define MB1_BOOTLOADER_MAGIC 0x2BADB002u

/* Multiboot2 tag types the parser looks at (the spec defines 0..21). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP 6

/* Multiboot v1 info flags the parser looks at. */
#define MB1_FLAG_MEM (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
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

/* pr_info "Command line: ...", "Boot loader: ...", then
 * "BIOS-provided physical RAM map:" and the raw map as "BIOS-e820" lines. */
void bootinfo_print(const struct boot_info *bi);

#endif
