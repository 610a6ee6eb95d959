/* fuzz_cpio.c - the initramfs parser (fs/cpio.c) on arbitrary bytes.
 *
 * Every entry cpio_parse hands out must lie inside the input: its name a
 * NUL-terminated string within the buffer, its data [data, data+filesize)
 * within the buffer, offsets increasing. The walk must end (it always
 * advances) and return the number of entries given, or -EINVAL.
 * (fs.h's loff_t is the kernel's: this file avoids stdlib.h, so it does not
 * use fuzz_common.h.) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "errno.h"
#include "fs.h"

#define FZ_ASSERT(c, msg)                                                            \
	do {                                                                         \
		if (!(c)) {                                                          \
			fprintf(stderr, "fuzz_cpio: %s (%s)\n", msg, #c);             \
			__builtin_trap();                                            \
		}                                                                    \
	} while (0)

struct span {
	const char *lo, *hi;
	int n;
	size_t last_off;
};

static int check_entry(void *ctx, const struct cpio_entry *e)
{
	struct span *s = ctx;
	const char *d = e->data;

	FZ_ASSERT(e->name >= s->lo && e->name < s->hi, "name outside the input");
	FZ_ASSERT(memchr(e->name, 0, (size_t)(s->hi - e->name)), "name not terminated in the input");
	FZ_ASSERT(d >= s->lo && d <= s->hi && e->filesize <= (size_t)(s->hi - d), "data outside");
	FZ_ASSERT(s->n == 0 || e->offset > s->last_off, "offsets do not increase");
	s->last_off = e->offset;
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = { (const char *)data, (const char *)data + size, 0, 0 };
	int r = cpio_parse(data, size, check_entry, &s);

	FZ_ASSERT(r == -EINVAL || r == s.n, "return value is neither -EINVAL nor the count");
	return 0;
}
