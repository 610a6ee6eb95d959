/* test_cmdline.c - command-line lookups: last word wins, whitespace, values
 * that do not fit (refused, never cut), over-long command lines (cut between
 * words only), and the typed getters built on kstrto*(). */
#include "cmdline.h"
#include "fault_inject.h"
#include "htest.h"

HTEST(cmdline_last_word_wins)
{
	char v[32];

	cmdline_set("  ktest=printk  loglevel=3 quiet mem=512M ktest=all ");
	CHECK_EQ(cmdline_get_str("ktest", v, sizeof(v)), 3);
	CHECK_STREQ(v, "all");
	CHECK(cmdline_has("quiet"));
	CHECK(!cmdline_has("qui"));
	CHECK(!cmdline_has("ktes"));
	CHECK_EQ(cmdline_get_str("quiet", v, sizeof(v)), -ENOENT); /* a flag has no value */
	CHECK_EQ(cmdline_get_str("nosuch", v, sizeof(v)), -ENOENT);
	cmdline_set("ktest=all ktest=");
	CHECK_EQ(cmdline_get_str("ktest", v, sizeof(v)), 0); /* present, empty */
	CHECK_STREQ(v, "");
}

HTEST(cmdline_tab_and_newline_separate_words)
{
	char v[32];
	int n;

	cmdline_set("quiet\tmem=512M\tloglevel=3\nktest=zones\r\fx=1\vy=2");
	CHECK_EQ(cmdline_get_str("mem", v, sizeof(v)), 4);
	CHECK_STREQ(v, "512M");
	CHECK_EQ(cmdline_get_int("loglevel", &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(cmdline_get_str("ktest", v, sizeof(v)), 5);
	CHECK_STREQ(v, "zones");
	CHECK(cmdline_has("quiet"));
	CHECK_EQ(cmdline_get_int("x", &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(cmdline_get_int("y", &n), 0);
	CHECK_EQ(n, 2);
}

HTEST(cmdline_value_too_long_is_refused_not_cut)
{
	char v[4];

	htest_log_clear();
	cmdline_set("key=abcdefgh other=abc");
	CHECK_EQ(cmdline_get_str("key", v, sizeof(v)), -E2BIG);
	CHECK_STREQ(v, ""); /* nothing half-copied */
	CHECK(htest_log_contains("key=abcdefgh... ignored: the value is 8 characters, at most 3 fit"));
	CHECK_EQ(cmdline_get_str("other", v, sizeof(v)), 3); /* exactly fits */
	CHECK_STREQ(v, "abc");
}

/* The probe's ktest= spec of 300 characters: returned whole, not cut at 255. */
HTEST(cmdline_long_ktest_spec_is_whole)
{
	static char line[600], v[CMDLINE_MAX];
	size_t n = 0;

	n += (size_t)snprintf(line + n, sizeof(line) - n, "ktest=");
	while (n < 300)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "printk,");
	snprintf(line + n, sizeof(line) - n, "ktest_selftest_fail");
	cmdline_set(line);
	CHECK_EQ(cmdline_get_str("ktest", v, sizeof(v)), (int)strlen(line) - 6);
	CHECK(strstr(v, "ktest_selftest_fail") != NULL);
	CHECK_EQ(cmdline_get_str("ktest", v, 256), -E2BIG); /* a 256-byte buffer: refused */
}

/* Over CMDLINE_MAX - 1 bytes: the whole words that fit stay, the word at the
 * cut and everything after it go, with an error naming where. The probe's
 * case: mem=512M straddling byte 1023 became mem=5. */
HTEST(cmdline_over_long_line_cut_between_words)
{
	static char line[CMDLINE_MAX + 100];
	u64 size;
	int pad = CMDLINE_MAX - 1 - 4 - 1; /* "x=" + a's, a space, then mem=512M at the cut */

	memset(line, 0, sizeof(line));
	line[0] = 'x';
	line[1] = '=';
	memset(line + 2, 'a', (size_t)pad - 2);
	strcpy(line + pad, " mem=512M quiet");
	htest_log_clear();
	CHECK_EQ(cmdline_set(line), -E2BIG);
	CHECK(htest_log_contains("ignoring its last 14 bytes, from 'mem=512M' on"));
	CHECK_EQ(cmdline_get_size("mem", &size), -ENOENT); /* not mem=5 */
	CHECK(!cmdline_has("quiet"));
	CHECK(cmdline_has("x"));
	CHECK(strlen(cmdline_get_all()) < CMDLINE_MAX);
	/* exactly CMDLINE_MAX - 1 bytes fit whole */
	memset(line, 'b', CMDLINE_MAX - 1);
	line[0] = 'y', line[1] = '=';
	line[CMDLINE_MAX - 1] = '\0';
	CHECK_EQ(cmdline_set(line), 0);
	CHECK(cmdline_has("y"));
	cmdline_set("");
}

HTEST(cmdline_numbers)
{
	int n;
	unsigned int u;
	unsigned long long ull;

	htest_log_clear();
	cmdline_set("a=042 b=0x1f c=-7 d=12x e=99999999999 f=0x9e3779b9 g=-5 h=");
	CHECK_EQ(cmdline_get_int("a", &n), 0);
	CHECK_EQ(n, 42);
	CHECK_EQ(cmdline_get_int("b", &n), 0);
	CHECK_EQ(n, 31);
	CHECK_EQ(cmdline_get_int("c", &n), 0);
	CHECK_EQ(n, -7);
	CHECK_EQ(cmdline_get_int("d", &n), -EINVAL);
	CHECK(htest_log_contains("d=12x ignored: not a number"));
	CHECK_EQ(cmdline_get_int("e", &n), -ERANGE);
	CHECK(htest_log_contains("e=99999999999 ignored: out of range"));
	CHECK_EQ(cmdline_get_ull("e", &ull), 0);
	CHECK_EQ(ull, 99999999999ULL);
	CHECK_EQ(cmdline_get_uint("f", &u), 0); /* stress_seed's default, a u32 */
	CHECK_EQ(u, 0x9e3779b9u);
	CHECK_EQ(cmdline_get_int("f", &n), -ERANGE);
	CHECK_EQ(cmdline_get_uint("g", &u), -EINVAL); /* stress_ops=-5 */
	CHECK_EQ(cmdline_get_int("h", &n), -EINVAL);
	CHECK_EQ(cmdline_get_int("nosuch", &n), -ENOENT);
}

/* The probe's values that became something else. */
HTEST(cmdline_leading_zeros_are_exact)
{
	static char line[512];
	int n;
	u64 size;

	snprintf(line, sizeof(line), "loglevel=%041d7 vmap_lazy=%040d4M", 0, 0);
	cmdline_set(line);
	CHECK_EQ(cmdline_get_int("loglevel", &n), 0);
	CHECK_EQ(n, 7);
	CHECK_EQ(cmdline_get_size("vmap_lazy", &size), 0);
	CHECK_EQ(size, 4ULL << 20);
}

HTEST(cmdline_sizes)
{
	u64 v;

	htest_log_clear();
	cmdline_set("a=512M b=4g c=0x1000k d=100 e=M f=17179869184G g=512Mb h=1T");
	CHECK_EQ(cmdline_get_size("a", &v), 0);
	CHECK_EQ(v, 512ULL << 20);
	CHECK_EQ(cmdline_get_size("b", &v), 0);
	CHECK_EQ(v, 4ULL << 30);
	CHECK_EQ(cmdline_get_size("c", &v), 0);
	CHECK_EQ(v, 0x1000ULL << 10);
	CHECK_EQ(cmdline_get_size("d", &v), 0);
	CHECK_EQ(v, 100);
	CHECK_EQ(cmdline_get_size("e", &v), -EINVAL);
	CHECK(htest_log_contains("e=M ignored: not a size"));
	CHECK_EQ(cmdline_get_size("f", &v), -ERANGE); /* 2^34 G overflows 64 bits */
	CHECK_EQ(cmdline_get_size("g", &v), -EINVAL);
	CHECK_EQ(cmdline_get_size("h", &v), 0);
	CHECK_EQ(v, 1ULL << 40);
}

/* fail_page_alloc= / failslab= values: every field exact (the probe's 63
 * zeros then 1 gave times 0 once, cut in a 64-byte buffer), junk refused. */
HTEST(fault_attr_fields_exact)
{
	struct fault_attr a = { .name = "fail_page_alloc" };
	char s[400];

	snprintf(s, sizeof(s), "1,100,0,%0*d1", 63, 0);
	CHECK(setup_fault_attr(&a, s));
	CHECK_EQ(a.interval, 1);
	CHECK_EQ(a.probability, 100);
	CHECK_EQ(a.space, 0);
	CHECK_EQ(a.times, 1);
	CHECK(setup_fault_attr(&a, "2,5,4096,-1"));
	CHECK_EQ(a.times, -1);
	CHECK_EQ(a.space, 4096);
	htest_log_clear();
	CHECK(!setup_fault_attr(&a, "1,100,0"));
	CHECK(htest_log_contains("bad or missing times"));
	CHECK(!setup_fault_attr(&a, "1,100,0,1,5"));
	CHECK(!setup_fault_attr(&a, "1,100,0,99999999999999999999"));
	CHECK(htest_log_contains("out-of-range times"));
	CHECK(!setup_fault_attr(&a, "1,x,0,1"));
	CHECK(htest_log_contains("bad or missing probability"));
	memset(s, '0', 300);
	s[300] = '\0';
	CHECK(!setup_fault_attr(&a, s));
	CHECK(htest_log_contains("longer than 255 characters"));
	CHECK_EQ(a.times, -1); /* refused values change nothing */
}
