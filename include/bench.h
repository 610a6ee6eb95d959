/* bench.h - in-kernel micro-benchmarks, run by `bench` on the command line
 * (make bench boots each RAM size under QEMU -icount shift=0,sleep=off).
 *
 * Under -icount every guest instruction advances virtual time by exactly
 * 1 ns and the TSC follows virtual time, so a TSC delta is an instruction
 * count (scaled by the TSC rate, which bench.c calibrates and removes) and
 * is identical from run to run. A benchmark returns its cost per operation
 * in instructions; it never asserts a limit: figures are compared by
 * tools/bench against the README's targets and a baseline. One that cannot
 * measure calls bench_fail(why) and returns 0: its row says why.
 *
 *   static u64 bench_foo(void) { ...; return bench_per_op(t0, t1, n); }
 *   BENCH(foo, "what one op is", bench_foo);
 */
#ifndef HL_BENCH_H
#define HL_BENCH_H

#include "types.h"

struct bench {
	const char *name;
	const char *what;
	u64 (*run)(void); /* instructions per op (x100 for two decimals), 0 = skipped */
};

#define BENCH(bname, bwhat, fn)                                                     \
	static const struct bench __bench_##bname                                   \
		__attribute__((used, section(".bench_cases"), aligned(4))) = { #bname, bwhat, fn }

/* A cycle counter (the TSC); under -icount: virtual nanoseconds. */
u64 bench_cycles(void);
/* Per-op cost x100 from a cycle delta over n ops, converted to instructions. */
u64 bench_per_op(u64 t0, u64 t1, u64 n);
/* A highmem page for a benchmark, or NULL when this RAM size has none
 * (the benchmark then reports itself skipped). */
struct page *bench_highmem_page(void);
/* Say why the running benchmark has no figure (no swap area, a page that
 * did not go out): its row reads "failed" with the reason instead of a
 * number, and the log says so. why must outlive the call (a literal or a
 * static buffer). */
void bench_fail(const char *why);
/* Run every benchmark, print "# bench <name> <value> instructions/op" lines. */
void bench_run_all(void);

#endif
