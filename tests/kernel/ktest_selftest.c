/* ktest_selftest.c - a suite that must fail: `ktest=ktest_selftest_fail`
 * proves that the host-side checker turns a failing test into a failed run.
 * It is not part of ktest=all. */
#include "ktest.h"

static void test_passes(struct ktest *t) { KTEST_EXPECT_EQ(t, 2 + 2, 4); }

static void test_fails_on_purpose(struct ktest *t)
{
	int two = 2;

	KTEST_EXPECT_EQ(t, 1 + 1, two + 1);
}

static void test_skips(struct ktest *t) { KTEST_SKIP(t, "skips are reported, not failed"); }

static struct ktest_case selftest_cases[] = {
	KTEST_CASE(test_passes),
	KTEST_CASE(test_fails_on_purpose),
	KTEST_CASE(test_skips),
	{ 0 },
};
KTEST_SUITE_EXPLICIT(ktest_selftest_fail, selftest_cases);
