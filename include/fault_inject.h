/* fault_inject.h - make allocations fail on purpose (Linux's fault-injection
 * framework, Documentation/fault-injection/), so that every caller's NULL
 * path runs.
 *
 * Two capabilities, configured on the command line with Linux's syntax:
 *   fail_page_alloc=<interval>,<probability>,<space>,<times>   alloc_pages & co.
 *   failslab=<interval>,<probability>,<space>,<times>          kmem_cache_alloc, kmalloc
 * and, per capability (Linux has these as debugfs files):
 *   fail_page_alloc.caller=<function>  only allocations called from that function
 *   fail_page_alloc.verbose=<0|1|2>    0 silent, 1 one report per failure
 *                                      (the first 10, then counted), 2 with a backtrace
 *   (the same with failslab.)
 *
 * A call fails when all of these hold, tested in this order:
 *   probability > 0 and times != 0            (times -1: no limit)
 *   the caller filter, if any, matches
 *   space has run out: each call first spends its size (bytes) from space
 *   it is the interval-th call (interval <= 1: every call)
 *   a pseudo-random draw in 0..99 is below probability (percent)
 * and then times counts down. __GFP_NOWARN requests fail silently.
 *
 * Differences from Linux, because Highland has no reclaim (any allocation
 * can really fail here, not just the atomic ones): every order and every
 * gfp is eligible - Linux spares order 0, highmem and sleeping requests by
 * default. __GFP_NOFAIL does not exist here. The capabilities are armed at
 * the end of boot (fault_inject_arm), when the kernel is up: what boot
 * allocates is not optional, and Linux panics if it fails. The draw is
 * seeded with a constant, so a run repeats exactly on one CPU.
 *
 * fail_nth: a task can ask for its own n-th allocation to fail (any
 * capability; Linux's /proc/<pid>/fail-nth), which lets a test walk every
 * allocation of an operation: n = 1, 2, ... until the operation succeeds.
 */
#ifndef HL_FAULT_INJECT_H
#define HL_FAULT_INJECT_H

#include "types.h"

struct fault_attr {
	const char *name;          /* "fail_page_alloc", "failslab" */
	unsigned long interval;    /* fail every interval-th eligible call */
	unsigned long probability; /* percent */
	long space;                /* bytes to let through first */
	long times;                /* failures left; -1 unlimited */
	int verbose;
	u32 caller_lo, caller_hi;  /* caller filter [lo, hi); 0, 0: none */
	char caller_name[48];
	/* state */
	unsigned long count;       /* eligible calls seen (for interval) */
	unsigned long injected;    /* failures injected so far */
	u32 rnd;                   /* xorshift32 state */
	bool armed;
};

extern struct fault_attr fail_page_alloc;
extern struct fault_attr failslab;

/* Non-zero while any capability is armed or a task waits for fail_nth;
 * the allocators' slow paths test it before should_fail. */
extern u8 fault_inject_on;

/* Gates of the two hottest fast paths, which compare against them anyway,
 * so that injection costs them no instruction while it is off (Linux would
 * use a static key): set to 0 while fault_inject_on, so every request takes
 * the slow path. page_alloc.c: orders below this try the per-CPU list (NR_PCP_LISTS,
 * 4, or 0). kmalloc.c: sizes up to this try this CPU's array (8192 or 0).
 * slab.c: kmem_cache_alloc tries this CPU's array if gfp & __GFP_ZERO is
 * below this (__GFP_ZERO: requests without it; or 0: none). */
extern unsigned alloc_pages_fast_orders;
extern size_t kmalloc_fast_max;
extern unsigned kmem_cache_fast_gate;

/* Should this call fail? size: bytes requested; caller: the allocation's
 * caller (the filter); nowarn: no report. Counts and reports a failure. */
bool should_fail(struct fault_attr *attr, unsigned long size, const void *caller, bool nowarn);

/* Parse "<interval>,<probability>,<space>,<times>" into attr (not armed);
 * false with a message naming the problem. */
bool setup_fault_attr(struct fault_attr *attr, const char *str);
/* Restrict attr to allocations whose caller lies in [lo, hi). */
void fault_attr_set_caller(struct fault_attr *attr, const char *name, u32 lo, u32 hi);
/* Arm (or disarm) attr and recompute fault_inject_on. */
void fault_attr_arm(struct fault_attr *attr, bool on);

/* Read fail_page_alloc=, failslab= and their .caller=/.verbose= options
 * from the command line and arm what they ask for (end of boot). */
void fault_inject_arm(void);
/* One line per capability: its parameters and how many failures so far. */
void fault_inject_show(void);

/* The running task's n-th allocation from now fails (n >= 1); 0 cancels.
 * Task context only. Returns false outside a task. */
bool fault_fail_nth_set(unsigned n);
/* Allocations left before the pending fail_nth failure (0: none pending,
 * or it happened). */
unsigned fault_fail_nth_get(void);

/* Failures injected so far, all capabilities (tests compare before/after). */
unsigned long fault_injected_total(void);

#endif
