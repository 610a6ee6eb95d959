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

#include "types.h"

struct ktest {
	const char *name;     /* the running case */
	int failed;           /* number of failed expectations */
	const char *skip;     /* set by KTEST_SKIP: the reason */
	bool quiet;           /* record failures without printing (tests of the harness) */
	/* expected-fault state, used by KTEST_EXPECT_FAULT */
	int fault_armed;      /* a fault is expected now */
	int fault_vector;     /* vector that happened (-1: none) */
	u32 fault_addr;       /* CR2 for #PF */
	u32 fault_error;      /* error code pushed by the CPU */
	u32 fault_eip;        /* where it happened */
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
 * KTEST_EXPECT_FAULT(t, vector, addr, stmt) runs stmt expecting CPU exception
 * `vector` (14 = #PF). For a #PF, `addr` must equal CR2 (pass KTEST_ANY_ADDR
 * to skip that check). The trap handler sees the armed expectation, records
 * vector/CR2/error code and resumes after stmt through ktest_longjmp; no
 * oops is printed. A missing fault, or a different one, fails the test.
 */
#define KTEST_ANY_ADDR 0xffffffffu

struct ktest_jmpbuf { u32 ebx, esi, edi, ebp, esp, eip, eflags; };
int ktest_setjmp(struct ktest_jmpbuf *jb) __attribute__((returns_twice));
__noreturn void ktest_longjmp(struct ktest_jmpbuf *jb, int val);

void ktest_fault_arm(struct ktest *t, struct ktest_jmpbuf *jb);
void ktest_fault_disarm(struct ktest *t);
void ktest_fault_check(struct ktest *t, const char *file, int line, const char *what,
		       int vector, u32 addr);

#define KTEST_EXPECT_FAULT(t, vector, addr, stmt)                                  \
	do {                                                                       \
		static struct ktest_jmpbuf __jb;                                   \
		ktest_fault_arm(t, &__jb);                                         \
		if (ktest_setjmp(&__jb) == 0) {                                    \
			stmt;                                                      \
		}                                                                  \
		ktest_fault_disarm(t);                                             \
		ktest_fault_check(t, __FILE__, __LINE__, #stmt, vector, addr);     \
	} while (0)

/* Called by the trap handler with the exception's vector, error code, EIP and
 * CR2. If a test armed an expectation, it is recorded and the test resumes
 * through ktest_longjmp (no return); otherwise returns false. */
bool ktest_fault_hit(int vector, u32 error, u32 eip, u32 addr);

/* Run the suites named by ktest= (kernel/ktest.c); returns number of failed cases. */
int ktest_run(const char *spec);

/* Stopping a run early (the monitor's Ctrl-C): the runner asks between
 * cases and suites, the benchmarks between benchmarks. The monitor sets the
 * hook; with none set, never. */
extern bool (*ktest_stop_hook)(void);
bool ktest_should_stop(void);

#endif
