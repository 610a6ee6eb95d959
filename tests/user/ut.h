/*
 * ut.h - the user-space test suite's small library: KTAP output and the
 * helpers every test program needs (a child that must die by a signal,
 * /proc/meminfo, "is this Highland?").
 *
 * Why a library of our own and not stdio: the tests fork a lot, and a
 * stdio buffer copied into a child prints twice. Every line here is
 * formatted into a local buffer and written with one write(2) to fd 1.
 *
 * Output: a program run alone prints a top-level KTAP block; run by the
 * runner (tests/user/runner.c, environment HL_KTAP_NESTED=1) it prints an
 * indented subtest block and, at level 0, the suite's "# name: pass:..."
 * line, exactly as the kernel's ktest does, so tools/ktap-check reads both.
 */
#ifndef UT_H
#define UT_H

#include <stddef.h>
#include <stdint.h>

enum { KT_PASS = 0, KT_FAIL = 1, KT_SKIP = 2 };

/* One test case: returns KT_PASS, KT_FAIL (after kt_fail) or KT_SKIP (after kt_skip). */
struct kt_case {
	const char *name;
	int (*fn)(void);
};

/* Run every case of suite `name` and print KTAP; returns the exit status (0 = all passed). */
int kt_run(const char *name, const struct kt_case *cases, int n);

/* Print a failure diagnostic "# case: file:line: message" for the running case. */
void kt_diag_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Record why the running case is skipped (printed as "# SKIP reason"). */
void kt_set_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a "# ..." diagnostic line at the current indentation. */
void kt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define KT_EXPECT(cond, ...) do { if (!(cond)) { \
	kt_diag_fail(__FILE__, __LINE__, __VA_ARGS__); return KT_FAIL; } } while (0)
#define KT_SKIP(...) do { kt_set_skip(__VA_ARGS__); return KT_SKIP; } while (0)

/* printf to fd 1 with a single write(2); no stdio buffer. */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Nonzero when the kernel is Highland (uname's version or /proc/version says so). */
int hl_is_highland(void);

/* A /proc/meminfo field in kB ("MemFree"), or -1 when absent or unreadable. */
long meminfo_kb(const char *key);

/*
 * Fork; the child runs fn(arg) and _exit(0)s if it returns. Returns the
 * wait4 status of the child, or -1 (errno set) when fork/wait failed.
 */
int run_in_child(void (*fn)(void *), void *arg);

/*
 * The child running fn(arg) must be killed by signal `sig`. Returns 1 if it
 * was; else 0 with what happened instead in why ("exited with status 0: no
 * fault", "killed by signal 7").
 */
int dies_by_signal(void (*fn)(void *), void *arg, int sig, char *why, size_t whylen);

/* Describe a wait status in words into buf: "exited with 3", "killed by signal 11". */
const char *describe_status(int status, char *buf, size_t len);

/* Why this run cannot execve an i386 program, else NULL: a host run under
 * qemu-user (runner.c's HL_TEST_WRAPPER) hands every execve to the host
 * kernel, and the runner found that kernel refusing i386 programs (no
 * 32-bit support). The cases that exec a program skip with this reason. */
const char *ut_exec_unsupported(void);

/* Read a whole small file into buf (NUL-terminated); bytes read or -1. */
long read_file(const char *path, char *buf, size_t len);

/* The TSC (rdtsc). */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
