/* memblock.h - the early boot allocator: RAM and reservations as two sorted
 * lists of physical ranges, before struct page and the buddy allocator exist.
 *
 * Boot adds every usable range of the sanitized map, reserves what is in use
 * (page 0, the first MB, the kernel image, the boot page tables, the boot
 * information), then allocates mem_map and page tables from it. At the end of
 * mm init every page it did not hand out goes to the buddy allocator
 * (memblock_free_all in the arch setup walks memblock_for_each_free_range).
 */
#ifndef HL_MEMBLOCK_H
#define HL_MEMBLOCK_H

#include "e820.h"
#include "types.h"

/* As many as the e820 table has entries: each usable entry may become one
 * memory region (GRUB's badram splits RAM into hundreds). */
#define MEMBLOCK_MAX_REGIONS E820_MAX_ENTRIES

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	const char *name; /* reserved regions: who reserved it (for memblock_dump) */
};

struct memblock_type {
	unsigned cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t current_limit; /* allocations stay below this (end of lowmem) */
	phys_addr_t allocated;     /* bytes handed out by memblock_alloc* */
};

extern struct memblock memblock;

/* Start over with empty lists (tests; boot starts empty). */
void memblock_reset(void);
/* Add RAM. Overlapping/adjacent ranges merge. -1 (with a message) when full. */
int memblock_add(phys_addr_t base, phys_addr_t size);
/* Take RAM out entirely (mem=, addresses beyond the CPU's reach). */
int memblock_remove(phys_addr_t base, phys_addr_t size);
/* Mark [base, base+size) in use; name says by whom. Merges like memblock_add. */
int memblock_reserve(phys_addr_t base, phys_addr_t size, const char *name);
/* Undo a reservation (or part of one). */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_memory(phys_addr_t addr);
/* Highest-addressed free range of size bytes, aligned, inside [start, end),
 * reserved on success (named). Returns its address, or 0 (no message). */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end, const char *name);
/* Below current_limit; panics with a clear message if nothing fits: boot
 * cannot go on without mem_map or page tables. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align, const char *name);
void memblock_set_current_limit(phys_addr_t limit);
/* Call fn for each maximal free range (memory minus reserved), ascending.
 * fn must not change memblock. */
void memblock_for_each_free_range(void (*fn)(phys_addr_t start, phys_addr_t end, void *ctx),
				  void *ctx);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_end_of_DRAM(void);
/* Print both lists, Linux's "MEMBLOCK configuration:" format. */
void memblock_dump(void);

#endif
