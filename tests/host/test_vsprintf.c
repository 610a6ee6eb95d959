/* test_vsprintf.c - the kernel's formatter against libc's on the same formats. */
#include <stdarg.h>
#include <stdlib.h>
#include "htest.h"
#include "printk.h"
#undef snprintf
#undef vsnprintf

/* Format with both implementations and compare. */
static void same(const char *fmt, ...)
{
	char ours[256], theirs[256];
	va_list a, b;

	va_start(a, fmt);
	va_copy(b, a);
	int n1 = hl_vsnprintf(ours, sizeof(ours), fmt, a);
	int n2 = vsnprintf(theirs, sizeof(theirs), fmt, b);
	va_end(a);
	va_end(b);
	if (n1 != n2 || strcmp(ours, theirs) != 0)
		htest_fail(__FILE__, __LINE__, "format \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)", fmt,
			   ours, n1, theirs, n2);
}

HTEST(vsprintf_matches_libc)
{
	same("%d %i %u %x %X %o", -42, 7, 4000000000u, 0xdeadbeefu, 0xabcu, 8u);
	same("%lld %llu %llx %016llx", -9223372036854775807LL - 1, 18446744073709551615ULL,
	     0x123456789abcdef0ULL, 0x23fffffffULL);
	same("[%5d|%-5d|%05d|%+d|% d]", 42, 42, -42, 5, 5);
	same("[%8s|%-8s|%.3s|%*d|%-*d]", "ab", "ab", "abcdef", 4, 1, 3, 2);
	same("%#x %#o %.5d %.0d|", 255u, 8u, 42, 0);
	same("%hhu %hd %zu %ld %c%%", 300, 70000, (size_t)123, -5L, 'z');
}

HTEST(vsprintf_random_numbers_match_libc)
{
	srand(1);
	for (int i = 0; i < 20000; i++) {
		unsigned long long v = ((unsigned long long)rand() << 33) ^ ((unsigned long long)rand() << 11) ^ (unsigned long long)rand();
		int w = rand() % 24;
		same("%llu %llx %*llo %-*lld", v, v, w, v, w, (long long)v);
	}
}

HTEST(vsprintf_truncates_and_counts)
{
	char small[6];

	CHECK_EQ(hl_snprintf(small, sizeof(small), "%s", "highland"), 8);
	CHECK_STREQ(small, "highl");
	CHECK_EQ(hl_snprintf(NULL, 0, "%d", 12345), 5);
	CHECK_EQ(hl_snprintf(small, 1, "abc"), 3);
	CHECK_STREQ(small, "");
}

HTEST(vsprintf_null_string_and_pointer)
{
	char buf[64];
	const char *volatile null_str = NULL;

	hl_snprintf(buf, sizeof(buf), "%s|%p", null_str, (void *)0x10);
	CHECK_STREQ(buf, sizeof(void *) == 8 ? "(null)|0x0000000000000010" : "(null)|0x00000010");
}
