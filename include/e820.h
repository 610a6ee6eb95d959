/* e820.h - the physical memory map in the shape the PC BIOS call e820 returns.
 *
 * Boot loaders hand over a list of (address, length, type) ranges. The raw
 * list may be unsorted, overlapping, contain empty or absurd entries, or
 * reach past what a PAE CPU can address. e820_sanitize() turns it into a
 * sorted, non-overlapping, merged map that the rest of mm/ can trust; the
 * query helpers below assume a sanitized table unless stated otherwise.
 */
#ifndef HL_E820_H
#define HL_E820_H

#include "types.h"

enum e820_type {
	E820_USABLE = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,     /* ACPI tables: reclaimable once parsed */
	E820_NVS = 4,      /* ACPI non-volatile storage: never touch */
	E820_UNUSABLE = 5, /* bad RAM */
};

/* Every entry a multiboot2 map can carry: the boot information is copied
 * into 64 KB (arch/x86/setup.c), which holds at most (65536 - 8 - 16) / 24 =
 * 2729 entries of 24 bytes. (Linux's firmware e820 table had 128 entries;
 * GRUB's badram option alone can split RAM into hundreds.) */
#define E820_MAX_ENTRIES 2816
#define E820_PHYS_LIMIT (1ULL << 36) /* PAE: 64 GB */

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type; /* enum e820_type, or any other value the firmware chose */
};

struct e820_table {
	u32 nr;
	u32 dropped;       /* entries e820_add could not keep (table full) */
	u64 dropped_usable; /* usable bytes among them */
	struct e820_entry map[E820_MAX_ENTRIES];
};

/* Append a raw entry (no checks, no merging while there is room). When the
 * table is full, an entry that continues the last one with the same type is
 * merged into it (no byte lost); otherwise it is dropped, counted in
 * dropped/dropped_usable, the first one named by a pr_err, and -1 returned.
 * Callers go on adding: a later entry may still merge. */
int e820_add(struct e820_table *t, u64 addr, u64 size, u32 type);

/* If entries were dropped, pr_err exactly how many and how many usable
 * bytes among them (once per table, e.g. after parsing the boot map). */
void e820_report_dropped(const struct e820_table *t);

/* The name Linux prints for a type ("usable", "ACPI NVS"...), NULL if unknown. */
const char *e820_type_name(u32 type);

/* Print one pr_info line per entry, exactly as Linux does:
 * "<who>: [mem 0x%016llx-0x%016llx] <type name>" (end inclusive);
 * unknown types print as "type N". */
void e820_print(const struct e820_table *t, const char *who);

/* Make the map trustworthy, in place: drop empty entries, clip whatever
 * wraps past 2^64 or lies at/above E820_PHYS_LIMIT (with a pr_warn), let
 * the stricter type win where entries overlap (anything beats usable, then
 * the larger type number wins), merge touching ranges of one type, sort.
 * Returns the number of problems found and fixed; 0 means the map was
 * already clean. O(n^2), no allocation (static scratch: not reentrant). */
int e820_sanitize(struct e820_table *t);

/* Total bytes of entries of the given type. */
u64 e820_total(const struct e820_table *t, u32 type);

/* End (exclusive) of the highest usable byte; 0 if there is no usable RAM. */
u64 e820_end_of_ram(const struct e820_table *t);

/* True if every byte of [start, end) is covered by entries of that type.
 * An empty range (start >= end) is false: callers asking about nothing have
 * a bug. Works on unsorted maps too, as long as they do not overlap. */
bool e820_range_is(const struct e820_table *t, u64 start, u64 end, u32 type);

/* Look up the type of the entry covering addr in a sanitized map.
 * Returns false (and leaves *type alone) if no entry covers it. */
bool e820_lookup(const struct e820_table *t, u64 addr, u32 *type);

#endif
