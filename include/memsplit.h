/* memsplit.h - where RAM ends and how it splits into lowmem and HIGHMEM.
 *
 * From the sanitized map, the CPU's physical address width and the command
 * line (mem=, highmem=, vmalloc=, with Linux's meaning) this decides
 * max_pfn, max_low_pfn and the vmalloc reserve, and prints Linux's lines
 * ("NNNMB HIGHMEM available.", "NNNMB LOWMEM available."). A bad or
 * impossible option is ignored with a message saying why.
 */
#ifndef HL_MEMSPLIT_H
#define HL_MEMSPLIT_H

#include "e820.h"
#include "types.h"

struct mem_split {
	unsigned long max_pfn;       /* one past the last usable frame */
	unsigned long max_low_pfn;   /* min(max_pfn, MAXMEM), or less with highmem= */
	unsigned long highmem_pages; /* max_pfn - max_low_pfn */
	u64 vmalloc_reserve;         /* bytes, default 128 MB, 2 MB aligned */
	u64 maxmem;                  /* 1 GB - vmalloc_reserve: the direct map's limit */
	u64 mem_limit;               /* from mem=, 0 = none */
	u64 ignored_above_phys_bits; /* usable bytes the CPU cannot address */
};

/* The split this boot decided (arch setup keeps it; tests and reports read it). */
extern struct mem_split boot_mem_split;

/* Decide the split; may shrink the map (mem=, the CPU's address width).
 * cmdline options are read through cmdline_get(). Returns 0, or -1 if no
 * usable RAM is left (the caller panics with the message printed here). */
int find_low_pfn_range(struct e820_table *map, unsigned phys_bits, struct mem_split *out);

#endif
