/* sys.c - the small system calls about the caller itself: who it is
 * (pids, credentials: everyone is root), what the system is (uname), and
 * giving the CPU away. */
#include "errno.h"
#include "kstring.h"
#include "sched.h"
#include "syscalls.h"
#include "uaccess.h"

SYSCALL_DEFINE0(getpid, __NR_getpid) { return current->pid; }

/* One thread per process: the thread id is the pid. */
SYSCALL_DEFINE0(gettid, __NR_gettid) { return current->pid; }

SYSCALL_DEFINE0(getuid, __NR_getuid) { return 0; }
SYSCALL_DEFINE0(geteuid, __NR_geteuid) { return 0; }
SYSCALL_DEFINE0(getgid, __NR_getgid) { return 0; }
SYSCALL_DEFINE0(getegid, __NR_getegid) { return 0; }
SYSCALL_DEFINE0(getuid32, __NR_getuid32) { return 0; }
SYSCALL_DEFINE0(geteuid32, __NR_geteuid32) { return 0; }
SYSCALL_DEFINE0(getgid32, __NR_getgid32) { return 0; }
SYSCALL_DEFINE0(getegid32, __NR_getegid32) { return 0; }

SYSCALL_DEFINE0(sched_yield, __NR_sched_yield)
{
	yield();
	return 0;
}

/* Linux's struct new_utsname: six fields of 65 bytes. */
#define UTS_LEN 65
struct new_utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
	char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

/* sysname "Linux": programs (and glibc) take the ABI from it. The release
 * is a Linux version glibc 2.36 accepts (it refuses kernels older than its
 * minimum, 3.2) and names the ABI Highland follows, 6.1; version says
 * what is really running. */
SYSCALL_DEFINE1(uname, __NR_uname, struct new_utsname *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", UTS_LEN);
	strlcpy(u.nodename, "highland", UTS_LEN);
	strlcpy(u.release, "6.1.0-highland", UTS_LEN);
	strlcpy(u.version, "#1 SMP Highland 0.1 (a teaching kernel, Linux i386 ABI)", UTS_LEN);
	strlcpy(u.machine, "i686", UTS_LEN);
	strlcpy(u.domainname, "(none)", UTS_LEN);
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}
