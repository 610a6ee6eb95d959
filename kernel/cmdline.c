/* cmdline.c - looking things up in the kernel command line. Also built hosted.
 *
 * The line is kept twice: as given (for printing) and split into words at
 * whitespace with NULs, so a value is a NUL-terminated string in place and
 * can be parsed whole, however long - no copy into a small buffer that could
 * cut it (41 leading zeros and a 7 once became 0 that way).
 */
#include "cmdline.h"
#include "kstring.h"
#include "printk.h"

static char cmdline[CMDLINE_MAX]; /* as given (maybe cut at a word boundary) */
static char words[CMDLINE_MAX];   /* the same, every whitespace turned into NUL */
static size_t cmdline_len;

bool cmdline_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A line that does not fit keeps its whole words only: a cut option
 * ("mem=512M" cut to "mem=5") must never apply. */
static size_t cut_at_word(const char *s, size_t len)
{
	size_t n = CMDLINE_MAX - 1;

	while (n && !cmdline_isspace(s[n]))
		n--; /* s[n] is the first byte that does not fit, or a space before it */
	const char *first = s + n;
	while (cmdline_isspace(*first))
		first++;
	size_t wlen = 0;
	while (first[wlen] && !cmdline_isspace(first[wlen]))
		wlen++;
	pr_err("command line is %zu bytes, at most %u fit: ignoring its last %zu bytes, from "
	       "'%.*s%s' on\n", len, CMDLINE_MAX - 1, len - (size_t)(first - s),
	       (int)MIN(wlen, (size_t)40), first, wlen > 40 ? "..." : "");
	return n;
}

int cmdline_set(const char *s)
{
	size_t len = strlen(s), n = len;
	int ret = 0;

	if (len >= CMDLINE_MAX) {
		n = cut_at_word(s, len);
		ret = -E2BIG;
	}
	memcpy(cmdline, s, n);
	cmdline[n] = '\0';
	cmdline_len = n;
	for (size_t i = 0; i <= n; i++)
		words[i] = cmdline_isspace(cmdline[i]) ? '\0' : cmdline[i];
	return ret;
}

const char *cmdline_get_all(void) { return cmdline; }

/* The last word that is `key` or starts with `key=`; NULL if none. */
static const char *find_word(const char *key)
{
	size_t klen = strlen(key);
	const char *found = NULL;

	for (size_t i = 0; i < cmdline_len;) {
		const char *w = words + i;
		size_t len = strlen(w);

		if (len >= klen && strncmp(w, key, klen) == 0 && (len == klen || w[klen] == '='))
			found = w;
		i += len + 1;
	}
	return found;
}

bool cmdline_has(const char *key)
{
	return find_word(key) != NULL;
}

/* The value of the last key=, NUL-terminated in place; NULL if absent or bare. */
static const char *find_value(const char *key)
{
	const char *w = find_word(key);
	size_t klen = strlen(key);

	return w && w[klen] == '=' ? w + klen + 1 : NULL;
}

int cmdline_get_str(const char *key, char *buf, size_t size)
{
	const char *v = find_value(key);
	size_t len;

	if (size)
		buf[0] = '\0';
	if (!v)
		return -ENOENT;
	len = strlen(v);
	if (len >= size) {
		pr_err("%s=%.20s... ignored: the value is %zu characters, at most %zu fit\n", key, v,
		       len, size ? size - 1 : 0);
		return -E2BIG;
	}
	memcpy(buf, v, len + 1);
	return (int)len;
}

/* Say why key=v was not taken, and pass the error on. */
static int refuse(const char *key, const char *v, int err, const char *what)
{
	size_t len = strlen(v);

	pr_warn("%s=%.40s%s ignored: %s (expected %s)\n", key, v, len > 40 ? "..." : "",
		kstrto_strerror(err), what);
	return err;
}

int cmdline_get_int(const char *key, int *val)
{
	const char *v = find_value(key);
	int err;

	if (!v)
		return -ENOENT;
	err = kstrtoint(v, kstrto_base(v), val);
	return err ? refuse(key, v, err, "an int") : 0;
}

int cmdline_get_uint(const char *key, unsigned int *val)
{
	const char *v = find_value(key);
	int err;

	if (!v)
		return -ENOENT;
	err = kstrtouint(v, kstrto_base(v), val);
	return err ? refuse(key, v, err, "a number from 0 to 4294967295") : 0;
}

int cmdline_get_ull(const char *key, unsigned long long *val)
{
	const char *v = find_value(key);
	int err;

	if (!v)
		return -ENOENT;
	err = kstrtoull(v, kstrto_base(v), val);
	return err ? refuse(key, v, err, "an unsigned 64-bit number") : 0;
}

int cmdline_get_size(const char *key, u64 *val)
{
	const char *v = find_value(key);
	int err;

	if (!v)
		return -ENOENT;
	err = parse_size(v, val);
	if (err == -EINVAL) {
		pr_warn("%s=%.40s%s ignored: not a size (expected e.g. %s=512M)\n", key, v,
			strlen(v) > 40 ? "..." : "", key);
		return err;
	}
	return err ? refuse(key, v, err, "a size below 2^64 bytes") : 0;
}
