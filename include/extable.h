/* extable.h - the exception table: how kernel code that may fault on
 * purpose (touching user memory, probing an address) recovers.
 *
 * Each entry pairs the address of an instruction that may fault with the
 * address of fixup code to resume at instead (Linux's __ex_table). The trap
 * handler looks the faulting instruction up; a hit resumes at the fixup,
 * which makes the operation return -EFAULT. Anything else is an oops. The
 * entries are emitted next to the instruction by _ASM_EXTABLE in inline
 * assembly (arch/x86/include/asm_extable.h), collected by the linker into
 * one section, and sorted once at boot for binary search.
 */
#ifndef HL_EXTABLE_H
#define HL_EXTABLE_H

#include "types.h"

struct exception_table_entry {
	unsigned long insn;  /* the instruction that may fault */
	unsigned long fixup; /* where to resume */
	unsigned long type;  /* EX_TYPE_* */
};

#define EX_TYPE_DEFAULT 0 /* resume at fixup */
/* A `call` whose target may fault on fetch (a probe of executable memory):
 * `insn` is the call's return address; the fault happens at the target, so
 * the trap handler finds the entry through the return address on the stack. */
#define EX_TYPE_CALL 1

/* Sort a table in place (insertion sort: a few hundred entries, once). */
void sort_extable(struct exception_table_entry *start, struct exception_table_entry *end);
/* The entry for insn in a sorted table, or NULL. */
const struct exception_table_entry *search_extable(const struct exception_table_entry *start,
						   const struct exception_table_entry *end,
						   unsigned long insn);
/* The kernel's own table (the linker's __ex_table section). */
void sort_main_extable(void);
const struct exception_table_entry *search_exception_tables(unsigned long insn);

/* The last fault this CPU recovered from through the table: what happened,
 * for the caller (and tests) to check. `count` rises with each. */
struct fixup_record {
	int vector;          /* 14 = #PF, 6 = #UD, 0 = #DE, 13 = #GP */
	u32 error;           /* the CPU's error code */
	unsigned long ip;    /* the faulting instruction */
	unsigned long addr;  /* #PF: CR2 */
	unsigned long count;
};
void last_fixup(struct fixup_record *out);

/* Probes that never oops: 0, or -EFAULT when the access faulted (the
 * fault is in last_fixup). Linux's names for the copies. */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);
long copy_to_kernel_nofault(void *dst, const void *src, size_t size);
/* Call fn (e.g. code in a no-execute page): -EFAULT if fetching it faults. */
long call_nofault(void (*fn)(void));
/* Execute ud2 / divide by zero: -EFAULT (they always fault), for tests of
 * the table itself. */
long ud2_nofault(void);
long divide_by_zero_nofault(void);

#endif
