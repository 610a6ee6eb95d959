/* ksyms.h - the kernel's own symbol table, embedded at build time
 * (tools/gen-ksyms.py, second link), and stack backtraces that use it. */
#ifndef HL_KSYMS_H
#define HL_KSYMS_H

#include "types.h"

/* Name of the function containing addr, its start offset and size; NULL if unknown. */
const char *ksym_lookup(u32 addr, u32 *offset, u32 *size);
/* Format "name+0xoff/0xsize" (or "0x%08x") into buf. */
void ksym_format(u32 addr, char *buf, size_t size);
/* Address of a symbol by name, 0 if absent. */
u32 ksym_address(const char *name);
/* Print a " [<addr>] name+off/size" call trace starting at frame pointer ebp. */
void dump_backtrace(u32 eip, u32 ebp);
/* Print the caller's own backtrace. */
void dump_stack(void);

#endif
