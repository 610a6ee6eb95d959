/* vmalloc_area.h - the address-range allocator behind vmalloc and vmap.
 *
 * Pure bookkeeping of virtual address ranges: no page tables, no locks, no
 * messages, no memory allocation. mm/vmalloc.c wraps it in a spinlock and
 * builds areas on it; the hosted tests drive it against a brute-force
 * bitmap.
 *
 * The tree. Ranges [start, end) live in an AVL tree keyed by start, and
 * every node also carries subtree_max: the longest range in its subtree
 * (Linux keeps the same "augmented" value in a red-black tree). The AVL
 * rule (the two subtrees of any node differ in height by at most one)
 * bounds the height by 1.44 log2(n), and subtree_max lets a search skip
 * every subtree that cannot hold the request, so finding the lowest range
 * that fits costs one walk from the root: O(log n) with thousands of live
 * areas. mm/vmalloc.c uses the same tree, ignoring subtree_max, for its busy
 * areas (lookup by address on vfree, in-order walk for /proc/vmallocinfo).
 *
 * The space. A va_space holds the free ranges of [start, end) in such a
 * tree; freeing a range merges it with a neighbour that touches it on
 * either side, so free ranges never touch and there is one node per gap.
 *
 * Nodes. The allocator never allocates: an allocation that splits a free
 * range needs one new node, a free that touches no neighbour needs one, an
 * exact fit or a free that joins two neighbours gives one back. Spare
 * nodes wait in the space's stash; callers keep at least one there before
 * each operation (allocating it outside their lock, as Linux's "preload"
 * does) and trim the stash afterwards.
 */
#ifndef HL_VMALLOC_AREA_H
#define HL_VMALLOC_AREA_H

#include "types.h"

struct va_node {
	unsigned long start, end;  /* the range [start, end) */
	unsigned long subtree_max; /* longest end - start in this subtree */
	struct va_node *left, *right;
	int height;                /* a leaf is 1 */
};

/* ---- the tree (keyed by start; ranges must not overlap) ---- */
void va_tree_insert(struct va_node **root, struct va_node *n);
void va_tree_remove(struct va_node **root, struct va_node *n);
/* After changing n->start or n->end without reordering: refresh subtree_max
 * on the path from the root to n. */
void va_tree_update(struct va_node **root, struct va_node *n);
/* The node whose range contains addr, or NULL. */
struct va_node *va_tree_find(struct va_node *root, unsigned long addr);
/* The lowest node with start >= addr / the highest with start <= addr. */
struct va_node *va_tree_next(struct va_node *root, unsigned long addr);
struct va_node *va_tree_prev(struct va_node *root, unsigned long addr);
/* Check order, non-overlap, AVL balance, heights and subtree_max. Returns
 * the number of problems (0: sound); counts nodes and reports the height. */
int va_tree_verify(const struct va_node *root, unsigned long *nodes, int *height);

/* ---- the space ---- */
struct va_space {
	struct va_node *free;     /* free ranges, keyed by start */
	unsigned long start, end; /* the space: [start, end), start > 0 */
	unsigned long granule;    /* every start and size is a multiple (a power of two) */
	unsigned long free_bytes;
	unsigned long nr_free;    /* free ranges: nodes in the tree */
	struct va_node *stash;    /* spare nodes, linked through ->left */
	unsigned long nr_stash;
};

/* A new space with nothing free: hand it [start, end) with va_free (after
 * stashing a node). Address 0 means failure, so start must be above it. */
void va_space_init(struct va_space *s, unsigned long start, unsigned long end,
		   unsigned long granule);
void va_stash(struct va_space *s, struct va_node *n);
/* A spare node back from the stash, or NULL. */
struct va_node *va_unstash(struct va_space *s);

/* The lowest range of size bytes at an align-aligned address (align a power
 * of two): when align exceeds the granule, the lowest free range long
 * enough to hold the request at any alignment (size + align - granule)
 * wins, which one walk finds; only if none exists are the shorter ranges
 * searched one by one for a lucky alignment. Returns the start, or 0 if no
 * range fits, the arguments are bad, or a needed spare node is missing
 * (then nothing changed). */
unsigned long va_alloc(struct va_space *s, unsigned long size, unsigned long align);
/* Return [start, start + size) to the free ranges, merging with the
 * neighbours. Returns 0, or -1 if the range is outside the space, not
 * granule-aligned, overlaps free space, or a needed spare is missing (then
 * nothing changed). */
int va_free(struct va_space *s, unsigned long start, unsigned long size);
/* The longest free range (0 if none). */
unsigned long va_largest_free(const struct va_space *s);
/* va_tree_verify plus: ranges inside the space, never touching, and the
 * free_bytes/nr_free totals right. Returns the number of problems. */
int va_space_verify(const struct va_space *s);

#endif
