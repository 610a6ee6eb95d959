/* cmdline.h - the kernel command line: `key=value` and bare `flag` words,
 * separated by whitespace (space, tab, newline, as Linux's isspace()). Later
 * words win over earlier ones, as in Linux.
 *
 * Nothing is ever cut silently: a value that does not fit the caller's
 * buffer, or is not the number asked for, is an error the caller gets back
 * (and the message naming the option is already printed), and a command
 * line longer than CMDLINE_MAX - 1 bytes loses its last whole words, with
 * an error naming the first word dropped - never half a word. Numbers are
 * parsed by kstrto*() (include/kstrto.h): exact value or error.
 */
#ifndef HL_CMDLINE_H
#define HL_CMDLINE_H

#include "kstrto.h"
#include "types.h"

/* Linux x86's COMMAND_LINE_SIZE: the longest command line, NUL included. */
#define CMDLINE_MAX 2048

/* Keep a private copy of the command line (the boot info may be reused).
 * Returns 0, or -E2BIG if whole words at the end had to be dropped (said). */
int cmdline_set(const char *s);
/* The command line as kept (after any cut at a word boundary). */
const char *cmdline_get_all(void);
/* True if `key` or `key=...` appears. */
bool cmdline_has(const char *key);
/* Copy the value of the last `key=` into buf. Returns the value's length,
 * -ENOENT if the key is absent or a bare flag, or -E2BIG (printed, buf "")
 * if the value does not fit in size bytes: nothing is truncated. */
int __attribute__((warn_unused_result))
cmdline_get_str(const char *key, char *buf, size_t size);
/* key=N as an int / unsigned int / unsigned long long (kstrto*, decimal or
 * 0x hex as kstrto_base() says; leading zeros are only zeros):
 * 0 and *val set, -ENOENT if absent (or bare), else -EINVAL/-ERANGE with a
 * message "key=... ignored: not a number/out of range" already printed. */
int cmdline_get_int(const char *key, int *val);
int cmdline_get_uint(const char *key, unsigned int *val);
int cmdline_get_ull(const char *key, unsigned long long *val);
/* key=SIZE with K/M/G/T suffixes (parse_size); same returns and messages. */
int cmdline_get_size(const char *key, u64 *val);
/* Whitespace between command-line words (Linux's isspace). */
bool cmdline_isspace(char c);

#endif
