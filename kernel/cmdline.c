/* cmdline.c - looking things up in the kernel command line. Also built hosted. */
#include "cmdline.h"
#include "kstring.h"
#include "printk.h"

#define CMDLINE_MAX 1024

static char cmdline[CMDLINE_MAX];

void cmdline_set(const char *s)
{
	if (strlcpy(cmdline, s, sizeof(cmdline)) >= sizeof(cmdline))
		pr_warn("command line truncated to %u bytes\n", CMDLINE_MAX - 1);
}

const char *cmdline_get_all(void) { return cmdline; }

/* Find the last word that is `key` or starts with `key=`; return its start. */
static const char *find_word(const char *key, size_t *wordlen)
{
	size_t klen = strlen(key);
	const char *found = NULL;

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t len = (size_t)(p - w);
		if (len >= klen && strncmp(w, key, klen) == 0 && (len == klen || w[klen] == '=')) {
			found = w;
			*wordlen = len;
		}
	}
	return found;
}

bool cmdline_has(const char *key)
{
	size_t len;

	return find_word(key, &len) != NULL;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	size_t len, klen = strlen(key);
	const char *w = find_word(key, &len);

	if (!w || len == klen)
		return false;
	size_t vlen = len - klen - 1;
	if (size) {
		size_t n = vlen < size - 1 ? vlen : size - 1;
		memcpy(buf, w + klen + 1, n);
		buf[n] = '\0';
	}
	return true;
}

static bool parse_ulong(const char *s, u64 *val, const char **end)
{
	unsigned base = 10;
	u64 v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	const char *digits = p;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (v > (~0ULL - d) / base)
			return false; /* overflow */
		v = v * base + d;
	}
	*val = v;
	*end = p;
	return p != digits;
}

bool cmdline_get_long(const char *key, long *val)
{
	char buf[32];
	const char *end;
	u64 v;
	bool neg;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return false;
	neg = buf[0] == '-';
	if (!parse_ulong(buf + neg, &v, &end) || *end || v > 0x7fffffffu) {
		pr_warn("%s=%s ignored: not a number\n", key, buf);
		return false;
	}
	*val = neg ? -(long)v : (long)v;
	return true;
}

bool memparse(const char *s, u64 *val, const char **end)
{
	u64 v;
	unsigned shift = 0;

	if (!parse_ulong(s, &v, end))
		return false;
	switch (**end) {
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	}
	if (shift) {
		(*end)++;
		if (v > (~0ULL >> shift))
			return false;
		v <<= shift;
	}
	*val = v;
	return true;
}
