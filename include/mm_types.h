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
};

/* A range of an address space with one set of permissions. Only what the
 * page-table code needs yet; processes add the rest. */
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end; /* [vm_start, vm_end) */
	unsigned long vm_flags;
	pgprot_t vm_page_prot;
};

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

/* ---- user pages (mm/memory.c) ---- */

/* The shared page of zeros that reads of untouched anonymous memory map
 * (read-only; never counted in _mapcount or freed). NULL until zero_page_init. */
extern struct page *empty_zero_page_ptr;
#define ZERO_PAGE(vaddr) ((void)(vaddr), empty_zero_page_ptr)
/* Allocate it (boot); false without memory. */
bool zero_page_init(void);

/* A page's mappings (_mapcount, Linux's rmap names): the first mapping of
 * a new anonymous page, one more mapping, one less. */
void page_add_new_anon_rmap(struct page *page);
void page_dup_rmap(struct page *page);
void page_remove_rmap(struct page *page);

/* Map page at user address addr of mm with prot: the mapping takes a
 * reference and counts in _mapcount. 0, -ENOMEM (no PTE page) or -EBUSY
 * (something is mapped there). */
int install_user_page(struct mm_struct *mm, unsigned long addr, struct page *page, pgprot_t prot);
/* Unmap every page in [start, end) of user space: each mapping's reference
 * and _mapcount go; flushes mm. Returns the PTEs cleared. PTE pages stay. */
unsigned long zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* A user-space page fault at addr (error: the x86 #PF code, X86_PF_*):
 * 0 when the page is now mapped, else VM_FAULT_SIGSEGV (no mapping allows
 * the access) or VM_FAULT_OOM (no memory for it). */
#define VM_FAULT_OOM 0x1
#define VM_FAULT_SIGSEGV 0x2
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned error);

#endif
