/* pgtable_pae.h - the PAE page-table format and the operations on one entry.
 *
 *   CR3 -> PDPT (4 x 1 GB) -> PMD (512 x 2 MB) -> PTE (512 x 4 KB)
 *
 * Every entry is 64 bits; bit 63 is NX. Linux calls the PDPT the PGD (and
 * folds P4D and PUD into it), and so do we. This header is pure data
 * manipulation: it builds in the kernel and in the hosted tests, which give
 * it the same few atomic primitives (pgtable_arch.h in each):
 *   pae_cmpxchg64(p, old, new)   64-bit compare-and-exchange (cmpxchg8b)
 *   pae_written(mm, addr, p, v)  a hook before a PTE is written (the hosted
 *                                machine's TLB model checks it; nothing on x86)
 *
 * Why the care: a 32-bit CPU stores 64 bits as two 32-bit writes, while the
 * MMU of another CPU reads the entry 64 bits at a time and may set the
 * accessed and dirty bits in it at any moment. So an entry is never written
 * in a way that shows another CPU half of it while it is present, and a
 * read-modify-write is a cmpxchg8b loop that cannot lose a bit the MMU set.
 */
#ifndef HL_PGTABLE_PAE_H
#define HL_PGTABLE_PAE_H

#include "layout.h"
#include "types.h"

struct mm_struct;

/* Opaque, as in Linux: entries are read with pte_val() and built with
 * __pte(), so a bare number is never taken for an entry by mistake. */
typedef struct { u64 pte; } pte_t;
typedef struct { u64 pmd; } pmd_t;
typedef struct { u64 pgd; } pgd_t;
typedef struct { u64 pgprot; } pgprot_t;

static inline u64 pte_val(pte_t p) { return p.pte; }
static inline u64 pmd_val(pmd_t p) { return p.pmd; }
static inline u64 pgd_val(pgd_t p) { return p.pgd; }
static inline u64 pgprot_val(pgprot_t p) { return p.pgprot; }
static inline pte_t __pte(u64 v) { return (pte_t){ v }; }
static inline pmd_t __pmd(u64 v) { return (pmd_t){ v }; }
static inline pgd_t __pgd(u64 v) { return (pgd_t){ v }; }
#define __pgprot(v) ((pgprot_t){ (v) })

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2)
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7) /* in a PMD entry: a 2 MB page */
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_NX (1ULL << 63)
#define PTE_PFN_MASK 0x000ffffffffff000ULL /* bits 12..51 */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* NX in entries only when the CPU has it (paging_init clears it otherwise);
 * every protection below goes through it. */
extern u64 __supported_pte_mask;
#define __PP(v) __pgprot((v) & __supported_pte_mask)

/* Kernel protections (Linux's names). Kernel mappings are global: they are
 * the same in every address space, so a CR3 load need not drop them. */
#define __PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL __PP(__PAGE_KERNEL)
#define PAGE_KERNEL_RO __PP(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_EXEC __PP(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define PAGE_KERNEL_RX __PP(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE __PP(__PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)
/* User protections (Linux's): PAGE_COPY is read-only until a write fault
 * copies the page (copy-on-write); PAGE_NONE is present to the kernel only
 * (not to the MMU: Linux uses a software bit; we keep no bit and map nothing). */
#define PAGE_NONE __PP(_PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED __PP(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC __PP(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY __PP(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_COPY_EXEC __PP(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY __PP(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY_EXEC __PP(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

#define pgd_index(va) (((va) >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1))
#define pmd_index(va) (((va) >> PMD_SHIFT) & (PTRS_PER_PMD - 1))
#define pte_index(va) (((va) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/* ---- building and reading entries (values, not pointers) ---- */
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte(((u64)pfn << PAGE_SHIFT) | pgprot_val(prot));
}
static inline unsigned long pte_pfn(pte_t p) { return (unsigned long)((pte_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT); }
static inline bool pte_none(pte_t p) { return pte_val(p) == 0; }
static inline bool pte_present(pte_t p) { return pte_val(p) & _PAGE_PRESENT; }
static inline bool pte_write(pte_t p) { return pte_val(p) & _PAGE_RW; }
static inline bool pte_young(pte_t p) { return pte_val(p) & _PAGE_ACCESSED; }
static inline bool pte_dirty(pte_t p) { return pte_val(p) & _PAGE_DIRTY; }
static inline bool pte_user(pte_t p) { return pte_val(p) & _PAGE_USER; }
static inline bool pte_exec(pte_t p) { return !(pte_val(p) & _PAGE_NX); }
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }
static inline pte_t pte_mkwrite(pte_t p) { return __pte(pte_val(p) | _PAGE_RW); }
static inline pte_t pte_mkold(pte_t p) { return __pte(pte_val(p) & ~_PAGE_ACCESSED); }
static inline pte_t pte_mkyoung(pte_t p) { return __pte(pte_val(p) | _PAGE_ACCESSED); }
static inline pte_t pte_mkclean(pte_t p) { return __pte(pte_val(p) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkdirty(pte_t p) { return __pte(pte_val(p) | _PAGE_DIRTY); }
static inline bool pmd_none(pmd_t p) { return pmd_val(p) == 0; }
static inline bool pmd_present(pmd_t p) { return pmd_val(p) & _PAGE_PRESENT; }
static inline bool pmd_large(pmd_t p) { return pmd_val(p) & _PAGE_PSE; }
static inline unsigned long pmd_pfn(pmd_t p) { return (unsigned long)((pmd_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT); }
static inline bool pgd_present(pgd_t p) { return pgd_val(p) & _PAGE_PRESENT; }
static inline unsigned long pgd_pfn(pgd_t p) { return (unsigned long)((pgd_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT); }

/* ---- reading and writing entries in a table ---- */

/* Read an entry whole. Two 32-bit loads could pair one half from before
 * and one from after the MMU (or another CPU) changed it: read low, high,
 * low again, and retry until the low word held still (Linux's ptep_get for
 * PAE does the same). */
static inline pte_t ptep_get(pte_t *ptep)
{
	volatile u32 *w = (volatile u32 *)ptep;
	u32 lo, hi;

	do {
		lo = w[0];
		__asm__ volatile("" : : : "memory");
		hi = w[1];
		__asm__ volatile("" : : : "memory");
	} while (lo != w[0]);
	return __pte(((u64)hi << 32) | lo);
}

/* Write an entry that is NOT present now (no CPU can be using it): the high
 * word first, then the low word with the present bit, so the entry becomes
 * present only once whole. Used where the caller knows it was clear
 * (kmap_atomic slots, fresh vmalloc/pkmap PTEs). */
static inline void set_pte(pte_t *ptep, pte_t v)
{
	volatile u32 *w = (volatile u32 *)ptep;

	w[1] = (u32)(pte_val(v) >> 32);
	__asm__ volatile("" : : : "memory");
	w[0] = (u32)pte_val(v);
}

/* set_pte(ptep, pfn_pte(pfn, prot)) computed in 32-bit halves: on i386 a
 * 64-bit pte_t costs register spills, and kmap_atomic's fast path (one PTE
 * write per map) is where that shows. Same ordering as set_pte. */
static inline void set_pte_pfn(pte_t *ptep, unsigned long pfn, pgprot_t prot)
{
	volatile u32 *w = (volatile u32 *)ptep;

	w[1] = (u32)((u64)pfn >> (32 - PAGE_SHIFT)) | (u32)(pgprot_val(prot) >> 32);
	__asm__ volatile("" : : : "memory");
	w[0] = (u32)(pfn << PAGE_SHIFT) | (u32)pgprot_val(prot);
}

/* Replace any entry in one atomic 64-bit step (cmpxchg8b), present or not. */
static inline void set_pte_atomic(pte_t *ptep, pte_t v)
{
	u64 old = pte_val(ptep_get(ptep));

	while (!pae_cmpxchg64(&ptep->pte, &old, pte_val(v)))
		;
}

/* Linux's set_pte_at: install v at addr of mm. An entry that may be live
 * is replaced atomically; a clear one by the two ordered stores. */
static inline void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t v)
{
	pae_written(mm, addr, ptep, v);
	if (pte_present(ptep_get(ptep)))
		set_pte_atomic(ptep, v);
	else
		set_pte(ptep, v);
}

/* Clear an entry: the low word (and with it the present bit) first, then
 * the high word; a walk in between sees "not present". */
static inline void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	volatile u32 *w = (volatile u32 *)ptep;

	pae_written(mm, addr, ptep, __pte(0));
	w[0] = 0;
	__asm__ volatile("" : : : "memory");
	w[1] = 0;
}

/* Apply `new = (old & ~clear) | set` atomically and return old: the loop
 * retries when the MMU set accessed/dirty between the read and the write,
 * so those bits are never lost. */
static inline pte_t pte_update(pte_t *ptep, u64 clear, u64 set)
{
	u64 old = pte_val(ptep_get(ptep));

	while (!pae_cmpxchg64(&ptep->pte, &old, (old & ~clear) | set))
		;
	return __pte(old);
}

/* Clear the entry and return what it held, dirty bit included. */
static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pae_written(mm, addr, ptep, __pte(0));
	return pte_update(ptep, ~0ULL, 0);
}

/* Make the entry read-only (fork's copy-on-write), keeping accessed/dirty. */
static inline void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	pte_update(ptep, _PAGE_RW, 0);
}

/* Was the page used since the last call? Clears the accessed bit (the
 * caller flushes if it needs the next access to set it again). */
static inline bool ptep_test_and_clear_young(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	if (!pte_young(ptep_get(ptep)))
		return false;
	return pte_young(pte_update(ptep, _PAGE_ACCESSED, 0));
}

/* Replace the entry by new only if it still holds old (cmpxchg8b): false if
 * anything changed it meanwhile (another CPU's reclaim, the MMU's
 * accessed bit). How two kernels paths that may race on one PTE (the
 * owner's fault or unmap, reclaim's unmap, swapoff) make sure neither
 * writes over what the other did. */
static inline bool ptep_cmpxchg(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t old,
				pte_t new)
{
	u64 expected = pte_val(old);

	pae_written(mm, addr, ptep, new);
	return pae_cmpxchg64(&ptep->pte, &expected, pte_val(new));
}

/* ---- swap entries in non-present PTEs (Linux i386 PAE's layout) ----
 *
 *   bit  0      present: 0 (the MMU faults)
 *   bits 1..8   0: a PROT_NONE entry has _PAGE_ACCESSED (bit 5) set, so
 *               the two never look alike
 *   bits 9..58  the offset, inverted (~offset)
 *   bits 59..63 the type (the swap area)
 * Inverted, as Linux since 4.19 (the L1TF mitigation): a not-present entry
 * whose address bits pointed at real memory could let a speculative load
 * read it on CPUs with L1TF; the inverted offset points far above RAM.
 * QEMU's TCG does not speculate, but the layout is Linux's so that what a
 * student reads in a PTE dump means the same thing. These take the type
 * and offset; include/swapops.h converts swp_entry_t. */
#define SWP_TYPE_BITS_PTE 5
#define SWP_OFFSET_FIRST_BIT 9
#define SWP_OFFSET_SHIFT (SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS_PTE)

static inline pte_t __swp_pte(unsigned type, unsigned long offset)
{
	return __pte((~(u64)offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS_PTE) |
		     ((u64)type << (64 - SWP_TYPE_BITS_PTE)));
}
static inline unsigned __pte_swp_type(pte_t p) { return (unsigned)(pte_val(p) >> (64 - SWP_TYPE_BITS_PTE)); }
static inline unsigned long __pte_swp_offset(pte_t p)
{
	return (unsigned long)(~pte_val(p) << SWP_TYPE_BITS_PTE >> SWP_OFFSET_SHIFT);
}
/* A swap entry, not an empty or PROT_NONE (or present) entry. */
static inline bool is_swap_pte(pte_t p)
{
	return !pte_none(p) && !(pte_val(p) & 0x1ffULL);
}

static inline pmd_t pmdp_get(pmd_t *pmdp) { return __pmd(pte_val(ptep_get((pte_t *)pmdp))); }
/* Install a page-table page or a 2 MB page in a PMD entry that is clear. */
static inline void set_pmd(pmd_t *pmdp, pmd_t v) { set_pte((pte_t *)pmdp, __pte(pmd_val(v))); }
static inline void pmd_clear(pmd_t *pmdp)
{
	volatile u32 *w = (volatile u32 *)pmdp;

	w[0] = 0;
	__asm__ volatile("" : : : "memory");
	w[1] = 0;
}

#endif
