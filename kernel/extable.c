/* extable.c - sorting and searching exception tables (include/extable.h).
 * Generic and hosted-tested; the kernel's table is the linker's __ex_table. */
#include "extable.h"

void sort_extable(struct exception_table_entry *start, struct exception_table_entry *end)
{
	for (struct exception_table_entry *p = start + 1; p < end; p++) {
		struct exception_table_entry e = *p, *q = p;
		for (; q > start && q[-1].insn > e.insn; q--)
			*q = q[-1];
		*q = e;
	}
}

const struct exception_table_entry *search_extable(const struct exception_table_entry *start,
						   const struct exception_table_entry *end,
						   unsigned long insn)
{
	while (start < end) {
		const struct exception_table_entry *mid = start + (end - start) / 2;
		if (mid->insn == insn)
			return mid;
		if (mid->insn < insn)
			start = mid + 1;
		else
			end = mid;
	}
	return NULL;
}

#ifndef HL_HOSTED
extern struct exception_table_entry __start___ex_table[], __stop___ex_table[];

void sort_main_extable(void) { sort_extable(__start___ex_table, __stop___ex_table); }

const struct exception_table_entry *search_exception_tables(unsigned long insn)
{
	return search_extable(__start___ex_table, __stop___ex_table, insn);
}
#endif
