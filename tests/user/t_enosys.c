/*
 * t_enosys.c - an unknown syscall number returns -ENOSYS and nothing else
 * happens: the registers glibc needs survive, the process carries on.
 *
 * Why these numbers: Linux 6.1's i386 table ends at 450
 * (set_mempolicy_home_node), so 451 and above are unknown; 0xffffffff (-1)
 * and 0x80000000 catch a signed comparison in the dispatcher. Below 451
 * numbers that Linux knows but a kernel may not implement (rseq 386) are
 * only required to answer, not to be ENOSYS.
 */
#include "ut.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* int $0x80 with eax = nr and ebx..edi set; returns eax, and whether ebx..edi came back. */
static long raw_syscall(uint32_t nr, int *regs_kept)
{
	uint32_t eax = nr, b = 0x11111111, c = 0x22222222, d = 0x33333333;
	uint32_t s = 0x44444444, di = 0x55555555;

	__asm__ volatile("int $0x80"
			 : "+a"(eax), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di)
			 : : "memory");
	*regs_kept = b == 0x11111111 && c == 0x22222222 && d == 0x33333333 &&
		     s == 0x44444444 && di == 0x55555555;
	return (long)(int32_t)eax;
}

static int test_unknown_numbers(void)
{
	static const uint32_t nrs[] = { 451, 452, 460, 500, 511, 512, 1000, 4096, 65535,
					0x7fffffffu, 0x80000000u, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		int kept;
		long r = raw_syscall(nrs[i], &kept);
		KT_EXPECT(r == -ENOSYS, "syscall %u (%#x) returned %ld, want -ENOSYS (%d)", nrs[i],
			  nrs[i], r, -ENOSYS);
		KT_EXPECT(kept, "syscall %u changed ebx/ecx/edx/esi/edi", nrs[i]);
	}
	return KT_PASS;
}

static int test_glibc_syscall_wrapper(void)
{
	errno = 0;
	long r = syscall(451 + 17);
	KT_EXPECT(r == -1 && errno == ENOSYS, "syscall(468): %ld errno %d", r, errno);
	KT_EXPECT(getpid() > 0, "getpid after an unknown syscall");
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "unknown_numbers", test_unknown_numbers },
		{ "glibc_syscall_wrapper", test_glibc_syscall_wrapper },
	};
	return kt_run("enosys", cases, 2);
}
