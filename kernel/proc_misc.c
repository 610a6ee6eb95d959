/* proc_misc.c - the global /proc files about processes and time, in Linux
 * 6.1's formats (fs/proc/uptime.c, loadavg.c, stat.c, version.c), so that
 * uptime, top and ps read them: /proc/uptime, /proc/loadavg, /proc/stat,
 * /proc/version.
 *
 * What Highland does not count is said where it is printed. The scheduler
 * keeps one tick count per task (no user/system split) and none for the
 * idle tasks, so /proc/stat's user time is the live processes' ticks (per
 * CPU, by the CPU each runs on) and idle is the rest of the time since
 * boot (kernel threads' time included). The load averages are Linux's
 * (kernel/loadavg.c says how they are sampled here). */
#include "arch.h"
#include "errno.h"
#include "kstring.h"
#include "loadavg.h"
#include "mm_types.h"
#include "mmzone.h"
#include "printk.h"
#include "proc_fs.h"
#include "process.h"
#include "sched.h"

#define NSEC_PER_SEC 1000000000ULL

/* What a walk over the live processes gathers (under tasklist_lock). */
struct proc_totals {
	unsigned long ticks[NR_CPUS]; /* their ticks, by CPU */
	unsigned long switches;       /* their context switches */
	unsigned nr, running;         /* processes, and those running or runnable */
	int max_pid;                  /* the highest live pid */
};

static void add_process(struct task *t, void *arg)
{
	struct proc_totals *s = arg;

	if (t->cpu < NR_CPUS)
		s->ticks[t->cpu] += t->ticks;
	s->switches += t->nr_switches;
	s->nr++;
	if (t->state == TASK_RUNNING)
		s->running++;
	if (t->pid > s->max_pid)
		s->max_pid = t->pid;
}

static void gather(struct proc_totals *s)
{
	memset(s, 0, sizeof(*s));
	for_each_process(add_process, s);
}

static void add_vm(struct task *t, void *arg)
{
	if (t->mm) /* total_vm is one word: read once, under tasklist_lock */
		*(unsigned long *)arg += __atomic_load_n(&t->mm->total_vm, __ATOMIC_RELAXED);
}

/* meminfo's Committed_AS (mm/proc_meminfo.c): Linux adds up what private
 * writable mappings could need (vm_committed_as, kept at mmap/munmap);
 * Highland keeps no such count, and gives every page every process has
 * mapped (the sum of their VmSize): an upper bound, the same when programs
 * map only private writable memory. */
unsigned long committed_as_pages(void)
{
	unsigned long pages = 0;

	for_each_process(add_vm, &pages);
	return pages;
}

/* Time since boot in clock ticks (USER_HZ = HZ = 100). */
static unsigned long uptime_ticks(void) { return (unsigned long)(arch_clock_ns() / (NSEC_PER_SEC / HZ)); }

/* ---- /proc/uptime: "seconds.hundredths idle-seconds.hundredths" ---- */
static int uptime_show(struct seq_file *m, void *data)
{
	struct proc_totals s;
	unsigned long up = uptime_ticks(), busy = 0, idle = 0;
	unsigned cpus = 0;

	gather(&s);
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (sched_cpu_online(c)) {
			cpus++;
			busy += s.ticks[c];
		}
	if (up * cpus > busy)
		idle = up * cpus - busy; /* summed over CPUs, as Linux's */
	seq_printf(m, "%lu.%02lu %lu.%02lu\n", up / HZ, up % HZ, idle / HZ, idle % HZ);
	return 0;
}

/* ---- /proc/loadavg: "avg1 avg5 avg15 running/total last_pid" ---- */
static int loadavg_show(struct seq_file *m, void *data)
{
	struct proc_totals s;
	unsigned long a[3];

	gather(&s);
	get_avenrun(a, FIXED_1 / 200, 0); /* + 0.005: printed rounded, as Linux */
	/* running/total: Linux counts every task; Highland counts processes
	 * (kernel threads not included). The last pid is the one handed out
	 * last, to a process or a kernel thread, as Linux's. */
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n", LOAD_INT(a[0]), LOAD_FRAC(a[0]),
		   LOAD_INT(a[1]), LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]), s.running, s.nr,
		   last_pid());
	return 0;
}

/* ---- /proc/stat ---- */
static void stat_cpu_line(struct seq_file *m, const char *name, unsigned long user,
			  unsigned long idle)
{
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	seq_printf(m, "%s %lu 0 0 %lu 0 0 0 0 0 0\n", name, user, idle);
}

static u64 boot_time_seconds(void)
{
	static u64 btime; /* the RTC is slow to read: once */

	if (!btime) {
		u64 now = arch_rtc_epoch_seconds();
		btime = now ? now - arch_clock_ns() / NSEC_PER_SEC : 0;
	}
	return btime;
}

static int stat_show(struct seq_file *m, void *data)
{
	struct proc_totals s;
	unsigned long up = uptime_ticks(), user = 0, idle = 0;
	char name[16];

	gather(&s);
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (sched_cpu_online(c)) {
			user += s.ticks[c];
			idle += up > s.ticks[c] ? up - s.ticks[c] : 0;
		}
	stat_cpu_line(m, "cpu ", user, idle);
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (sched_cpu_online(c)) {
			snprintf(name, sizeof(name), "cpu%u", c);
			stat_cpu_line(m, name, s.ticks[c], up > s.ticks[c] ? up - s.ticks[c] : 0);
		}
	/* intr: Highland keeps no per-IRQ counts (Linux's total then one per IRQ) */
	/* ctxt: the live processes' switches (the scheduler keeps no total) */
	seq_printf(m, "intr 0\nctxt %lu\nbtime %llu\n", s.switches,
		   (unsigned long long)boot_time_seconds());
	/* processes (Linux: tasks made since boot): pids are handed out in
	 * order, so the highest live one, or the reader's, is a lower bound;
	 * procs_running: the processes running or runnable (kernel threads not
	 * counted, unlike Linux) */
	int made = s.max_pid > current_pid() ? s.max_pid : current_pid();
	seq_printf(m, "processes %d\nprocs_running %u\nprocs_blocked 0\n", made, s.running);
	seq_puts(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}

/* ---- /proc/version: what uname says, in Linux's sentence ---- */
static int version_show(struct seq_file *m, void *data)
{
	seq_puts(m, "Linux version 6.1.0-highland (highland@highland) (i686-linux-gnu-gcc (GCC) "
		    __VERSION__ ") #1 SMP Highland 0.1 (a teaching kernel, Linux i386 ABI)\n");
	return 0;
}

/* ---- /proc/sys/vm: the tunables tools read (read-only here: writes are refused) ---- */

__attribute__((weak)) int vm_swappiness = 60; /* Linux's default; vmscan's own if it has one */

static int sysctl_ulong_show(struct seq_file *m, void *data)
{
	seq_printf(m, "%lu\n", *(const unsigned long *)data);
	return 0;
}

static int sysctl_int_show(struct seq_file *m, void *data)
{
	seq_printf(m, "%d\n", *(const int *)data);
	return 0;
}

/* overcommit_memory 0 (heuristic: Highland refuses no mapping for lack of
 * memory; the OOM killer answers when it runs out) and overcommit_ratio 50,
 * the ratio meminfo's CommitLimit uses. */
static const int overcommit_memory = 0, overcommit_ratio = 50;

int proc_misc_init(void)
{
	static const struct {
		const char *name;
		int (*show)(struct seq_file *m, void *data);
	} files[] = {
		{ "uptime", uptime_show }, { "loadavg", loadavg_show },
		{ "stat", stat_show },     { "version", version_show },
	};
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files) && !err; i++)
		err = proc_create_single(files[i].name, files[i].show, NULL);
	static const struct {
		const char *name;
		int (*show)(struct seq_file *m, void *data);
		const void *value;
	} vm[] = {
		{ "sys/vm/min_free_kbytes", sysctl_ulong_show, &min_free_kbytes },
		{ "sys/vm/overcommit_memory", sysctl_int_show, &overcommit_memory },
		{ "sys/vm/overcommit_ratio", sysctl_int_show, &overcommit_ratio },
		{ "sys/vm/swappiness", sysctl_int_show, &vm_swappiness },
	};
	for (size_t i = 0; i < ARRAY_SIZE(vm) && !err; i++) {
		err = proc_create_single(vm[i].name, vm[i].show, (void *)vm[i].value);
		if (err == -EEXIST)
			err = 0; /* its subsystem registered it already */
	}
	return err;
}
