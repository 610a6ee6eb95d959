/* mm_types.h - an address space (struct mm_struct) and a region of one
 * (struct vm_area_struct), in Linux's names and meanings.
 *
 * Every address space shares the kernel's top gigabyte: its PGD (a PAE
 * PDPT, 4 entries) points entry 3 at the one kernel PMD page, so a kernel
 * mapping made once is seen by all. Entries 0..2 point at three user PMD
 * pages allocated with the PGD (Linux preallocates them on PAE too, because
 * the CPU reads the PDPT only at a CR3 load: entries never change later).
 *
 * init_mm is the kernel's own (swapper_pg_dir). A kernel thread has no mm
 * of its own and borrows whichever was loaded (active_mm: Linux's lazy TLB),
 * so switching to it costs no CR3 load.
 */
#ifndef HL_MM_TYPES_H
#define HL_MM_TYPES_H

#include "err.h"
#include "pgtable.h"
#include "spinlock.h"

struct mm_struct {
	pgd_t *pgd;                 /* the PDPT: 32 bytes, 32-aligned, below 4 GiB */
	spinlock_t page_table_lock; /* protects page-table page allocation */
	int mm_users;               /* tasks using it (atomic) */
	int mm_count;               /* references to the struct itself (atomic) */
	unsigned long pgtables_bytes; /* PMD and PTE pages it owns */
	unsigned long cpu_bitmap;   /* CPUs that may hold its translations (mm_cpumask) */
	unsigned long flush_count;  /* per-mm flushes asked for (tests, monitor) */
	/* Its regions (mm/mmap.c): sorted by address, non-overlapping. One
	 * thread per process, so only the owner changes them (fork reads
	 * the parent's as the parent). */
	struct vm_area_struct **vmas;
	int map_count, vmas_cap;
	unsigned long start_brk, brk;  /* the heap: [start_brk, brk) */
	unsigned long start_stack;
	unsigned long total_vm;        /* pages in all regions */
	/* Where exec put the program's parts (Linux's names; /proc/PID/stat,
	 * status and cmdline read them; 0 until exec fills them): text
	 * [start_code, end_code), data [start_data, end_data), the argv strings
	 * [arg_start, arg_end) and environment [env_start, env_end) on the stack. */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long arg_start, arg_end, env_start, env_end;
	/* Resident pages by kind (Linux's rss_stat, MM_* below), changed with
	 * add_mm_counter where mm/memory.c maps and unmaps pages; the zero page
	 * is never counted. hiwater_rss/hiwater_vm: the most seen (VmHWM, VmPeak). */
	long rss_stat[4];
	unsigned long hiwater_rss, hiwater_vm;
};

/* rss_stat's indexes, Linux's order. Highland has no swap (MM_SWAPENTS stays
 * 0) and counts shared anonymous pages as MM_ANONPAGES (Linux: MM_SHMEMPAGES). */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

/* Read / change one of mm's resident-page counters (atomic). */
static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	long v = __atomic_load_n(&mm->rss_stat[member], __ATOMIC_RELAXED);
	return v < 0 ? 0 : (unsigned long)v;
}
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	__atomic_add_fetch(&mm->rss_stat[member], value, __ATOMIC_RELAXED);
}
/* All resident pages of mm (VmRSS), and the high-water marks brought up to date. */
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

struct file;
struct anon_vma;
struct vm_area_struct;

/* A range of an address space with one set of permissions (Linux's VMA). */
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end; /* [vm_start, vm_end) */
	unsigned long vm_flags;         /* VM_* below */
	pgprot_t vm_page_prot;          /* what a PTE of it gets (writable only if shared) */
	unsigned long vm_pgoff;         /* file offset of vm_start, in pages */
	struct file *vm_file;           /* NULL: anonymous */
	/* Reverse map (mm/rmap.c): the anon_vma its anonymous pages point at,
	 * shared with the regions fork copied it into; NULL until its first
	 * anonymous page. anon_vma_node links it on that anon_vma's list. */
	struct anon_vma *anon_vma;
	struct list_head anon_vma_node;
};

/* vm_flags, Linux's values. */
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_SHARED 0x8
#define VM_MAYREAD 0x10
#define VM_MAYWRITE 0x20
#define VM_MAYEXEC 0x40
#define VM_GROWSDOWN 0x100
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

static inline unsigned long *mm_cpumask(struct mm_struct *mm) { return &mm->cpu_bitmap; }

/* A new, empty address space sharing the kernel's mappings; NULL when out
 * of memory (nothing is left allocated). */
struct mm_struct *mm_alloc(void);
/* Drop a user; the last one frees the PTE pages (every PTE must already be
 * clear: the pages they mapped are the caller's) and drops the reference
 * that mm_alloc took. */
void mmput(struct mm_struct *mm);
/* Take / drop a reference to the struct alone (a CPU that borrows the mm
 * lazily); the last mmdrop frees the PGD and the struct. init_mm is never freed. */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/* Create the cache PGDs come from (boot, after kmem_cache_init). */
void pgtable_cache_init(void);
/* The PGD of a new address space: the PDPT with the kernel PMD in entry 3
 * and three new, empty user PMDs; NULL when out of memory. */
pgd_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm, pgd_t *pgd);

/* The PTE of a user address, allocating the PTE page if needed (from
 * HIGHMEM unless userpte=nohigh); mapped with pte_offset_map, so the caller
 * calls pte_unmap. NULL when out of memory or addr is a kernel address. */
pte_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr);
/* Free the PTE pages under [start, end) of user space (their PTEs must be
 * clear) and flush the mm (Linux's free_pgd_range, without mmu_gather). */
void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* At exit, after unmap_vmas: every PTE page under mm's regions freed (the
 * 2 MB each region touches; all their PTEs are clear), one flush - Linux's
 * free_pgtables, so that mmput need not scan all of user space. */
void free_pgtables(struct mm_struct *mm);

/* Load next's page tables on this CPU (a CR3 load) and move this CPU from
 * prev's cpu set to next's. Nothing happens when prev == next. */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

struct task;
/* The scheduler's step (interrupts off): load next's mm, or let a kernel
 * thread borrow prev's (lazy TLB). */
void mm_switch_tasks(struct task *prev, struct task *next);
/* A kernel thread adopts mm for a while (Linux's names): its user half is
 * then this thread's, across preemption, until kthread_unuse_mm. */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/* The mm whose page tables this CPU has loaded. */
struct mm_struct *current_active_mm(void);

/* Where user PTE pages come from: HIGHMEM (HIGHPTE, the default) or lowmem
 * (userpte=nohigh). */
extern bool user_pte_highmem;
/* userpte=any: HIGHMEM PTE pages may lie above 4 GiB (by default they are
 * kept below: QEMU 7.2's TCG cannot walk them there for user accesses). */
extern bool user_pte_above_4g;

/* ---- user pages (mm/memory.c) ---- */

/* The shared page of zeros that reads of untouched anonymous memory map
 * (read-only; never counted in _mapcount or freed). NULL until zero_page_init. */
extern struct page *empty_zero_page_ptr;
#define ZERO_PAGE(vaddr) ((void)(vaddr), empty_zero_page_ptr)
/* Allocate it (boot); false without memory. */
bool zero_page_init(void);

/* A page's mappings (_mapcount, Linux's rmap names): the first mapping of
 * a new anonymous page (at address of vma: include/rmap.h gives it its
 * anon_vma), one more mapping, one less. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
void page_dup_rmap(struct page *page);
void page_remove_rmap(struct page *page);

/* Map page at user address addr of mm with prot: the mapping takes a
 * reference and counts in _mapcount. 0, -ENOMEM (no PTE page) or -EBUSY
 * (something is mapped there). */
int install_user_page(struct mm_struct *mm, unsigned long addr, struct page *page, pgprot_t prot);
/* Unmap every page in [start, end) of user space: each mapping's reference
 * and _mapcount go; flushes mm. Returns the PTEs cleared. PTE pages stay. */
unsigned long zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* The same for every region of mm, with one flush (exit: only the regions'
 * page tables are walked, not all of user space). */
unsigned long unmap_vmas(struct mm_struct *mm);

/* A user-space page fault at addr (flags: FAULT_FLAG_*): 0 when the page
 * is now mapped as the access needs, else VM_FAULT_SIGSEGV (no region
 * allows the access) or VM_FAULT_OOM (no memory for it). */
#define VM_FAULT_OOM 0x1
#define VM_FAULT_SIGSEGV 0x2
#define VM_FAULT_SIGBUS 0x4 /* a file mapping's page past the end of its file */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned flags);

/* ---- regions (mm/mmap.c) ---- */

#define TASK_SIZE PAGE_OFFSET                 /* user space: [0, 3 GB) */
#define TASK_UNMAPPED_BASE (TASK_SIZE / 3)    /* where mmap looks first (Linux's legacy i386 layout) */
#define STACK_RLIMIT (8UL << 20)              /* RLIMIT_STACK: 8 MB, Linux's default */
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#ifndef IS_ERR_VALUE
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
#endif

/* mmap's prot and flags, Linux's values. */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x100
#define MADV_DONTNEED 4

/* The gap kept below a stack region (Linux's stack_guard_gap: 1 MB). */
extern unsigned long stack_guard_gap;

/* The PTE protections of a region with these VM_* flags: read-only for a
 * private writable one (copy on write), NX unless VM_EXEC. */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* The first region that ends above addr (it may start above addr too), or
 * NULL; binary search. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The same, and the region before it in *prev. */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **prev);
/* The first region overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
/* Add a filled-in region (no merge): 0, -EINVAL if it overlaps one, -ENOMEM. */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *v);
void vm_area_free(struct vm_area_struct *v);
/* A free range of len bytes: the hint addr if free, else the first gap from
 * TASK_UNMAPPED_BASE up (a stack's guard gap counts as used); -ENOMEM. */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len);
/* Map len bytes (PROT_*, MAP_*): the address or -errno. Anonymous only
 * until fs/ lands (a file is -ENODEV); private regions merge with alike
 * neighbours; a shared anonymous region gets its pages now. */
long do_mmap(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
	     unsigned long flags, struct file *file, unsigned long pgoff);
/* Unmap [start, start + len), splitting regions at the ends: 0 or -EINVAL. */
long do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* New PROT_* for [start, start + len), splitting and merging regions and
 * changing the PTEs that exist: 0, -EINVAL, -ENOMEM (a hole in the range). */
long do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);
/* Move the heap's end (brk): the new end, or the old one if refused. */
unsigned long do_brk(struct mm_struct *mm, unsigned long newbrk);
/* MADV_DONTNEED: drop the pages of [start, start + len); private anonymous
 * memory reads as zeros after. */
long do_madvise_dontneed(struct mm_struct *mm, unsigned long start, size_t len);
/* Grow a VM_GROWSDOWN region down to addr: 0, or -ENOMEM past STACK_RLIMIT
 * or into the guard gap above the region below. */
int expand_stack(struct vm_area_struct *v, unsigned long addr);
/* Unmap everything and free every region (exit, exec). */
void exit_mmap(struct mm_struct *mm);
/* fork: copy oldmm's regions into mm, sharing pages copy-on-write. -ENOMEM
 * leaves a partial copy for exit_mmap. */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);

/* ---- faults and copy on write (mm/memory.c) ---- */

/* The PTE of a user address if its PTE page exists (mapped: pte_unmap
 * after), else NULL. */
pte_t *user_pte_map(struct mm_struct *mm, unsigned long addr);
/* A present user entry the kernel may turn into a struct page: every bit
 * of its address (12-62: PAE's frame bits to 51, reserved bits above)
 * names a frame below max_pfn. Anything else is damage (Linux's
 * vm_normal_page and print_bad_pte): reported, never used to reach a
 * struct page, which would be some other memory. (pte_pfn keeps bits 12-43
 * only, on i386: a test of it alone would miss a stray bit 44-51.) */
static inline bool pte_valid_user(pte_t e)
{
	return ((pte_val(e) & ~_PAGE_NX) >> PAGE_SHIFT) < max_pfn;
}
/* The page mapped (present) at a user address of mm, with a reference of
 * the caller's (put_page after), or NULL. For reading or writing another
 * mm's memory (exec's argument copy, /proc/PID/cmdline): reclaim on another
 * CPU may unmap and free a page whose PTE was merely read (Linux's
 * follow_page with FOLL_GET). */
struct page *follow_page_get(struct mm_struct *mm, unsigned long addr);
/* fork: copy vma's PTEs from src to dst; private writable pages become
 * read-only in both (copy on write), each mapping counted. 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* Zero a user page through kmap_atomic / copy one through two kmap_atomic
 * slots (Linux's names; vaddr is the user address, for cache colouring
 * elsewhere). */
void clear_user_highpage(struct page *page, unsigned long vaddr);
void copy_user_highpage(struct page *to, struct page *from, unsigned long vaddr,
			struct vm_area_struct *vma);
/* handle_mm_fault's flags (Linux's names). */
#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_INSTRUCTION 0x100
/* Pages mapped into some user address space, anonymous and page-cache ones
 * (meminfo's AnonPages and Mapped), kept by the rmap calls above; and the
 * pages of user page tables (PMD and PTE pages of every mm: PageTables),
 * kept by mm/pgtable.c. */
extern long nr_anon_mapped, nr_file_mapped, nr_pagetable_pages;
/* Pages made by faults (for tests and the monitor). */
extern unsigned long nr_anon_faults, nr_zero_page_faults, nr_cow_copies, nr_cow_reuses,
	nr_file_faults;
/* Faults in a region that allows the access: vmstat.h's PGFAULT. */

#endif
