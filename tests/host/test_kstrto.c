/* test_kstrto.c - kernel/kstrto.c: Linux's kstrto*() rules (exact value or
 * -EINVAL/-ERANGE, *res untouched on error) and parse_size(). */
#include "htest.h"
#include "kstrto.h"

HTEST(kstrtoull_bases_and_prefixes)
{
	unsigned long long v;

	CHECK_EQ(kstrtoull("0", 0, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kstrtoull("123", 0, &v), 0);
	CHECK_EQ(v, 123);
	CHECK_EQ(kstrtoull("0x1F", 0, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("0X1f", 16, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("1f", 16, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("017", 0, &v), 0); /* base 0: leading 0 is octal, as Linux */
	CHECK_EQ(v, 15);
	CHECK_EQ(kstrtoull("017", 10, &v), 0);
	CHECK_EQ(v, 17);
	CHECK_EQ(kstrtoull("+5", 0, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(kstrtoull("5\n", 0, &v), 0); /* one trailing newline */
	CHECK_EQ(v, 5);
	CHECK_EQ(kstrtoull("18446744073709551615", 10, &v), 0);
	CHECK_EQ(v, ~0ULL);
}

HTEST(kstrtoull_errors_leave_result_alone)
{
	unsigned long long v = 77;

	CHECK_EQ(kstrtoull("", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("0x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12 ", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull(" 12", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("5\n\n", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("-1", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("09", 0, &v), -EINVAL); /* octal has no 9 */
	CHECK_EQ(kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoull("99999999999999999999999", 0, &v), -ERANGE);
	CHECK_EQ(kstrtoull("99999999999999999999999x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12", 7, &v), -EINVAL); /* unsupported base */
	CHECK_EQ(v, 77);
}

/* Leading zeros are zeros, however many: the probe's loglevel= with 41 of
 * them then 7, and fail_page_alloc's times with 63 then 1. */
HTEST(kstrto_many_leading_zeros)
{
	char s[200];
	int i;
	long l;

	memset(s, '0', 41);
	strcpy(s + 41, "7");
	CHECK_EQ(kstrtoint(s, 0, &i), 0);
	CHECK_EQ(i, 7);
	memset(s, '0', 63);
	strcpy(s + 63, "1");
	CHECK_EQ(kstrtol(s, 10, &l), 0);
	CHECK_EQ(l, 1);
	memset(s, '0', 150);
	strcpy(s + 150, "x1f");
	CHECK_EQ(kstrtoint(s, 0, &i), -EINVAL); /* 0000...0x1f is not hex */
}

HTEST(kstrto_signed_and_narrow_types)
{
	long long ll;
	long l;
	int i;
	unsigned int u;
	unsigned long ul;

	CHECK_EQ(kstrtoll("-9223372036854775808", 10, &ll), 0);
	CHECK(ll == (-0x7fffffffffffffffLL - 1));
	CHECK_EQ(kstrtoll("9223372036854775807", 10, &ll), 0);
	CHECK_EQ(kstrtoll("9223372036854775808", 10, &ll), -ERANGE);
	CHECK_EQ(kstrtoll("-9223372036854775809", 10, &ll), -ERANGE);
	CHECK_EQ(kstrtoll("--1", 10, &ll), -EINVAL);
	CHECK_EQ(kstrtoll("-+1", 10, &ll), -EINVAL);
	CHECK_EQ(kstrtoll("-", 10, &ll), -EINVAL);
	CHECK_EQ(kstrtoint("-2147483648", 0, &i), 0);
	CHECK_EQ(i, -2147483647 - 1);
	CHECK_EQ(kstrtoint("2147483648", 0, &i), -ERANGE);
	CHECK_EQ(kstrtoint("-0x10", 0, &i), 0);
	CHECK_EQ(i, -16);
	CHECK_EQ(kstrtouint("0x9e3779b9", 0, &u), 0); /* stress_seed's default */
	CHECK_EQ(u, 0x9e3779b9u);
	CHECK_EQ(kstrtouint("4294967296", 0, &u), -ERANGE);
	CHECK_EQ(kstrtouint("-5", 0, &u), -EINVAL);
	CHECK_EQ(kstrtol("-5", 0, &l), 0);
	CHECK_EQ(l, -5);
	CHECK_EQ(kstrtoul("4294967295", 0, &ul), 0);
	CHECK_EQ(ul, 4294967295UL);
	if (sizeof(long) == 4) /* the kernel's i686 */
		CHECK_EQ(kstrtoul("4294967296", 0, &ul), -ERANGE);
}

HTEST(kstrto_base_decimal_unless_0x)
{
	CHECK_EQ(kstrto_base("010"), 10);
	CHECK_EQ(kstrto_base("0x10"), 16);
	CHECK_EQ(kstrto_base("-0X10"), 16);
	CHECK_EQ(kstrto_base("+7"), 10);
	CHECK_EQ(kstrto_base(""), 10);
}

HTEST(parse_size_suffixes_and_errors)
{
	u64 v = 5;
	char s[64];

	CHECK_EQ(parse_size("512M", &v), 0);
	CHECK_EQ(v, 512ULL << 20);
	CHECK_EQ(parse_size("4g", &v), 0);
	CHECK_EQ(v, 4ULL << 30);
	CHECK_EQ(parse_size("0x1000k", &v), 0);
	CHECK_EQ(v, 0x1000ULL << 10);
	CHECK_EQ(parse_size("2T", &v), 0);
	CHECK_EQ(v, 2ULL << 40);
	CHECK_EQ(parse_size("100", &v), 0);
	CHECK_EQ(v, 100);
	CHECK_EQ(parse_size("0512M", &v), 0); /* decimal: a leading 0 is not octal */
	CHECK_EQ(v, 512ULL << 20);
	memset(s, '0', 40);
	strcpy(s + 40, "4M"); /* the probe's vmap_lazy=000...04M */
	CHECK_EQ(parse_size(s, &v), 0);
	CHECK_EQ(v, 4ULL << 20);
	v = 5;
	CHECK_EQ(parse_size("", &v), -EINVAL);
	CHECK_EQ(parse_size("M", &v), -EINVAL);
	CHECK_EQ(parse_size("512Mb", &v), -EINVAL);
	CHECK_EQ(parse_size("-1M", &v), -EINVAL);
	CHECK_EQ(parse_size("1.5G", &v), -EINVAL);
	CHECK_EQ(parse_size("99999999999999999999", &v), -ERANGE);
	CHECK_EQ(parse_size("17179869184G", &v), -ERANGE);
	CHECK_EQ(v, 5);
}
