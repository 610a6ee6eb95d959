/* test_cmdline.c - command-line lookups and memparse. */
#include "cmdline.h"
#include "htest.h"

HTEST(cmdline_last_word_wins)
{
	char v[32];

	cmdline_set("  ktest=printk  loglevel=3 quiet mem=512M ktest=all ");
	CHECK(cmdline_get("ktest", v, sizeof(v)));
	CHECK_STREQ(v, "all");
	CHECK(cmdline_has("quiet"));
	CHECK(!cmdline_has("qui"));
	CHECK(!cmdline_has("ktes"));
	CHECK(!cmdline_get("quiet", v, sizeof(v))); /* a flag has no value */
	CHECK(!cmdline_get("nosuch", v, sizeof(v)));
}

HTEST(cmdline_value_truncated_to_buffer)
{
	char v[4];

	cmdline_set("key=abcdefgh");
	CHECK(cmdline_get("key", v, sizeof(v)));
	CHECK_STREQ(v, "abc");
}

HTEST(cmdline_numbers)
{
	long n;

	cmdline_set("a=42 b=0x1f c=-7 d=12x e=99999999999");
	CHECK(cmdline_get_long("a", &n));
	CHECK_EQ(n, 42);
	CHECK(cmdline_get_long("b", &n));
	CHECK_EQ(n, 31);
	CHECK(cmdline_get_long("c", &n));
	CHECK_EQ(n, -7);
	CHECK(!cmdline_get_long("d", &n));
	CHECK(htest_log_contains("d=12x ignored: not a number"));
	CHECK(!cmdline_get_long("e", &n));
}

HTEST(memparse_suffixes_and_overflow)
{
	u64 v;
	const char *end;

	CHECK(memparse("512M", &v, &end));
	CHECK_EQ(v, 512ULL << 20);
	CHECK(memparse("4g", &v, &end));
	CHECK_EQ(v, 4ULL << 30);
	CHECK(memparse("0x1000k", &v, &end));
	CHECK_EQ(v, 0x1000ULL << 10);
	CHECK(memparse("100", &v, &end));
	CHECK_EQ(v, 100);
	CHECK(!memparse("M", &v, &end));
	CHECK(!memparse("99999999999999999999", &v, &end));
	CHECK(!memparse("17179869184G", &v, &end)); /* 2^34 G overflows 64 bits */
}
