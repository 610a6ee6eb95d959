/* kstrto.h - the one number parser of the command line and the monitor.
 *
 * Linux's kstrto*() names and meaning: the whole string must be the number
 * (one trailing newline is allowed), and the answer is either the exact
 * value or an error, never something else:
 *   0        *res holds the value;
 *   -EINVAL  not a number (empty, no digits, junk after them): *res untouched;
 *   -ERANGE  a number, but it does not fit the type: *res untouched.
 * base 0 means "as written": 0x/0X hex, a leading 0 octal, else decimal;
 * base 16 also accepts the 0x prefix. Leading zeros are only zeros, however
 * many ("0000000007" is 7). One leading '+' is accepted; a '-' only by the
 * signed variants. parse_size() adds Linux's K/M/G/T size suffixes and,
 * unlike Linux's memparse(), reports errors the same way.
 */
#ifndef HL_KSTRTO_H
#define HL_KSTRTO_H

#include "types.h"

#ifndef ENOENT
#define ENOENT 2   /* no such option */
#endif
#ifndef E2BIG
#define E2BIG 7    /* value longer than the caller's buffer */
#endif
#ifndef EINVAL
#define EINVAL 22  /* not a number */
#endif
#ifndef ERANGE
#define ERANGE 34  /* a number that does not fit */
#endif

/* Parse s as an unsigned 64-bit number in base (0, 8, 10 or 16). */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
/* Signed 64-bit: an optional leading '-'. */
int kstrtoll(const char *s, unsigned int base, long long *res);
/* unsigned long (32 bits on i686). */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
/* long (32 bits on i686). */
int kstrtol(const char *s, unsigned int base, long *res);
/* unsigned int. */
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
/* int. */
int kstrtoint(const char *s, unsigned int base, int *res);
/* A size: a number in kstrto_base() (decimal, or 0x hex) with an optional
 * K/M/G/T suffix (either case), e.g. "512M" -> 536870912, "0512M" -> the
 * same. 0, -EINVAL or -ERANGE as above. */
int parse_size(const char *s, u64 *res);
/* The base Highland's command line and monitor read numbers in: 16 if s is
 * written 0x... (after an optional sign), else 10 - so leading zeros are only
 * zeros there, never octal (Linux's base 0 would read "010" as 8). */
unsigned int kstrto_base(const char *s);
/* A short English word for a kstrto*() error code, for messages. */
const char *kstrto_strerror(int err);

#endif
