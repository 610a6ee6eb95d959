/*
 * t_stack.c - the stack VMA grows on demand: recursion several MB deep
 * works, and unbounded recursion ends in SIGSEGV for that process alone.
 *
 * Why: the initial stack is a few pages; every deeper page is a fault
 * below the stack VMA that the kernel must turn into growth (Linux keeps a
 * guard gap below it and stops at RLIMIT_STACK, 8 MB by default).
 */
#include "ut.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#define FRAME 1024

/* Each level keeps a 1 KB frame alive and checks it on the way back. */
static unsigned deep(unsigned level, unsigned max)
{
	volatile unsigned char frame[FRAME];

	for (unsigned i = 0; i < FRAME; i += 64)
		frame[i] = (unsigned char)(level + i);
	unsigned sum = level == max ? 0 : deep(level + 1, max);
	for (unsigned i = 0; i < FRAME; i += 64)
		if (frame[i] != (unsigned char)(level + i))
			return 1u << 31;
	return sum + 1;
}

static int test_recursion_6mb(void)
{
	unsigned levels = 6 * 1024;   /* 6 MB of 1 KB frames, below the 8 MB rlimit */
	struct rlimit r;

	if (getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
	    r.rlim_cur < 7u << 20)
		KT_SKIP("RLIMIT_STACK is %lu bytes", (unsigned long)r.rlim_cur);
	unsigned got = deep(1, levels);
	KT_EXPECT(got == levels, "recursion returned %u, want %u (a frame was corrupted)", got,
		  levels);
	return KT_PASS;
}

static void forever(void *arg)
{
	(void)deep(1, ~0u);
}

static int test_unbounded_recursion_segv(void)
{
	char why[160];

	KT_EXPECT(dies_by_signal(forever, NULL, SIGSEGV, why, sizeof(why)),
		  "unbounded recursion: %s", why);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "recursion_6mb", test_recursion_6mb },
		{ "unbounded_recursion_segv", test_unbounded_recursion_segv },
	};
	return kt_run("stack", cases, 2);
}
