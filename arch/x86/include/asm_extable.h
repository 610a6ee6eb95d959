/* asm_extable.h - emitting exception-table entries from inline assembly
 * (include/extable.h explains the table). */
#ifndef HL_ASM_EXTABLE_H
#define HL_ASM_EXTABLE_H

#define _ASM_EXTABLE_TYPE(from, to, type)                 \
	".pushsection __ex_table, \"a\"\n\t"              \
	".balign 4\n\t"                                   \
	".long " #from ", " #to ", " #type "\n\t"         \
	".popsection\n\t"
#define _ASM_EXTABLE(from, to) _ASM_EXTABLE_TYPE(from, to, 0)

#endif
