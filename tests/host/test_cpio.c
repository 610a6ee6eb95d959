/* test_cpio.c - hosted tests of fs/cpio.c: archives built here entry by
 * entry (the layout of GNU cpio -H newc), concatenated archives, and every
 * way a header can lie, each refused with a message naming the offset. */
#include "errno.h"
#include "fs.h"
#include "htest.h"

struct arc {
	char b[8192];
	size_t len;
};

static void pad4(struct arc *a)
{
	while (a->len & 3)
		a->b[a->len++] = '\0';
}

/* One entry; namesize_adj and size_adj make the header lie. */
static void arc_add_raw(struct arc *a, const char *name, u32 mode, const void *data, u32 size,
			int namesize_adj, int size_adj)
{
	u32 ns = (u32)strlen(name) + 1;

	a->len += (size_t)sprintf(a->b + a->len,
				  "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 7u,
				  mode, 0u, 0u, 1u, 0x5f000000u, size + (u32)size_adj, 0u, 0u, 0u, 0u,
				  ns + (u32)namesize_adj, 0u);
	memcpy(a->b + a->len, name, ns);
	a->len += ns;
	pad4(a);
	memcpy(a->b + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void arc_add(struct arc *a, const char *name, u32 mode, const char *data)
{
	arc_add_raw(a, name, mode, data, (u32)strlen(data), 0, 0);
}

static void arc_trailer(struct arc *a) { arc_add(a, "TRAILER!!!", 0, ""); }

struct seen {
	int n;
	char names[16][32];
	u32 modes[16], sizes[16];
	char data[16][32];
	int stop_at;
};

static int record(void *ctx, const struct cpio_entry *e)
{
	struct seen *s = ctx;

	if (s->n == s->stop_at)
		return -ENOSPC;
	snprintf(s->names[s->n], 32, "%s", e->name);
	s->modes[s->n] = e->mode;
	s->sizes[s->n] = e->filesize;
	snprintf(s->data[s->n], 32, "%.*s", (int)e->filesize, (const char *)e->data);
	s->n++;
	return 0;
}

static struct arc a;
static struct seen s;

static void sample(void)
{
	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	arc_add(&a, ".", 040755, "");
	arc_add(&a, "bin", 040755, "");
	arc_add(&a, "bin/hello", 0100755, "hello, world\n");
	arc_add(&a, "init", 0120777, "bin/hello");
	arc_add(&a, "e", 0100644, "");
	arc_trailer(&a);
}

HTEST(cpio_entries_in_order)
{
	sample();
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), 5);
	CHECK_EQ(s.n, 5);
	CHECK_STREQ(s.names[2], "bin/hello");
	CHECK_EQ(s.modes[2], 0100755);
	CHECK_EQ(s.sizes[2], 13);
	CHECK_STREQ(s.data[2], "hello, world\n");
	CHECK_STREQ(s.names[3], "init");
	CHECK_STREQ(s.data[3], "bin/hello");
	CHECK_EQ(s.sizes[4], 0);
	CHECK_EQ(htest_log()[0], '\0');
}

HTEST(cpio_concatenated_with_zero_padding)
{
	sample();
	a.len += 512; /* zeros, as a second archive's alignment would leave */
	arc_add(&a, "second", 0100644, "2");
	arc_trailer(&a);
	a.len += 100;
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), 6);
	CHECK_STREQ(s.names[5], "second");
	CHECK_STREQ(s.data[5], "2");
}

HTEST(cpio_empty_and_zeros)
{
	CHECK_EQ(cpio_parse("", 0, record, &s), 0);
	static char z[64];
	CHECK_EQ(cpio_parse(z, sizeof(z), record, &s), 0);
}

HTEST(cpio_actor_error_stops)
{
	sample();
	s.stop_at = 2;
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -ENOSPC);
	CHECK_EQ(s.n, 2);
}

HTEST(cpio_bad_magic_and_gzip)
{
	sample();
	a.b[3] = '8';
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
	CHECK(htest_log_contains("offset 0: no cpio newc magic"));
	htest_log_clear();
	static const unsigned char gz[120] = { 0x1f, 0x8b, 8 };
	CHECK_EQ(cpio_parse(gz, sizeof(gz), record, &s), -EINVAL);
	CHECK(htest_log_contains("it is gzip"));
}

HTEST(cpio_bad_hex_field)
{
	sample();
	a.b[6 + 8 * 6 + 3] = 'g'; /* filesize of the first entry */
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
	CHECK(htest_log_contains("offset 0: field filesize is not 8 hex digits"));
}

HTEST(cpio_filesize_past_end)
{
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "big", 0100644, "abcd", 4, 0, 1000);
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
	CHECK(htest_log_contains("offset 0 (\"big\"): filesize 1004 runs past"));
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "huge", 0100644, "abcd", 4, 0, -5); /* 0xffffffff */
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
}

HTEST(cpio_bad_namesize)
{
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "name", 0100644, "", 0, 1 - 5, 0); /* namesize 1: "" without NUL at [0] */
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
	CHECK(htest_log_contains("is not one NUL-terminated string"));
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "name", 0100644, "", 0, -5, 0); /* 0 */
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
	CHECK(htest_log_contains("namesize 0 does not fit"));
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "name", 0100644, "", 0, 100000, 0);
	CHECK_EQ(cpio_parse(a.b, a.len, record, &s), -EINVAL);
}

HTEST(cpio_truncated_and_no_trailer)
{
	sample();
	for (size_t cut = 1; cut < a.len - 4; cut += 7) {
		memset(&s, 0, sizeof(s));
		s.stop_at = -1;
		int r = cpio_parse(a.b, cut, record, &s);
		CHECK(r == -EINVAL);
	}
	CHECK(htest_log_contains("(no TRAILER!!!)"));
}

/* fs.h's loff_t is the kernel's (long long), not glibc's: no stdlib.h here. */
static unsigned rnd_state = 15;
static int rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (int)((rnd_state >> 8) & 0x7fffff);
}

/* Random mutations of a valid archive: never a crash (ASan/UBSan watch). */
HTEST(cpio_mutation_fuzz)
{
	static struct arc m;

	sample();
		for (int i = 0; i < 3000; i++) {
		m = a;
		for (int k = 0; k < 1 + rnd() % 4; k++)
			m.b[rnd() % m.len] = (char)(rnd() % 3 ? "0123456789abcdefTRAILER!"[rnd() % 24] : rnd());
		memset(&s, 0, sizeof(s));
		s.stop_at = -1;
		int r = cpio_parse(m.b, (size_t)(rnd() % (int)m.len) + 1, record, &s);
		CHECK(r >= -EINVAL);
		htest_log_clear();
	}
}
