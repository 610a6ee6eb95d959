/* mmap.c - the regions of an address space (struct vm_area_struct): find,
 * map, unmap, change protection, the heap (brk), the growing stack, and
 * copying them all at fork.
 *
 * The regions of one mm are kept in an array sorted by address. find_vma
 * is a binary search, O(log n); inserting or removing one moves the
 * pointers after it, O(n) word copies. A process has tens of regions
 * (glibc's static start-up makes about ten), so a memmove of a few hundred
 * bytes beats rebalancing a tree, and the array is what a student can
 * print and read; Linux 6.1's maple tree makes the same trade inside its
 * nodes. Only the owner of an mm changes its regions (one thread per
 * process; fork reads the parent's while the parent waits in the call), so
 * no lock protects them.
 *
 * A region's PTEs get vm_page_prot (vm_get_page_prot): a private writable
 * region's PTEs are read-only, so the first write faults and makes the page
 * the process's own (copy on write, mm/memory.c); everything not executable
 * is NX when the CPU has NX. Builds hosted. */
#include "errno.h"
#include "fs.h"
#include "gfp.h"
#include "kstring.h"
#include "mm_types.h"
#include "printk.h"
#include "rmap.h"
#include "slab.h"

unsigned long stack_guard_gap = 256UL << PAGE_SHIFT; /* Linux's default: 1 MB */

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	bool w = vm_flags & VM_WRITE, x = vm_flags & VM_EXEC;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return PAGE_NONE;
	if (vm_flags & VM_SHARED)
		return w ? (x ? PAGE_SHARED_EXEC : PAGE_SHARED) : (x ? PAGE_READONLY_EXEC : PAGE_READONLY);
	return w ? (x ? PAGE_COPY_EXEC : PAGE_COPY) : (x ? PAGE_READONLY_EXEC : PAGE_READONLY);
}

/* The index of the first region ending above addr (map_count if none). */
static int vma_index(struct mm_struct *mm, unsigned long addr)
{
	int lo = 0, hi = mm->map_count;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (mm->vmas[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	int i = vma_index(mm, addr);

	return i < mm->map_count ? mm->vmas[i] : NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	return v && v->vm_start < end ? v : NULL;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **prev)
{
	int i = vma_index(mm, addr);

	*prev = i > 0 ? mm->vmas[i - 1] : NULL;
	return i < mm->map_count ? mm->vmas[i] : NULL;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *v = kzalloc(sizeof(*v), GFP_KERNEL);

	if (v) {
		v->vm_mm = mm;
		INIT_LIST_HEAD(&v->anon_vma_node);
	}
	return v;
}

void vm_area_free(struct vm_area_struct *v)
{
	if (v)
		unlink_anon_vmas(v); /* rmap walks no longer find it */
	if (v && v->vm_file)
		fput(v->vm_file); /* each region of a file holds a reference */
	kfree(v);
}

/* Put v into mm's sorted array (it must not overlap anything). */
static int vma_link(struct mm_struct *mm, struct vm_area_struct *v)
{
	if (mm->map_count == mm->vmas_cap) {
		int cap = mm->vmas_cap ? mm->vmas_cap * 2 : 16;
		struct vm_area_struct **a = krealloc(mm->vmas, (size_t)cap * sizeof(*a), GFP_KERNEL);
		if (!a)
			return -ENOMEM;
		mm->vmas = a;
		mm->vmas_cap = cap;
	}
	int i = vma_index(mm, v->vm_start);
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (size_t)(mm->map_count - i) * sizeof(v));
	mm->vmas[i] = v;
	mm->map_count++;
	mm->total_vm += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	return 0;
}

int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *v)
{
	if (find_vma_intersection(mm, v->vm_start, v->vm_end))
		return -EINVAL;
	return vma_link(mm, v);
}

static void vma_unlink_at(struct mm_struct *mm, int i)
{
	struct vm_area_struct *v = mm->vmas[i];

	mm->total_vm -= (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	memmove(&mm->vmas[i], &mm->vmas[i + 1], (size_t)(mm->map_count - i - 1) * sizeof(v));
	mm->map_count--;
}

/* Can b follow a as one region? Same flags, same file, contiguous offsets. */
static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags && a->vm_file == b->vm_file &&
	       (!a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma) && /* rmap.h */
	       (!a->vm_file || a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff);
}

/* Merge the region after index i into it. */
static void merge_next(struct mm_struct *mm, int i)
{
	struct vm_area_struct *next = mm->vmas[i + 1];

	vma_unlink_at(mm, i + 1);
	mm->total_vm += (next->vm_end - next->vm_start) >> PAGE_SHIFT;
	mm->vmas[i]->vm_end = next->vm_end;
	if (!mm->vmas[i]->anon_vma) /* next's anonymous pages now lie in vmas[i] */
		anon_vma_link(mm->vmas[i], next);
	vm_area_free(next);
}

/* Merge the region at index i with its neighbours where they allow it. */
static void vma_merge_at(struct mm_struct *mm, int i)
{
	if (i + 1 < mm->map_count && can_merge(mm->vmas[i], mm->vmas[i + 1]))
		merge_next(mm, i);
	if (i > 0 && can_merge(mm->vmas[i - 1], mm->vmas[i]))
		merge_next(mm, i - 1);
}

/* Merge what became alike in and around [start, end). */
static void merge_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	int i = vma_index(mm, start);

	if (i > 0)
		i--;
	while (i + 1 < mm->map_count && mm->vmas[i]->vm_end <= end) {
		if (can_merge(mm->vmas[i], mm->vmas[i + 1]))
			merge_next(mm, i);
		else
			i++;
	}
}

/* Cut the region at index i in two at addr (inside it). */
static int split_vma(struct mm_struct *mm, int i, unsigned long addr)
{
	struct vm_area_struct *v = mm->vmas[i], *n = vm_area_alloc(mm);

	if (!n)
		return -ENOMEM;
	*n = *v;
	anon_vma_link(n, v); /* both halves' pages point at v's anon_vma */
	if (n->vm_file)
		get_file(n->vm_file);
	n->vm_start = addr;
	n->vm_pgoff += (addr - v->vm_start) >> PAGE_SHIFT;
	v->vm_end = addr;
	mm->total_vm -= (n->vm_end - n->vm_start) >> PAGE_SHIFT;
	if (vma_link(mm, n)) {
		v->vm_end = n->vm_end;
		mm->total_vm += (n->vm_end - n->vm_start) >> PAGE_SHIFT;
		vm_area_free(n);
		return -ENOMEM;
	}
	return 0;
}

/* Make region boundaries at start and end (where a region spans them). */
static int split_at(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	int i = vma_index(mm, start);

	if (i < mm->map_count && mm->vmas[i]->vm_start < start && split_vma(mm, i, start))
		return -ENOMEM;
	i = vma_index(mm, end);
	if (i < mm->map_count && mm->vmas[i]->vm_start < end && split_vma(mm, i, end))
		return -ENOMEM;
	return 0;
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	if (len > TASK_SIZE)
		return (unsigned long)-ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (addr <= TASK_SIZE - len && !find_vma_intersection(mm, addr, addr + len))
			return addr; /* the hint is free */
	}
	unsigned long cand = TASK_UNMAPPED_BASE;
	for (int i = vma_index(mm, cand); i < mm->map_count; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		unsigned long gap_end = v->vm_start;
		if (v->vm_flags & VM_GROWSDOWN)
			gap_end = gap_end > stack_guard_gap ? gap_end - stack_guard_gap : 0;
		if (gap_end >= cand && gap_end - cand >= len)
			return cand;
		if (v->vm_end > cand)
			cand = v->vm_end;
	}
	return cand <= TASK_SIZE - len ? cand : (unsigned long)-ENOMEM;
}

long do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	if ((start & ~PAGE_MASK) || start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	unsigned long end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	if (!find_vma_intersection(mm, start, end))
		return 0;
	if (split_at(mm, start, end))
		return -ENOMEM;
	int i = vma_index(mm, start);
	while (i < mm->map_count && mm->vmas[i]->vm_start < end) {
		struct vm_area_struct *v = mm->vmas[i];
		zap_page_range(mm, v->vm_start, v->vm_end);
		vma_unlink_at(mm, i);
		vm_area_free(v);
	}
	return 0;
}

/* Anonymous shared memory has no file to keep its pages, so its pages are
 * made now (zeroed, HIGHMEM), and fork's PTE copy shares them. */
static int populate_shared(struct mm_struct *mm, struct vm_area_struct *v)
{
	for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE) {
		struct page *p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
		if (!p)
			return -ENOMEM;
		int err = install_user_page(mm, a, p, v->vm_page_prot);
		put_page(p); /* the mapping holds it */
		if (err)
			return err;
	}
	return 0;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
	     unsigned long flags, struct file *file, unsigned long pgoff)
{
	unsigned long type = flags & MAP_TYPE;

	if (!len || len > TASK_SIZE || (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (file && type != MAP_PRIVATE)
		return -ENODEV; /* shared file mappings (writeback) are not there yet */
	if (file && (pgoff > ~0UL - (PAGE_ALIGN(len) >> PAGE_SHIFT)))
		return -EOVERFLOW;
	len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED) {
		if ((addr & ~PAGE_MASK) || addr > TASK_SIZE - len)
			return -EINVAL;
		long err = do_munmap(mm, addr, len);
		if (err)
			return err;
	} else {
		addr = get_unmapped_area(mm, addr, len);
		if (IS_ERR_VALUE(addr))
			return (long)addr;
	}
	struct vm_area_struct *v = vm_area_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = addr;
	v->vm_end = addr + len;
	v->vm_flags = (prot & VM_ACCESS_FLAGS) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		      (type != MAP_PRIVATE ? VM_SHARED : 0) | (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0);
	v->vm_page_prot = vm_get_page_prot(v->vm_flags);
	v->vm_pgoff = file ? pgoff : addr >> PAGE_SHIFT;
	v->vm_file = file ? get_file(file) : NULL; /* private: read_mapping_page's pages, COW */
	if (vma_link(mm, v)) {
		vm_area_free(v);
		return -ENOMEM;
	}
	if ((v->vm_flags & VM_SHARED) && populate_shared(mm, v)) {
		do_munmap(mm, addr, len);
		return -ENOMEM;
	}
	if (!(v->vm_flags & VM_SHARED))
		vma_merge_at(mm, vma_index(mm, addr));
	return (long)addr;
}

/* New protections for the PTEs of v that exist. */
static void change_protection(struct mm_struct *mm, struct vm_area_struct *v)
{
	for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE) {
		pte_t *pte = user_pte_map(mm, a);
		if (!pte)
			continue;
		pte_t old = ptep_get(pte);
		/* not none: mapped, or made PROT_NONE earlier (PAGE_NONE keeps the
		 * frame with the present bit clear): either way the page is ours.
		 * A swap entry stays: the page gets the region's protection when
		 * it comes back (do_swap_page). */
		if (!pte_none(old) && !is_swap_pte(old)) {
			pte_t e = pfn_pte(pte_pfn(old), v->vm_page_prot);
			/* a private page that is already the process's own keeps write */
			if (!(v->vm_flags & VM_SHARED) && (v->vm_flags & VM_WRITE) && pte_write(old))
				e = pte_mkwrite(e);
			e = __pte(pte_val(e) | (pte_val(old) & (_PAGE_ACCESSED | _PAGE_DIRTY)));
			/* only if unchanged: reclaim may swap the page out meanwhile */
			if (!ptep_cmpxchg(mm, a, pte, old, e))
				a -= PAGE_SIZE; /* read it again */
		}
		pte_unmap(pte);
	}
	flush_tlb_range(v, v->vm_start, v->vm_end);
}

long do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot)
{
	if ((start & ~PAGE_MASK) || (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (start >= TASK_SIZE || len > TASK_SIZE - start)
		return -ENOMEM;
	unsigned long end = start + PAGE_ALIGN(len);
	if (end == start)
		return 0;
	/* Linux: the whole range must be mapped */
	for (unsigned long a = start; a < end;) {
		struct vm_area_struct *v = find_vma(mm, a);
		if (!v || v->vm_start > a)
			return -ENOMEM;
		a = v->vm_end;
	}
	if (split_at(mm, start, end))
		return -ENOMEM;
	for (int i = vma_index(mm, start); i < mm->map_count && mm->vmas[i]->vm_start < end; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		v->vm_flags = (v->vm_flags & ~(unsigned long)VM_ACCESS_FLAGS) | (prot & VM_ACCESS_FLAGS);
		v->vm_page_prot = vm_get_page_prot(v->vm_flags);
		change_protection(mm, v);
	}
	merge_range(mm, start, end);
	return 0;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long newbrk)
{
	unsigned long oldend = PAGE_ALIGN(mm->brk), newend = PAGE_ALIGN(newbrk);

	if (newbrk < mm->start_brk || newbrk > TASK_SIZE)
		return mm->brk;
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend - newend))
			return mm->brk;
	} else if (newend > oldend) {
		struct vm_area_struct *next = find_vma(mm, oldend);
		if (next && next->vm_start < newend + ((next->vm_flags & VM_GROWSDOWN) ? stack_guard_gap : 0))
			return mm->brk; /* would run into the next region */
		if (IS_ERR_VALUE((unsigned long)do_mmap(mm, oldend, newend - oldend, PROT_READ | PROT_WRITE,
							MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0)))
			return mm->brk;
	}
	mm->brk = newbrk;
	return newbrk;
}

long do_madvise_dontneed(struct mm_struct *mm, unsigned long start, size_t len)
{
	if ((start & ~PAGE_MASK) || start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	unsigned long end = start + PAGE_ALIGN(len);
	for (unsigned long a = start; a < end;) {
		struct vm_area_struct *v = find_vma(mm, a);
		if (!v || v->vm_start >= end)
			break;
		unsigned long s = v->vm_start > a ? v->vm_start : a, e = v->vm_end < end ? v->vm_end : end;
		if (v->vm_flags & VM_SHARED)
			return -EINVAL; /* its pages exist only in the mappings (populate_shared) */
		zap_page_range(mm, s, e);
		a = e;
	}
	return 0;
}

int expand_stack(struct vm_area_struct *v, unsigned long addr)
{
	struct mm_struct *mm = v->vm_mm;
	struct vm_area_struct *prev;

	addr &= PAGE_MASK;
	if (!(v->vm_flags & VM_GROWSDOWN) || addr >= v->vm_start)
		return addr >= v->vm_start ? 0 : -EFAULT;
	if (v->vm_end - addr > STACK_RLIMIT)
		return -ENOMEM;
	find_vma_prev(mm, v->vm_start, &prev);
	if (prev && (addr < prev->vm_end || addr - prev->vm_end < stack_guard_gap))
		return -ENOMEM;
	mm->total_vm += (v->vm_start - addr) >> PAGE_SHIFT;
	v->vm_pgoff -= (v->vm_start - addr) >> PAGE_SHIFT;
	v->vm_start = addr;
	return 0;
}

void exit_mmap(struct mm_struct *mm)
{
	unmap_vmas(mm); /* every mapping lies inside a region */
	free_pgtables(mm);
	for (int i = 0; i < mm->map_count; i++)
		vm_area_free(mm->vmas[i]);
	kfree(mm->vmas);
	mm->vmas = NULL;
	mm->map_count = mm->vmas_cap = 0;
	mm->total_vm = 0;
}

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	for (int i = 0; i < oldmm->map_count; i++) {
		struct vm_area_struct *v = vm_area_alloc(mm);
		if (!v)
			return -ENOMEM;
		*v = *oldmm->vmas[i];
		v->vm_mm = mm;
		anon_vma_link(v, oldmm->vmas[i]); /* the family's pages: copied PTEs point at them */
		if (v->vm_file)
			get_file(v->vm_file);
		if (vma_link(mm, v)) {
			vm_area_free(v);
			return -ENOMEM;
		}
		if (copy_page_range(mm, oldmm, oldmm->vmas[i]))
			return -ENOMEM;
	}
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	/* the layout /proc/PID/stat and cmdline read: a forked child has its parent's
	 * argv until it execs (Linux's dup_mm copies the whole mm_struct) */
	mm->start_code = oldmm->start_code, mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data, mm->end_data = oldmm->end_data;
	mm->arg_start = oldmm->arg_start, mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start, mm->env_end = oldmm->env_end;
	return 0;
}
