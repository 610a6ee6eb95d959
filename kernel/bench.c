/* bench.c - runs the registered benchmarks and prints one line each:
 *   # bench <name> <instructions per op, 2 decimals> <what>
 * ("skipped" instead of the figure when this RAM size has nothing to
 * measure; "failed" with the reason when the benchmark could not measure).
 * The TSC rate under -icount is measured against a loop of known length,
 * so figures are in instructions whatever rate QEMU gives the TSC. */
#include "arch.h"
#include "bench.h"
#include "ktest.h"
#include "gfp.h"
#include "printk.h"

extern const struct bench __bench_cases_start[], __bench_cases_end[];

static u64 tsc_per_insn_x1000 = 1000; /* TSC ticks per 1000 instructions */
static const char *fail_why; /* the running benchmark's bench_fail, or NULL */

void bench_fail(const char *why) { fail_why = why; }

u64 bench_cycles(void) { return arch_cycles(); }

/* A loop of exactly 2 instructions per iteration (dec + jnz). */
static void calibrate(void)
{
	u32 n = 1000000;
	u64 t0 = bench_cycles();

	__asm__ volatile("1: dec %0; jnz 1b" : "+r"(n));
	u64 t1 = bench_cycles();
	u64 ticks = t1 - t0;
	tsc_per_insn_x1000 = ticks / 2000; /* 2,000,000 instructions */
	if (!tsc_per_insn_x1000)
		tsc_per_insn_x1000 = 1;
	pr_info("bench: TSC ticks per 1000 instructions: %llu\n", tsc_per_insn_x1000);
}

struct page *bench_highmem_page(void)
{
	struct page *p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0);

	if (p && !PageHighMem(p)) {
		__free_pages(p, 0);
		return NULL;
	}
	return p;
}

u64 bench_per_op(u64 t0, u64 t1, u64 n)
{
	/* (ticks * 1000 / ticks_per_1000_insn) instructions, x100, / n */
	return (t1 - t0) * 100000 / tsc_per_insn_x1000 / n;
}

void bench_run_all(void)
{
	calibrate();
	console_printf("# bench-begin\n");
	for (const struct bench *b = __bench_cases_start; b < __bench_cases_end; b++) {
		if (ktest_should_stop()) { /* the monitor's Ctrl-C */
			console_printf("# bench interrupted\n");
			break;
		}
		fail_why = NULL;
		u64 v = b->run();
		if (fail_why) {
			pr_err("bench: %s failed: %s\n", b->name, fail_why);
			console_printf("# bench %s failed %s [failed: %s]\n", b->name, b->what, fail_why);
		} else if (v)
			console_printf("# bench %s %llu.%02llu %s\n", b->name, v / 100, v % 100, b->what);
		else
			console_printf("# bench %s skipped %s\n", b->name, b->what);
	}
	console_printf("# bench-end\n");
}
