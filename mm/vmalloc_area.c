/* vmalloc_area.c - virtual address ranges in an augmented AVL tree (see
 * include/vmalloc_area.h). No locks, no messages, no allocation: callers
 * serialize and supply nodes. The tree code is recursive: the AVL height
 * bound keeps the recursion under 30 frames even for a million ranges. */
#include "vmalloc_area.h"

/* ---- the tree ------------------------------------------------------------ */

static int height(const struct va_node *n) { return n ? n->height : 0; }
static unsigned long smax(const struct va_node *n) { return n ? n->subtree_max : 0; }

/* Recompute n's height and subtree_max from its children. */
static void pull(struct va_node *n)
{
	unsigned long m = n->end - n->start;

	m = MAX(m, smax(n->left));
	n->subtree_max = MAX(m, smax(n->right));
	n->height = 1 + MAX(height(n->left), height(n->right));
}

/*      n              l
 *     / \            / \
 *    l   c   ==>    a   n
 *   / \                / \
 *  a   b              b   c
 */
static struct va_node *rotate_right(struct va_node *n)
{
	struct va_node *l = n->left;

	n->left = l->right;
	l->right = n;
	pull(n);
	pull(l);
	return l;
}

static struct va_node *rotate_left(struct va_node *n)
{
	struct va_node *r = n->right;

	n->right = r->left;
	r->left = n;
	pull(n);
	pull(r);
	return r;
}

/* Restore the AVL rule at n, whose subtrees are balanced and differ in
 * height by at most two (one insert or remove below). Returns the new
 * subtree root. The double rotations handle a heavy inner grandchild. */
static struct va_node *balance(struct va_node *n)
{
	int diff = height(n->left) - height(n->right);

	if (diff > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (diff < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	pull(n);
	return n;
}

static struct va_node *insert(struct va_node *root, struct va_node *n)
{
	if (!root) {
		n->left = n->right = NULL;
		pull(n);
		return n;
	}
	if (n->start < root->start)
		root->left = insert(root->left, n);
	else
		root->right = insert(root->right, n);
	return balance(root);
}

/* Unlink the lowest node of a non-empty subtree into *min. */
static struct va_node *remove_min(struct va_node *root, struct va_node **min)
{
	if (!root->left) {
		*min = root;
		return root->right;
	}
	root->left = remove_min(root->left, min);
	return balance(root);
}

/* Unlink n (found by its start); its in-order successor takes its place. */
static struct va_node *remove(struct va_node *root, struct va_node *n)
{
	if (!root)
		return NULL; /* not in the tree: nothing to do */
	if (n->start < root->start) {
		root->left = remove(root->left, n);
	} else if (n->start > root->start) {
		root->right = remove(root->right, n);
	} else {
		struct va_node *succ;

		if (!root->right)
			return root->left;
		root->right = remove_min(root->right, &succ);
		succ->left = root->left;
		succ->right = root->right;
		root = succ;
	}
	return balance(root);
}

/* Shapes do not change, only subtree_max on the way back up. */
static void update(struct va_node *root, const struct va_node *n)
{
	if (!root)
		return;
	if (n->start < root->start)
		update(root->left, n);
	else if (n->start > root->start)
		update(root->right, n);
	pull(root);
}

void va_tree_insert(struct va_node **root, struct va_node *n) { *root = insert(*root, n); }
void va_tree_remove(struct va_node **root, struct va_node *n) { *root = remove(*root, n); }
void va_tree_update(struct va_node **root, struct va_node *n) { update(*root, n); }

struct va_node *va_tree_find(struct va_node *root, unsigned long addr)
{
	while (root) {
		if (addr < root->start)
			root = root->left;
		else if (addr >= root->end)
			root = root->right;
		else
			return root;
	}
	return NULL;
}

struct va_node *va_tree_next(struct va_node *root, unsigned long addr)
{
	struct va_node *best = NULL;

	while (root) {
		if (root->start >= addr) {
			best = root; /* a candidate; a lower one may be on the left */
			root = root->left;
		} else {
			root = root->right;
		}
	}
	return best;
}

struct va_node *va_tree_prev(struct va_node *root, unsigned long addr)
{
	struct va_node *best = NULL;

	while (root) {
		if (root->start <= addr) {
			best = root;
			root = root->right;
		} else {
			root = root->left;
		}
	}
	return best;
}

struct verify {
	unsigned long nodes;
	const struct va_node *last; /* in-order predecessor, for order and overlap */
	int problems;
};

static int verify(const struct va_node *n, struct verify *v)
{
	if (!n)
		return 0;
	int hl = verify(n->left, v);
	if (n->start >= n->end || (v->last && v->last->end > n->start))
		v->problems++; /* empty, out of order or overlapping */
	v->last = n;
	v->nodes++;
	int hr = verify(n->right, v);
	unsigned long m = MAX(n->end - n->start, MAX(smax(n->left), smax(n->right)));
	if (hl - hr > 1 || hr - hl > 1 || n->height != 1 + MAX(hl, hr) || n->subtree_max != m)
		v->problems++;
	return 1 + MAX(hl, hr);
}

int va_tree_verify(const struct va_node *root, unsigned long *nodes, int *h)
{
	struct verify v = { 0, NULL, 0 };
	int depth = verify(root, &v);

	if (nodes)
		*nodes = v.nodes;
	if (h)
		*h = depth;
	return v.problems;
}

/* ---- the space ----------------------------------------------------------- */

void va_space_init(struct va_space *s, unsigned long start, unsigned long end,
		   unsigned long granule)
{
	*s = (struct va_space){ .start = start, .end = end, .granule = granule };
}

void va_stash(struct va_space *s, struct va_node *n)
{
	n->left = s->stash;
	s->stash = n;
	s->nr_stash++;
}

struct va_node *va_unstash(struct va_space *s)
{
	struct va_node *n = s->stash;

	if (n) {
		s->stash = n->left;
		s->nr_stash--;
	}
	return n;
}

/* The lowest range at least len long. Whenever the left subtree has one,
 * it is lower than anything else, so the walk never has to come back. */
static struct va_node *lowest_fit(struct va_node *n, unsigned long len)
{
	while (n) {
		if (smax(n->left) >= len)
			n = n->left;
		else if (n->end - n->start >= len)
			return n;
		else if (smax(n->right) >= len)
			n = n->right;
		else
			return NULL;
	}
	return NULL;
}

/* Where an aligned request would start in n, or 0 if it does not fit. */
static unsigned long aligned_start(const struct va_node *n, unsigned long size,
				   unsigned long align)
{
	unsigned long a = ALIGN_UP(n->start, align);

	if (a < n->start || a > n->end || n->end - a < size)
		return 0; /* wrapped, or too short */
	return a;
}

/* The slow search: every range that is long enough, lowest first, until one
 * happens to have room at the alignment. */
static struct va_node *lowest_aligned_fit(struct va_node *n, unsigned long size,
					  unsigned long align)
{
	if (!n || n->subtree_max < size)
		return NULL;
	struct va_node *f = lowest_aligned_fit(n->left, size, align);
	if (f)
		return f;
	if (aligned_start(n, size, align))
		return n;
	return lowest_aligned_fit(n->right, size, align);
}

static bool bad_request(const struct va_space *s, unsigned long size, unsigned long align)
{
	return !size || !align || (align & (align - 1)) || (size & (s->granule - 1)) ||
	       size > s->end - s->start;
}

/* Take [a, a + size) out of the free range n. */
static void carve(struct va_space *s, struct va_node *n, unsigned long a, unsigned long size)
{
	unsigned long end = n->end;

	if (a == n->start && a + size == end) { /* exact fit: the node goes */
		va_tree_remove(&s->free, n);
		va_stash(s, n);
		s->nr_free--;
	} else if (a == n->start) {
		n->start = a + size;
		va_tree_update(&s->free, n);
	} else {
		n->end = a;
		va_tree_update(&s->free, n);
		if (a + size < end) { /* room left on both sides: a new node */
			struct va_node *m = va_unstash(s);
			m->start = a + size;
			m->end = end;
			va_tree_insert(&s->free, m);
			s->nr_free++;
		}
	}
	s->free_bytes -= size;
}

unsigned long va_alloc(struct va_space *s, unsigned long size, unsigned long align)
{
	if (bad_request(s, size, align))
		return 0;
	if (align < s->granule)
		align = s->granule;
	/* Any range this long has room at the alignment, wherever it starts. */
	unsigned long len = size + (align - s->granule);
	struct va_node *n = len >= size ? lowest_fit(s->free, len) : NULL;
	if (!n && align > s->granule)
		n = lowest_aligned_fit(s->free, size, align);
	if (!n)
		return 0;
	unsigned long a = aligned_start(n, size, align);
	if (a != n->start && a + size != n->end && !s->stash)
		return 0; /* a split needs a node the caller did not supply */
	carve(s, n, a, size);
	return a;
}

int va_free(struct va_space *s, unsigned long start, unsigned long size)
{
	unsigned long end = start + size;

	if (!size || end < start || start < s->start || end > s->end ||
	    ((start | size) & (s->granule - 1)))
		return -1;
	struct va_node *prev = va_tree_prev(s->free, start);
	struct va_node *next = va_tree_next(s->free, start);
	if ((prev && prev->end > start) || (next && next->start < end))
		return -1; /* part of it is free already */
	bool join_prev = prev && prev->end == start, join_next = next && next->start == end;

	if (join_prev && join_next) { /* fills a gap exactly: two ranges become one */
		va_tree_remove(&s->free, next);
		prev->end = next->end;
		va_tree_update(&s->free, prev);
		va_stash(s, next);
		s->nr_free--;
	} else if (join_prev) {
		prev->end = end;
		va_tree_update(&s->free, prev);
	} else if (join_next) {
		next->start = start; /* still above prev: the order holds */
		va_tree_update(&s->free, next);
	} else {
		struct va_node *n = va_unstash(s);
		if (!n)
			return -1;
		n->start = start;
		n->end = end;
		va_tree_insert(&s->free, n);
		s->nr_free++;
	}
	s->free_bytes += size;
	return 0;
}

unsigned long va_largest_free(const struct va_space *s) { return smax(s->free); }

static int check_ranges(const struct va_node *n, const struct va_space *s,
			unsigned long *bytes, unsigned long *last_end)
{
	if (!n)
		return 0;
	int problems = check_ranges(n->left, s, bytes, last_end);
	if (n->start < s->start || n->end > s->end || n->start == *last_end ||
	    ((n->start | n->end) & (s->granule - 1)))
		problems++; /* outside, touching its predecessor, or unaligned */
	*bytes += n->end - n->start;
	*last_end = n->end;
	return problems + check_ranges(n->right, s, bytes, last_end);
}

int va_space_verify(const struct va_space *s)
{
	unsigned long nodes, bytes = 0, last_end = 0;
	int problems = va_tree_verify(s->free, &nodes, NULL);

	problems += check_ranges(s->free, s, &bytes, &last_end);
	if (nodes != s->nr_free)
		problems++;
	if (bytes != s->free_bytes)
		problems++;
	return problems;
}
