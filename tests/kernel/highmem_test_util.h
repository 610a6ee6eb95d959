/* highmem_test_util.h - a HighMem block for the disk and swap suites, which
 * move pages above 4 GB through the CPU (kmap) to show PAE's reach. */
#ifndef HL_HIGHMEM_TEST_UTIL_H
#define HL_HIGHMEM_TEST_UTIL_H

struct page;

#define KTEST_HIGH_ORDER 10 /* 2^10 pages: 4 MB */

/* A block of 2^KTEST_HIGH_ORDER pages lying above 4 GB when the machine has
 * RAM there, else any HighMem block (NULL if none): blocks are taken until
 * one is above (at most 2048 of them; the others go back). The caller
 * frees it with __free_pages(p, KTEST_HIGH_ORDER). */
struct page *ktest_block_above_4g(void);

#endif
