/* syscalls.h - Linux i386 system calls: how one is defined and found.
 *
 * A system call is defined where its subsystem lives (kernel/, mm/, fs/),
 * with Linux's macro shape:
 *
 *   SYSCALL_DEFINE3(read, __NR_read, unsigned int, fd, char *, buf, size_t, count)
 *   {
 *           ... return a count or -errno ...
 *   }
 *
 * Each definition puts {number, name, handler} into the linker section
 * .syscalls; the dispatcher (arch/x86: int $0x80) builds its table from
 * that section at boot, so adding a call touches no central list. The
 * handler receives the six argument registers of the i386 ABI (ebx, ecx,
 * edx, esi, edi, ebp) converted to the declared types. A number with no
 * definition returns -ENOSYS, as Linux does. Numbers are Linux's
 * (/usr/i686-linux-gnu/include/asm/unistd_32.h).
 */
#ifndef HL_SYSCALLS_H
#define HL_SYSCALLS_H

#include "types.h"

/* The argument registers of one call, in ABI order. */
struct syscall_args {
	unsigned long a[6]; /* ebx, ecx, edx, esi, edi, ebp */
};

typedef long (*syscall_fn_t)(const struct syscall_args *args);

struct syscall_entry {
	unsigned nr;
	const char *name;
	syscall_fn_t fn;
};

#define __SC_ENTRY(nr_, name_)                                                     \
	static const struct syscall_entry __syscall_entry_##name_                  \
		__attribute__((used, section(".syscalls"), aligned(4))) = {        \
			nr_, #name_, __se_sys_##name_ }

/* The typed body __do_sys_name, and __se_sys_name that unpacks the registers. */
#define SYSCALL_DEFINE0(name, nr)                                                  \
	static long __do_sys_##name(void);                                         \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		(void)a;                                                           \
		return __do_sys_##name();                                          \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(void)
#define SYSCALL_DEFINE1(name, nr, t1, a1)                                          \
	static long __do_sys_##name(t1 a1);                                        \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0]);                               \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, nr, t1, a1, t2, a2)                                  \
	static long __do_sys_##name(t1 a1, t2 a2);                                 \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0], (t2)a->a[1]);                  \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, nr, t1, a1, t2, a2, t3, a3)                          \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3);                          \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0], (t2)a->a[1], (t3)a->a[2]);     \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, nr, t1, a1, t2, a2, t3, a3, t4, a4)                  \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);                   \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0], (t2)a->a[1], (t3)a->a[2],      \
				       (t4)a->a[3]);                               \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(name, nr, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)          \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);            \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0], (t2)a->a[1], (t3)a->a[2],      \
				       (t4)a->a[3], (t5)a->a[4]);                  \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(name, nr, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)  \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);     \
	static long __se_sys_##name(const struct syscall_args *a)                  \
	{                                                                          \
		return __do_sys_##name((t1)a->a[0], (t2)a->a[1], (t3)a->a[2],      \
				       (t4)a->a[3], (t5)a->a[4], (t6)a->a[5]);     \
	}                                                                          \
	__SC_ENTRY(nr, name);                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* The dispatcher's table (built at boot from .syscalls). */
#define NR_syscalls 450
/* Run call nr with args: -ENOSYS for a number nothing defines. */
long syscall_dispatch(unsigned nr, const struct syscall_args *args);
/* The name of call nr, or NULL (for strace-like reports). */
const char *syscall_name(unsigned nr);
/* Build the table; two definitions of one number stop the boot with both names. */
void syscall_table_init(void);

/* ---- numbers ---- */
/* Linux i386 system-call numbers (the ABI: /usr/i686-linux-gnu/include/asm/unistd_32.h), those
 * Highland defines or answers. */
#define __NR_exit 1
#define __NR_fork 2
#define __NR_read 3
#define __NR_write 4
#define __NR_open 5
#define __NR_close 6
#define __NR_waitpid 7
#define __NR_execve 11
#define __NR_getpid 20
#define __NR_mount 21
#define __NR_kill 37
#define __NR_pipe 42
#define __NR_brk 45
#define __NR_ioctl 54
#define __NR_dup 41
#define __NR_dup2 63
#define __NR_getppid 64
#define __NR_reboot 88
#define __NR_munmap 91
#define __NR_wait4 114
#define __NR_clone 120
#define __NR_uname 122
#define __NR_mprotect 125
#define __NR__llseek 140
#define __NR_lseek 19
#define __NR_nanosleep 162
#define __NR_getuid32 199
#define __NR_getgid32 200
#define __NR_geteuid32 201
#define __NR_getegid32 202
#define __NR_getuid 24
#define __NR_getgid 47
#define __NR_geteuid 49
#define __NR_getegid 50
#define __NR_vfork 190
#define __NR_mmap2 192
#define __NR_stat64 195
#define __NR_fstat64 197
#define __NR_getdents64 220
#define __NR_fcntl64 221
#define __NR_gettid 224
#define __NR_set_thread_area 243
#define __NR_exit_group 252
#define __NR_set_tid_address 258
#define __NR_openat 295
#define __NR_mkdir 39
#define __NR_unlink 10
#define __NR_fstatat64 300
#define __NR_set_robust_list 311
#define __NR_pipe2 331
#define __NR_prlimit64 340
#define __NR_ugetrlimit 191
#define __NR_getrandom 355
#define __NR_statx 383
#define __NR_rseq 386
#define __NR_clock_gettime 265
#define __NR_clock_gettime64 403
#define __NR_sched_yield 158
#define __NR_readv 145
#define __NR_writev 146
#define __NR_madvise 219
#define __NR_rt_sigaction 174
#define __NR_rt_sigprocmask 175

#endif
