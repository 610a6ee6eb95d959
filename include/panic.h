/* panic.h - fatal errors and warnings. */
#ifndef HL_PANIC_H
#define HL_PANIC_H

#include "types.h"

/* Print "Kernel panic - not syncing: <msg>" and a backtrace, then stop:
 * exit QEMU with the FAIL status (or halt forever on other machines). */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* Print "WARNING: at file:line" with the message and a backtrace, continue. */
void warn_at(const char *file, int line, const char *fmt, ...) __printf(3, 4);
#define WARN(cond, ...) ({ bool __c = !!(cond); if (unlikely(__c)) warn_at(__FILE__, __LINE__, __VA_ARGS__); __c; })
#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

#endif
