/* cmdline.h - the kernel command line: `key=value` and bare `flag` words,
 * separated by spaces. Later words win over earlier ones, as in Linux. */
#ifndef HL_CMDLINE_H
#define HL_CMDLINE_H

#include "types.h"

/* Keep a private copy of the command line (the boot info may be reused). */
void cmdline_set(const char *s);
const char *cmdline_get_all(void);
/* Copy the value of the last `key=` into buf; false if key is absent. */
bool cmdline_get(const char *key, char *buf, size_t size);
/* True if `key` or `key=...` appears. */
bool cmdline_has(const char *key);
/* Parse `key=` as a number (decimal, 0x hex); false (with a message) if absent or malformed. */
bool cmdline_get_long(const char *key, long *val);
/* Parse a size with an optional K/M/G suffix (Linux's memparse): "512M" -> 536870912.
 * Returns false if s is not a size; *end points after what was parsed. */
bool memparse(const char *s, u64 *val, const char **end);

#endif
