/* sys.c - the small system calls: who the caller is (pids, credentials:
 * everyone is root), what the system is (uname), giving the CPU away,
 * random bytes, resource limits, and reboot. */
#include "errno.h"
#include "kstring.h"
#include "machine.h"
#include "mm_types.h"
#include "printk.h"
#include "process.h"
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

/* getrandom: never blocks (the CPU's generator or the TSC-seeded one is
 * ready at boot); GRND_NONBLOCK (1), GRND_RANDOM (2), GRND_INSECURE (4). */
SYSCALL_DEFINE3(getrandom, __NR_getrandom, char *, buf, size_t, count, unsigned int, flags)
{
	if (flags & ~7u)
		return -EINVAL;
	if (count > 33554431)
		count = 33554431; /* Linux's cap per call */
	for (size_t done = 0; done < count;) {
		u32 r = arch_random_u32();
		size_t n = count - done < 4 ? count - done : 4;
		if (copy_to_user(buf + done, &r, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)count;
}

#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIM_NLIMITS 16
#define RLIM64_INFINITY (~0ULL)

/* The limits Highland has: an 8 MB stack (what the fault path enforces) and
 * 1024 open files; everything else unlimited. Setting is refused. */
static void rlimit_of(unsigned resource, u64 *cur, u64 *max)
{
	*cur = *max = RLIM64_INFINITY;
	if (resource == RLIMIT_STACK)
		*cur = STACK_RLIMIT;
	else if (resource == RLIMIT_NOFILE)
		*cur = 1024, *max = 4096;
}

SYSCALL_DEFINE4(prlimit64, __NR_prlimit64, int, pid, unsigned int, resource, const u64 *, new_rlim,
		u64 *, old_rlim)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (pid && pid != current->pid)
		return -ESRCH; /* only one's own limits, for now */
	if (old_rlim) {
		u64 r[2];
		rlimit_of(resource, &r[0], &r[1]);
		if (copy_to_user(old_rlim, r, sizeof(r)))
			return -EFAULT;
	}
	return new_rlim ? -EPERM : 0;
}

/* struct rlimit with unsigned longs: infinity is ~0UL. */
SYSCALL_DEFINE2(ugetrlimit, __NR_ugetrlimit, unsigned int, resource, unsigned long *, rlim)
{
	u64 cur, max;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	rlimit_of(resource, &cur, &max);
	unsigned long r[2] = { cur > ~0UL ? ~0UL : (unsigned long)cur, max > ~0UL ? ~0UL : (unsigned long)max };
	return copy_to_user(rlim, r, sizeof(r)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT 0xcdef0123u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

/* reboot: Linux's magic numbers must match; POWER_OFF and HALT stop the
 * machine (QEMU exits), RESTART resets it. */
SYSCALL_DEFINE4(reboot, __NR_reboot, unsigned int, magic1, unsigned int, magic2, unsigned int, cmd,
		void *, arg)
{
	(void)arg;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != 672274793u && magic2 != 85072278u && magic2 != 369367448u && magic2 != 537993216u))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		printk("reboot: Power down\n");
		machine_poweroff();
	case LINUX_REBOOT_CMD_RESTART:
		printk("reboot: Restarting system\n");
		machine_reboot();
	}
	return -EINVAL;
}
