/* sys.c - the small system calls: who the caller is (pids, credentials:
 * everyone is root), what the system is (uname, sysinfo), giving the CPU
 * away, random bytes, resource limits and usage (times, getrusage), and
 * reboot. */
#include "errno.h"
#include "kstring.h"
#include "loadavg.h"
#include "mmzone.h"
#include "vmstat.h"
#include "machine.h"
#include "mm_types.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
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

/* Root is in no supplementary group: an empty list. */
SYSCALL_DEFINE2(getgroups32, 205, int, size, u32 *, list)
{
	return size < 0 ? -EINVAL : 0;
}

SYSCALL_DEFINE2(getgroups16, 80, int, size, u16 *, list)
{
	return size < 0 ? -EINVAL : 0;
}

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
#define RLIMIT_SIGPENDING 11
#define RLIM_NLIMITS 16
#define RLIM64_INFINITY (~0ULL)

/* The limits Highland has: an 8 MB stack (what the fault path enforces),
 * 1024 open files and SIGQUEUE_MAX queued signals (kernel/signal_queue.c);
 * everything else unlimited. Setting is refused. */
static void rlimit_of(unsigned resource, u64 *cur, u64 *max)
{
	*cur = *max = RLIM64_INFINITY;
	if (resource == RLIMIT_STACK)
		*cur = STACK_RLIMIT;
	else if (resource == RLIMIT_NOFILE)
		*cur = 1024, *max = 4096;
	else if (resource == RLIMIT_SIGPENDING)
		*cur = *max = SIGQUEUE_MAX;
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

/* ---- sysinfo: Linux's struct sysinfo for i386 (64 bytes) ---- */

struct sysinfo {
	s32 uptime;
	u32 loads[3];   /* load averages << SI_LOAD_SHIFT (16) */
	u32 totalram, freeram, sharedram, bufferram, totalswap, freeswap; /* in mem_unit */
	u16 procs, pad;
	u32 totalhigh, freehigh;
	u32 mem_unit;
	char _f[8];
};
_Static_assert(sizeof(struct sysinfo) == 64, "struct sysinfo is 64 bytes on i386");

#define SI_LOAD_SHIFT 16

static void count_procs(struct task *t, void *arg) { (*(unsigned *)arg)++; }

/* Sizes go out in bytes (mem_unit 1) when RAM and swap together fit in 32
 * bits, else in pages (mem_unit 4096): Linux's rule, so at -m 8192 the
 * figures are pages. */
SYSCALL_DEFINE1(sysinfo, 116, struct sysinfo *, info)
{
	struct sysinfo si;
	unsigned long loads[3];
	unsigned procs = 0;
	u64 total = totalram_pages(), swap = total_swap_pages > 0 ? (u64)total_swap_pages : 0;
	u64 v[8] = { total, nr_free_pages(), 0 /* shared: no shmem */, 0 /* buffers */, swap,
		     nr_swap_pages > 0 ? (u64)nr_swap_pages : 0, totalhigh_pages(), nr_free_highpages() };
	u32 unit = PAGE_SIZE;

	memset(&si, 0, sizeof(si));
	si.uptime = (s32)((arch_clock_ns() + 999999999ull) / 1000000000ull); /* Linux rounds up */
	get_avenrun(loads, 0, SI_LOAD_SHIFT - FSHIFT);
	for (int i = 0; i < 3; i++)
		si.loads[i] = (u32)loads[i];
	for_each_process(count_procs, &procs);
	si.procs = (u16)procs;
	if ((total + swap) * PAGE_SIZE <= 0xffffffffull)
		unit = 1;
	for (int i = 0; i < 8; i++)
		v[i] = unit == 1 ? v[i] * PAGE_SIZE : v[i];
	si.totalram = (u32)v[0], si.freeram = (u32)v[1], si.sharedram = (u32)v[2];
	si.bufferram = (u32)v[3], si.totalswap = (u32)v[4], si.freeswap = (u32)v[5];
	si.totalhigh = (u32)v[6], si.freehigh = (u32)v[7];
	si.mem_unit = unit;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

/* ---- times and getrusage: a task has one tick count (user and kernel time
 * together, kernel/sched.c), reported as user time; its reaped children's
 * (and theirs) are added up at wait (cticks, kernel/exit.c). ---- */

/* times: struct tms of four clock_t (ticks, USER_HZ = HZ = 100); returns the
 * ticks since boot. */
SYSCALL_DEFINE1(times, 43, s32 *, tbuf)
{
	if (tbuf) {
		s32 tms[4] = { (s32)current->ticks, 0, (s32)current->cticks, 0 };
		if (copy_to_user(tbuf, tms, sizeof(tms)))
			return -EFAULT;
	}
	return (long)(arch_clock_ns() / (1000000000ull / HZ));
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

/* i386 struct rusage: two struct timeval (2 longs each), then 14 longs. */
struct rusage32 {
	s32 utime[2], stime[2];
	s32 maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	s32 msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};
_Static_assert(sizeof(struct rusage32) == 72, "struct rusage is 72 bytes on i386");

SYSCALL_DEFINE2(getrusage, 77, int, who, struct rusage32 *, ru)
{
	struct rusage32 r;
	struct task *t = current;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	if (who == RUSAGE_CHILDREN) {
		unsigned long us = t->cticks * (1000000ul / HZ);
		r.utime[0] = (s32)(us / 1000000), r.utime[1] = (s32)(us % 1000000);
	} else {
		unsigned long us = t->ticks * (1000000ul / HZ);
		r.utime[0] = (s32)(us / 1000000), r.utime[1] = (s32)(us % 1000000);
		if (t->mm) { /* the most resident memory seen, in kB */
			unsigned long rss = get_mm_rss(t->mm);
			unsigned long hw = t->mm->hiwater_rss > rss ? t->mm->hiwater_rss : rss;
			r.maxrss = (s32)(hw << (PAGE_SHIFT - 10));
		}
		r.nvcsw = (s32)t->nr_switches;
	}
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
