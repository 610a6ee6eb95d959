/* kstrto.c - exact number parsing for the command line and the monitor.
 *
 * Every option value and monitor argument goes through here, so one rule
 * holds everywhere: a value is the exact number written or an error the
 * caller must report. The earlier parsers copied values into small buffers
 * first (41 leading zeros and a 7 became 0) or wrapped silently. Written
 * from Linux's documented kstrto*() behaviour; also built hosted.
 */
#include "kstrto.h"
#include "kstring.h"

/* Digit value of c, or 16 (larger than any base) if it is not a digit. */
static unsigned digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (unsigned)((c | 0x20) - 'a' + 10);
	return 16;
}

/* Resolve base 0 and skip a 0x prefix (base 0 or 16); NULL if base is bad. */
static const char *fixup_radix(const char *s, unsigned *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] | 0x20) == 'x' && digit_value(s[2]) < 16;

	if (*base == 0)
		*base = hex_prefix ? 16 : s[0] == '0' ? 8 : 10;
	if (*base == 16 && hex_prefix)
		s += 2;
	if (*base != 8 && *base != 10 && *base != 16)
		return NULL;
	return s;
}

/* Digits of s in base; *end after them. -EINVAL if none, -ERANGE on overflow
 * (all digits are still consumed, so "huge" and "hugeX" differ in the error). */
static int parse_digits(const char *s, unsigned base, u64 *val, const char **end)
{
	u64 v = 0;
	bool overflow = false;
	const char *p = s;

	for (unsigned d; (d = digit_value(*p)) < base; p++) {
		if (v > (~0ULL - d) / base)
			overflow = true;
		v = v * base + d;
	}
	*end = p;
	if (p == s)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*val = v;
	return 0;
}

/* Only an optional newline may follow the number. */
static bool at_end(const char *p)
{
	return p[0] == '\0' || (p[0] == '\n' && p[1] == '\0');
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	const char *end;
	u64 v;
	int err;

	if (s[0] == '+')
		s++;
	s = fixup_radix(s, &base);
	if (!s)
		return -EINVAL;
	err = parse_digits(s, base, &v, &end);
	if (!at_end(end))
		return -EINVAL;
	if (err)
		return err;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (s[0] == '-') {
		if (s[1] == '+' || s[1] == '-')
			return -EINVAL;
		err = kstrtoull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (1ULL << 63))
			return -ERANGE;
		*res = v == (1ULL << 63) ? (long long)(-0x7fffffffffffffffLL - 1) : -(long long)v;
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > 0x7fffffffffffffffULL)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v != (unsigned long)v)
		return -ERANGE;
	*res = (unsigned long)v;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v != (long)v)
		return -ERANGE;
	*res = (long)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v != (unsigned int)v)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int err = kstrtoll(s, base, &v);

	if (err)
		return err;
	if (v != (int)v)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int parse_size(const char *s, u64 *res)
{
	unsigned base, shift = 0;
	const char *end;
	u64 v;
	int err;

	if (s[0] == '+')
		s++;
	base = kstrto_base(s);
	s = fixup_radix(s, &base); /* 10 or 16: always valid */
	err = parse_digits(s, base, &v, &end);
	switch (*end | 0x20) {
	case 't': shift = 40; break;
	case 'g': shift = 30; break;
	case 'm': shift = 20; break;
	case 'k': shift = 10; break;
	}
	if (shift)
		end++;
	if (!at_end(end))
		return -EINVAL;
	if (err)
		return err;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*res = v << shift;
	return 0;
}

unsigned int kstrto_base(const char *s)
{
	if (s[0] == '+' || s[0] == '-')
		s++;
	return s[0] == '0' && (s[1] | 0x20) == 'x' ? 16 : 10;
}

const char *kstrto_strerror(int err)
{
	switch (err) {
	case 0: return "no error";
	case -EINVAL: return "not a number";
	case -ERANGE: return "out of range";
	case -E2BIG: return "too long";
	case -ENOENT: return "absent";
	}
	return "unknown error";
}
