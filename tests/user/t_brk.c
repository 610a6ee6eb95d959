/*
 * t_brk.c - the program break: brk(0) reports it, growing gives zeroed
 * writable memory, shrinking takes it away (access then is SIGSEGV), and a
 * request below the start of the heap fails by returning the old break.
 *
 * Why the raw syscall: glibc's brk() hides the kernel's answer (Linux
 * returns the new break on success and the old one on failure).
 */
#include "ut.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096

static uintptr_t sys_brk(uintptr_t to)
{
	return (uintptr_t)syscall(SYS_brk, to);
}

static void do_write(void *a)
{
	*(volatile char *)a = 1;
}

static int test_grow_write_shrink(void)
{
	uintptr_t start = sys_brk(0);
	size_t grow = 1 << 20;
	char why[160];

	KT_EXPECT(start != 0, "brk(0) returned 0");
	uintptr_t top = sys_brk(start + grow);
	KT_EXPECT(top == start + grow, "brk(+1 MB) returned %#lx, want %#lx", (unsigned long)top,
		  (unsigned long)(start + grow));
	volatile char *p = (char *)start;
	for (size_t i = 0; i < grow; i += PAGE) {
		KT_EXPECT(p[i] == 0, "new heap byte at +%zu is not zero", i);
		p[i] = (char)i;
	}
	/* Shrink back: the page above the break must be gone. */
	uintptr_t low = (start + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	KT_EXPECT(sys_brk(start) == start, "brk back to %#lx failed", (unsigned long)start);
	/* qemu-i386 (7.2) only moves its brk variable when shrinking and keeps
	 * the pages mapped, so this check is Highland's and Linux's only. */
	if (hl_is_highland())
		KT_EXPECT(dies_by_signal(do_write, (void *)(low + PAGE), SIGSEGV, why, sizeof(why)),
			  "write above a shrunk break: %s", why);
	else
		kt_diag("not Highland: the SIGSEGV above a shrunk break is not checked (qemu-i386 "
			"keeps those pages)");
	/* Growing again gives zeroes, not the old contents. */
	KT_EXPECT(sys_brk(start + grow) == start + grow, "brk regrow failed");
	KT_EXPECT(p[low - start + 2 * PAGE] == 0, "regrown heap kept old data");
	KT_EXPECT(sys_brk(start) == start, "brk back failed");
	return KT_PASS;
}

static int test_below_start_refused(void)
{
	uintptr_t cur = sys_brk(0);
	uintptr_t r = sys_brk(0x1000);

	KT_EXPECT(r == cur, "brk(0x1000) returned %#lx; the break %#lx must stay", (unsigned long)r,
		  (unsigned long)cur);
	r = sys_brk(0xD0000000u);
	KT_EXPECT(r == cur, "brk into kernel space returned %#lx, want the old %#lx",
		  (unsigned long)r, (unsigned long)cur);
	return KT_PASS;
}

static int test_sbrk_and_malloc(void)
{
	/* glibc's malloc uses brk for small blocks: a large count of them works. */
	void *before = sbrk(0);
	char *p = sbrk(64 * PAGE);
	KT_EXPECT(p != (void *)-1 && p == before, "sbrk: %s", strerror(errno));
	memset(p, 0xab, 64 * PAGE);
	KT_EXPECT(sbrk(-64 * PAGE) != (void *)-1, "sbrk shrink: %s", strerror(errno));
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "grow_write_shrink", test_grow_write_shrink },
		{ "below_start_refused", test_below_start_refused },
		{ "sbrk", test_sbrk_and_malloc },
	};
	return kt_run("brk", cases, 3);
}
