/* printk_test.c - the kernel's formatter and the log buffer's line format. */
#include "kstring.h"
#include "ktest.h"
#include "printk.h"

static char buf[128];

#define FMT(...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

static void test_integers(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, FMT("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
	KTEST_EXPECT_STREQ(t, FMT("%x %X %o", 0xdeadbeefu, 0xabcu, 8), "deadbeef ABC 10");
	KTEST_EXPECT_STREQ(t, FMT("%hhu %hd", 300, 70000), "44 4464");
	KTEST_EXPECT_STREQ(t, FMT("%zu %ld", (size_t)123, -5L), "123 -5");
}

static void test_64bit(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, FMT("%llx", 0x123456789abcdef0ULL), "123456789abcdef0");
	KTEST_EXPECT_STREQ(t, FMT("%016llx", 0x23fffffffULL), "000000023fffffff");
	KTEST_EXPECT_STREQ(t, FMT("%llu", 18446744073709551615ULL), "18446744073709551615");
	KTEST_EXPECT_STREQ(t, FMT("%lld", -9223372036854775807LL - 1), "-9223372036854775808");
	KTEST_EXPECT_STREQ(t, FMT("%llu", 8ULL << 30), "8589934592");
}

static void test_widths_and_flags(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, FMT("[%5d|%-5d|%05d]", 42, 42, -42), "[   42|42   |-0042]");
	KTEST_EXPECT_STREQ(t, FMT("[%8s|%-8s|%.3s]", "ab", "ab", "abcdef"), "[      ab|ab      |abc]");
	KTEST_EXPECT_STREQ(t, FMT("%#x %#o %+d % d", 255, 8, 5, 5), "0xff 010 +5  5");
	KTEST_EXPECT_STREQ(t, FMT("%*d|%-*d|", 4, 1, 3, 2), "   1|2  |");
	KTEST_EXPECT_STREQ(t, FMT("%.5d", 42), "00042");
}

static void test_misc_conversions(struct ktest *t)
{
	const char *volatile null_str = NULL; /* hidden from gcc's format checks */

	KTEST_EXPECT_STREQ(t, FMT("%c%c %% %s", 'o', 'k', null_str), "ok % (null)");
	KTEST_EXPECT_STREQ(t, FMT("%p", (void *)0xc0100000), "0xc0100000");
	KTEST_EXPECT_STREQ(t, FMT("%p", (void *)0x10), "0x00000010");
}

static void test_truncation(struct ktest *t)
{
	char small[6];

	KTEST_EXPECT_EQ(t, snprintf(small, sizeof(small), "%s", "highland"), 8);
	KTEST_EXPECT_STREQ(t, small, "highl");
	KTEST_EXPECT_EQ(t, snprintf(small, 0, "%d", 12345), 5);
}

/* The last line stored in the ring buffer must be "[    s.uuuuuu] text". */
static void test_log_line_format(struct ktest *t)
{
	static char log[4096];
	extern u32 log_head;
	u32 before = log_head;

	pr_info("ktest printk marker %d\n", 1234);
	KTEST_ASSERT_TRUE(t, log_head > before);
	size_t n = log_read_tail(log, sizeof(log));
	const char *line = log + n;
	while (line > log && line[-1] != '\n')
		line--;
	if (line > log) { /* step back over the final newline to the line itself */
		line--;
		while (line > log && line[-1] != '\n')
			line--;
	}
	KTEST_EXPECT_EQ(t, line[0], '[');
	KTEST_EXPECT_EQ(t, line[6], '.');
	KTEST_EXPECT_EQ(t, line[13], ']');
	KTEST_EXPECT_EQ(t, line[14], ' ');
	KTEST_EXPECT_EQ(t, strncmp(line + 15, "ktest printk marker 1234\n", 25), 0);
}

static struct ktest_case printk_cases[] = {
	KTEST_CASE(test_integers),
	KTEST_CASE(test_64bit),
	KTEST_CASE(test_widths_and_flags),
	KTEST_CASE(test_misc_conversions),
	KTEST_CASE(test_truncation),
	KTEST_CASE(test_log_line_format),
	{ 0 },
};
KTEST_SUITE(printk, printk_cases);
