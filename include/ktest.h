/* ktest.h - in-kernel self-tests, reported as KTAP version 1 (what Linux KUnit prints).
 *
 * A suite is a file in tests/kernel/ that lists its cases and registers itself
 * with KTEST_SUITE(); the linker collects every suite in section .ktest_suites,
 * so adding a suite touches no central list. `ktest=all` (or `ktest=a,b`) on
 * the command line runs them after boot; without ktest= nothing runs.
 *
 *   static void test_add(struct ktest *t) { KTEST_EXPECT_EQ(t, 1 + 1, 2); }
 *   static struct ktest_case cases[] = { KTEST_CASE(test_add), {0} };
 *   KTEST_SUITE(arith, cases);
 *
 * EXPECT macros record a failure and continue; ASSERT macros also return from
 * the test function. Each failure prints a "# " diagnostic with file:line, the
 * expression and both values.
 */
#ifndef HL_KTEST_H
#define HL_KTEST_H

#include "extable.h"
#include "types.h"

struct ktest {
	const char *name;     /* the running case */
	int failed;           /* number of failed expectations */
	const char *skip;     /* set by KTEST_SKIP: the reason */
	bool quiet;           /* record failures without printing (tests of the harness) */
	/* fault injection (fail_page_alloc=, failslab=): see KTEST_ASSERT_ALLOC */
	unsigned long injected_start; /* fault_injected_total() when the case began */
	unsigned long injected_seen;  /* ... at the last ktest_injected() */
	bool injection_suspended;     /* ktest_suspend_injection() was called */
	bool alloc_gave_up;           /* the last KTEST_ALLOC_RETRY ran out of retries */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases; /* terminated by an entry with run == NULL */
	bool explicit_only;       /* not part of ktest=all (harness self-checks) */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE_DEF(sname, scases, explicit)                                  \
	static const struct ktest_suite __ktest_suite_##sname                     \
		__attribute__((used, section(".ktest_suites"), aligned(4))) = {   \
			#sname, scases, explicit }
#define KTEST_SUITE(sname, scases) KTEST_SUITE_DEF(sname, scases, false)
/* A suite run only when named explicitly (e.g. the harness's own failure checks). */
#define KTEST_SUITE_EXPLICIT(sname, scases) KTEST_SUITE_DEF(sname, scases, true)

/* Failure reporting (kernel/ktest.c). */
void ktest_fail_at(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
void ktest_fail_cmp(struct ktest *t, const char *file, int line, const char *op,
		    const char *lhs, const char *rhs, long long lv, long long rv);
void ktest_fail_str(struct ktest *t, const char *file, int line, const char *lhs,
		    const char *rhs, const char *lv, const char *rv);

#define KTEST__CMP(t, a, op, b, action)                                            \
	do {                                                                       \
		long long __a = (long long)(a), __b = (long long)(b);              \
		if (!(__a op __b)) {                                               \
			ktest_fail_cmp(t, __FILE__, __LINE__, #op, #a, #b, __a, __b); \
			action;                                                    \
		}                                                                  \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b) KTEST__CMP(t, a, ==, b, (void)0)
#define KTEST_EXPECT_NE(t, a, b) KTEST__CMP(t, a, !=, b, (void)0)
#define KTEST_EXPECT_LT(t, a, b) KTEST__CMP(t, a, <, b, (void)0)
#define KTEST_EXPECT_LE(t, a, b) KTEST__CMP(t, a, <=, b, (void)0)
#define KTEST_EXPECT_GT(t, a, b) KTEST__CMP(t, a, >, b, (void)0)
#define KTEST_EXPECT_GE(t, a, b) KTEST__CMP(t, a, >=, b, (void)0)
#define KTEST_ASSERT_EQ(t, a, b) KTEST__CMP(t, a, ==, b, return)
#define KTEST_ASSERT_NE(t, a, b) KTEST__CMP(t, a, !=, b, return)
#define KTEST_EXPECT_TRUE(t, c) KTEST__CMP(t, !!(c), ==, 1, (void)0)
#define KTEST_EXPECT_FALSE(t, c) KTEST__CMP(t, !!(c), ==, 0, (void)0)
#define KTEST_ASSERT_TRUE(t, c) KTEST__CMP(t, !!(c), ==, 1, return)
#define KTEST_EXPECT_NOT_NULL(t, p) KTEST__CMP(t, (uintptr_t)(p), !=, 0, (void)0)
#define KTEST_ASSERT_NOT_NULL(t, p) KTEST__CMP(t, (uintptr_t)(p), !=, 0, return)

#define KTEST_EXPECT_STREQ(t, a, b)                                                \
	do {                                                                       \
		const char *__a = (a), *__b = (b);                                 \
		if (ktest_strcmp(__a, __b) != 0)                                   \
			ktest_fail_str(t, __FILE__, __LINE__, #a, #b, __a, __b);   \
	} while (0)

#define KTEST_FAIL(t, ...) ktest_fail_at(t, __FILE__, __LINE__, __VA_ARGS__)
/* Mark the running case skipped (reported as "ok N name # SKIP reason") and return. */
#define KTEST_SKIP(t, reason) do { (t)->skip = (reason); return; } while (0)

int ktest_strcmp(const char *a, const char *b);

/* ---- allocations under fault injection ----------------------------------
 * With fail_page_alloc= or failslab= on the command line any allocation may
 * fail on purpose, and the suite must still pass: a test that cannot go on
 * without an allocation uses these instead of KTEST_ASSERT_NOT_NULL.
 *
 * KTEST_ASSERT_ALLOC(t, p): p is NULL: if a failure was injected since the
 * case began, the case is skipped ("# SKIP ... fault injection") - the
 * kernel handled the NULL, the test could not finish; otherwise (no
 * injection, a real failure) the case fails. Either way it returns, so
 * free what the case holds first (KTEST_ALLOC_FAILED after a cleanup).
 *
 * ktest_injected(t): was a failure injected since the last call (or since
 * the case began)? For loops that allocate until memory runs out: an
 * injected NULL is not the end, a real one is. KTEST_ALLOC_RETRY below is
 * that loop for one allocation.
 *
 * ktest_suspend_injection(t, why): for a case whose point is an exact figure
 * that an injected failure would legitimately change; injection stays off
 * until the case ends and the log says so, with `why`.
 */
void ktest_alloc_failed(struct ktest *t, const char *file, int line, const char *what);
bool ktest_injected(struct ktest *t);
void ktest_suspend_injection(struct ktest *t, const char *why);

#define KTEST_ALLOC_FAILED(t, what)                                                \
	do {                                                                       \
		ktest_alloc_failed(t, __FILE__, __LINE__, what);                   \
		return;                                                            \
	} while (0)
/* p = expr, again while it is NULL because a failure was injected, at most
 * KTEST_ALLOC_RETRIES times (so it ends even with probability 100); a real
 * failure is not retried. p may still be NULL: t->alloc_gave_up says
 * whether injection used up the retries. */
#define KTEST_ALLOC_RETRIES 1000
#define KTEST_ALLOC_RETRY(t, p, expr)                                              \
	do {                                                                       \
		unsigned __tries = 0;                                              \
		(void)ktest_injected(t);                                           \
		while (!((p) = (expr)) && ktest_injected(t) &&                     \
		       ++__tries < KTEST_ALLOC_RETRIES)                            \
			;                                                          \
		(t)->alloc_gave_up = !(p) && __tries >= KTEST_ALLOC_RETRIES;       \
	} while (0)
#define KTEST_ASSERT_ALLOC(t, p)                                                   \
	do {                                                                       \
		if (!(p))                                                          \
			KTEST_ALLOC_FAILED(t, #p);                                 \
	} while (0)

/* ---- expected faults ----------------------------------------------------
 * Through the exception table (include/extable.h), as the kernel itself
 * recovers from faults: `probe` is an expression that makes the access in
 * a way the table covers (copy_from_kernel_nofault, copy_to_kernel_nofault,
 * call_nofault, ud2_nofault, ...) and returns -EFAULT when it faulted.
 * KTEST_EXPECT_FAULT checks that it did, and that the fault recorded by the
 * trap handler is exception `vector` (14 = #PF) at `addr` (CR2; pass
 * KTEST_ANY_ADDR to skip that check). No oops is printed.
 */
#define KTEST_ANY_ADDR 0xffffffffu

/* Probes for KTEST_EXPECT_FAULT: read or write one byte at addr. */
#define ktest_read_nofault(addr) \
	({ u8 __v; copy_from_kernel_nofault(&__v, (const void *)(unsigned long)(addr), 1); })
#define ktest_write_nofault(addr, val) \
	({ u8 __v = (u8)(val); copy_to_kernel_nofault((void *)(unsigned long)(addr), &__v, 1); })
/* The error code of the last fault recovered on this CPU (bits X86_PF_*). */
static inline u32 ktest_last_fault_error(void)
{
	struct fixup_record r;

	last_fixup(&r);
	return r.error;
}

void ktest_fault_check(struct ktest *t, const char *file, int line, const char *what, long ret,
		       const struct fixup_record *before, int vector, u32 addr);

#define KTEST_EXPECT_FAULT(t, vector, addr, probe)                                         \
	do {                                                                               \
		struct fixup_record __before;                                              \
		last_fixup(&__before);                                                     \
		long __ret = (probe);                                                      \
		ktest_fault_check(t, __FILE__, __LINE__, #probe, __ret, &__before, vector, addr); \
	} while (0)

/* ktest_run()'s answer when no case passed and none failed ("", ",", only
 * skips): zero tests run is never a pass, so it is non-zero too. */
#define KTEST_NOTHING_RAN (-1)

/* Run the suites named by spec ("all" or "a,b"; kernel/ktest.c). Returns the
 * number of failed suites, KTEST_NOTHING_RAN, or 0 if every suite passed. */
int ktest_run(const char *spec);

/* Stopping a run early (the monitor's Ctrl-C): the runner asks between
 * cases and suites, the benchmarks between benchmarks. The monitor sets the
 * hook; with none set, never. */
extern bool (*ktest_stop_hook)(void);
bool ktest_should_stop(void);

#endif
