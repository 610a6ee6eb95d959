/* loadavg_test.c - the load-average arithmetic (kernel/loadavg.c) against
 * what the exponential it approximates must give: after a minute (12
 * samples) of one runnable process the 1-minute average is 1 - 1/e = 0.63,
 * the 5-minute one 1 - e^-0.2 = 0.18, the 15-minute one 1 - e^-1/15 =
 * 0.064; rising, the rounding up lets it reach the load exactly; falling,
 * it reaches 0. The sampler's own averages are not touched (calc_load is a
 * pure step). */
#include "ktest.h"
#include "loadavg.h"

#define EXP_1 1884
#define EXP_5 2014
#define EXP_15 2037

/* x (fixed point) in hundredths, rounded as /proc/loadavg prints it. */
static unsigned long hundredths(unsigned long x)
{
	x += FIXED_1 / 200;
	return LOAD_INT(x) * 100 + LOAD_FRAC(x);
}

static void test_one_minute_of_one_process(struct ktest *t)
{
	unsigned long a1 = 0, a5 = 0, a15 = 0;

	for (int i = 0; i < 12; i++) { /* 12 samples 5 s apart */
		a1 = calc_load(a1, EXP_1, FIXED_1);
		a5 = calc_load(a5, EXP_5, FIXED_1);
		a15 = calc_load(a15, EXP_15, FIXED_1);
	}
	KTEST_EXPECT_GE(t, hundredths(a1), 62);
	KTEST_EXPECT_LE(t, hundredths(a1), 64);
	KTEST_EXPECT_GE(t, hundredths(a5), 17);
	KTEST_EXPECT_LE(t, hundredths(a5), 19);
	KTEST_EXPECT_GE(t, hundredths(a15), 6);
	KTEST_EXPECT_LE(t, hundredths(a15), 7);
}

static void test_reaches_the_load_and_decays_to_zero(struct ktest *t)
{
	unsigned long a = 0;
	int n;

	for (n = 0; n < 1000 && a != 3 * FIXED_1; n++)
		a = calc_load(a, EXP_1, 3 * FIXED_1);
	KTEST_EXPECT_EQ(t, a, 3 * FIXED_1); /* rounding up while rising gets there */
	KTEST_EXPECT_GE(t, n, 12);          /* ... but not in one minute */
	for (n = 0; n < 1000 && a; n++)
		a = calc_load(a, EXP_1, 0);
	KTEST_EXPECT_EQ(t, a, 0);
	KTEST_EXPECT_GE(t, n, 24);
}

static struct ktest_case loadavg_cases[] = {
	KTEST_CASE(test_one_minute_of_one_process),
	KTEST_CASE(test_reaches_the_load_and_decays_to_zero),
	{ 0 },
};
KTEST_SUITE(loadavg, loadavg_cases);
