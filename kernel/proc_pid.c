/* proc_pid.c - the per-process files of /proc: maps, status, stat, statm,
 * cmdline and smaps_rollup under /proc/PID (and so under /proc/self), byte-compatible with Linux
 * 6.1's (fs/proc/array.c, fs/proc/task_mmu.c, fs/proc/base.c), so that
 * ps, top and free written for Linux read them.
 *
 * Each show function gets a snapshot of the task (kernel/pid.c: a copy
 * taken under tasklist_lock, its mm held), so it may allocate and sleep.
 * Fields Highland does not have are printed as Linux prints them for a
 * kernel without the feature or a task that never used it (0, empty);
 * what each means for Highland is said where it is printed:
 * - one thread per process: Threads 1, Tgid = Pid;
 * - process group and session are the task's (kernel/pgrp.c); tty_nr and
 *   tpgid are its session's controlling terminal (fs/tty.c), if it has one;
 * - every process is root with every capability; the Sig* lines are read
 *   under tasklist_lock (kernel/signal_queue.c: the actions live in
 *   sighand, which a snapshot may not follow); SigQ counts the process's
 *   own queued signals (Linux counts its user's: every process is root);
 * - a task has one tick count (kernel and user time together): it is
 *   reported as utime, stime 0; cutime is its reaped children's (and
 *   theirs, added at wait), cstime 0; its switches all count as voluntary.
 */
#include "fs.h"
#include "highmem.h"
#include "kstring.h"
#include "mm_types.h"
#include "printk.h"
#include "proc_fs.h"
#include "oom.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "tty.h"

#define PG_KB(pages) ((pages) << (PAGE_SHIFT - 10))
#define PF_KTHREAD 0x00200000 /* Linux's task flag for a kernel thread */

/* Pages of mm's regions by kind, as Linux keeps them in mm->data_vm,
 * stack_vm and exec_vm (Highland counts them when asked). */
struct vm_kinds {
	unsigned long data, stack, exec;
};

static void count_vm_kinds(struct mm_struct *mm, struct vm_kinds *k)
{
	*k = (struct vm_kinds){ 0, 0, 0 };
	for (int i = 0; i < mm->map_count; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		unsigned long pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT, f = v->vm_flags;

		if (f & VM_GROWSDOWN)
			k->stack += pages;
		else if ((f & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			k->data += pages;
		else if ((f & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			k->exec += pages;
	}
}

/* The text's pages (end_code - start_code, page-rounded, at most exec_vm). */
static unsigned long text_pages(struct mm_struct *mm, const struct vm_kinds *k)
{
	unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;

	return text < k->exec ? text : k->exec;
}

/* Linux's one-letter state and its words in status. */
static char state_letter(const struct task *t)
{
	if (t->is_process && t->stopped)
		return 'T'; /* a stop signal: waiting for SIGCONT */
	switch (t->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_SLEEPING:
		return 'S';
	default:
		return 'X';
	}
}

static const char *state_words(char c)
{
	return c == 'R' ? "R (running)" : c == 'S' ? "S (sleeping)" : c == 'T' ? "T (stopped)"
									  : "X (dead)";
}

static int ppid_of(const struct task *t)
{
	return t->parent ? t->parent->pid : 0;
}

/* CPUs online, as a count and a mask (Highland has at most 32). */
static unsigned online_mask(void)
{
	unsigned mask = 0;

	for (unsigned c = 0; c < 32; c++)
		if (sched_cpu_online(c))
			mask |= 1u << c;
	return mask;
}

/* ---- /proc/PID/maps ---- */

static int show_maps(struct seq_file *m, struct task *t)
{
	char line[128];

	if (!t->mm)
		return 0;
	for (int i = 0; i < t->mm->map_count; i++) {
		size_t n = format_map_line(line, sizeof(line), t->mm, t->mm->vmas[i]);
		seq_write(m, line, n);
	}
	return 0;
}

/* ---- /proc/PID/status ---- */

static void status_mem(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_kinds k;
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES), file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES), rss = anon + file + shmem;
	unsigned long text;

	count_vm_kinds(mm, &k);
	text = text_pages(mm, &k);
	seq_printf(m, "VmPeak:\t%8lu kB\n", PG_KB(mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm));
	seq_printf(m, "VmSize:\t%8lu kB\n", PG_KB(mm->total_vm));
	seq_printf(m, "VmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", 0UL, 0UL);
	seq_printf(m, "VmHWM:\t%8lu kB\n", PG_KB(mm->hiwater_rss > rss ? mm->hiwater_rss : rss));
	seq_printf(m, "VmRSS:\t%8lu kB\n", PG_KB(rss));
	seq_printf(m, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n", PG_KB(anon),
		   PG_KB(file), PG_KB(shmem));
	seq_printf(m, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\n", PG_KB(k.data), PG_KB(k.stack));
	seq_printf(m, "VmExe:\t%8lu kB\nVmLib:\t%8lu kB\n", PG_KB(text), PG_KB(k.exec - text));
	seq_printf(m, "VmPTE:\t%8lu kB\n", mm->pgtables_bytes >> 10);
	seq_printf(m, "VmSwap:\t%8lu kB\n", 0UL);
	seq_printf(m, "HugetlbPages:\t%8lu kB\n", 0UL);
	seq_puts(m, "CoreDumping:\t0\nTHP_enabled:\t0\n");
}

static int show_status(struct seq_file *m, struct task *t)
{
	char c = state_letter(t);
	unsigned mask = online_mask(), last = 31 - (unsigned)__builtin_clz(mask | 1);
	int fdsize = t->files ? NR_OPEN_DEFAULT : 0;

	seq_printf(m, "Name:\t%s\nUmask:\t%#04o\nState:\t%s\n", t->name, 022, state_words(c));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		   t->tgid ? t->tgid : t->pid, t->pid, ppid_of(t));
	seq_puts(m, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	seq_printf(m, "FDSize:\t%d\nGroups:\t\n", fdsize);
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->pid, t->pid, t->pgid,
		   t->sid);
	if (t->mm)
		status_mem(m, t->mm);
	struct task_sigstate ss;
	task_signal_state(t->pid, &ss); /* gone meanwhile: all 0 */
	seq_printf(m, "Threads:\t1\nSigQ:\t%u/%u\n", ss.queued, SIGQUEUE_MAX);
	seq_printf(m, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n", ss.pending & ~ss.shared, ss.shared);
	seq_printf(m, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n", ss.blocked,
		   ss.ignored, ss.caught);
	/* root: every capability of Linux 6.1 (CAP_LAST_CAP 40) */
	seq_printf(m, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n", 0ULL,
		   0x1ffffffffffULL, 0x1ffffffffffULL);
	seq_printf(m, "CapBnd:\t%016llx\nCapAmb:\t%016llx\n", 0x1ffffffffffULL, 0ULL);
	seq_puts(m, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	seq_puts(m, "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n");
	seq_printf(m, "Cpus_allowed:\t%x\n", mask);
	seq_printf(m, last ? "Cpus_allowed_list:\t0-%u\n" : "Cpus_allowed_list:\t%u\n", last);
	seq_puts(m, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
		   t->nr_switches, 0UL);
	return 0;
}

/* ---- /proc/PID/stat: Linux's 52 fields ---- */

static int show_stat(struct seq_file *m, struct task *t)
{
	struct mm_struct *mm = t->mm;
	unsigned long vsize = mm ? mm->total_vm << PAGE_SHIFT : 0, rss = mm ? get_mm_rss(mm) : 0;
	bool sleeping = t->state == TASK_SLEEPING;
	struct task_sigstate ss;
	unsigned tty_nr;
	int tpgid;

	task_signal_state(t->pid, &ss);
	tty_of_session(t->is_process ? t->sid : 0, &tty_nr, &tpgid);
	/* 1-9: pid (comm) state ppid pgrp session tty_nr tpgid flags */
	seq_printf(m, "%d (%s) %c %d %d %d %u %d %u", t->pid, t->name, state_letter(t), ppid_of(t),
		   t->pgid, t->sid, tty_nr, tpgid, mm ? 0u : PF_KTHREAD);
	/* 10-13: minflt cminflt majflt cmajflt (not counted per task);
	 * 14-17: utime stime cutime cstime in clock ticks (HZ = USER_HZ = 100) */
	seq_printf(m, " 0 0 0 0 %lu 0 %lu 0", t->ticks, t->cticks);
	/* 18-25: priority nice num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(m, " 20 0 1 0 0 %lu %lu %lu", vsize, rss, ~0UL);
	/* 26-30: startcode endcode startstack kstkesp kstkeip (0: not exiting) */
	seq_printf(m, " %lu %lu %lu 0 0", mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		   mm ? mm->start_stack : 0);
	/* 31-37: signal blocked sigignore sigcatch wchan nswap cnswap */
	/* Linux prints the low 31 bits of each mask here (the status file has all 64) */
	seq_printf(m, " %llu %llu %llu %llu %d 0 0", ss.pending & 0x7fffffffULL,
		   ss.blocked & 0x7fffffffULL, ss.ignored & 0x7fffffffULL, ss.caught & 0x7fffffffULL,
		   sleeping);
	/* 38-44: exit_signal processor rt_priority policy blkio_ticks gtime cgtime */
	seq_printf(m, " %d %u 0 0 0 0 0", t->is_process ? SIGCHLD : 0, t->cpu);
	/* 45-52: start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	if (mm)
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu 0\n", mm->start_data, mm->end_data,
			   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(m, " 0 0 0 0 0 0 0 0\n");
	return 0;
}

/* ---- /proc/PID/statm: size resident shared text lib data dt, in pages ---- */

static int show_statm(struct seq_file *m, struct task *t)
{
	struct mm_struct *mm = t->mm;
	struct vm_kinds k;

	if (!mm) {
		seq_puts(m, "0 0 0 0 0 0 0\n");
		return 0;
	}
	count_vm_kinds(mm, &k);
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm, get_mm_rss(mm),
		   get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_SHMEMPAGES),
		   text_pages(mm, &k), k.data + k.stack);
	return 0;
}

/* ---- /proc/PID/smaps_rollup: the process's memory added up over its regions ---- */

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous;
	u64 pss, pss_dirty, pss_anon, pss_file; /* bytes << PSS_SHIFT, as Linux */
};
#define PSS_SHIFT 12

/* One present PTE's page into mss (Linux's smaps_account): a page mapped by
 * n page tables adds 1/n of itself to the proportional set size. The zero
 * page is not resident memory of anyone (Linux skips it too). */
static void smaps_pte(struct mem_size_stats *mss, struct vm_area_struct *v, pte_t e)
{
	struct page *page = pfn_to_page(pte_pfn(e));
	int mapcount = page == ZERO_PAGE(0) ? 0 : page_mapcount(page);
	bool dirty = pte_dirty(e);
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

	if (mapcount <= 0)
		return;
	mss->resident += PAGE_SIZE;
	if (pte_young(e))
		mss->referenced += PAGE_SIZE;
	if (!v->vm_file)
		mss->anonymous += PAGE_SIZE;
	if (mapcount >= 2) {
		pss /= (u64)mapcount;
		if (dirty)
			mss->shared_dirty += PAGE_SIZE;
		else
			mss->shared_clean += PAGE_SIZE;
	} else if (dirty) {
		mss->private_dirty += PAGE_SIZE;
	} else {
		mss->private_clean += PAGE_SIZE;
	}
	mss->pss += pss;
	if (dirty)
		mss->pss_dirty += pss;
	if (v->vm_file)
		mss->pss_file += pss;
	else
		mss->pss_anon += pss;
}

static void smaps_vma(struct mem_size_stats *mss, struct mm_struct *mm, struct vm_area_struct *v)
{
	for (unsigned long a = v->vm_start; a < v->vm_end;) {
		pte_t *pte = user_pte_map(mm, a);
		if (!pte) { /* no PTE page: the rest of this 2 MB is not mapped */
			a = (a + PMD_SIZE) & ~(PMD_SIZE - 1);
			continue;
		}
		pte_t e = ptep_get(pte);
		pte_unmap(pte);
		if (pte_present(e))
			smaps_pte(mss, v, e);
		a += PAGE_SIZE;
	}
}

static void smaps_line(struct seq_file *m, const char *label, u64 bytes)
{
	seq_printf(m, "%-16s%8llu kB\n", label, (unsigned long long)(bytes >> 10));
}

/* Linux 6.1's show_smaps_rollup: a maps-style header from the first region's
 * start to the last one's end, named [rollup], then the sums. Huge pages,
 * swap, lazy-free and mlock do not exist here: 0. */
static int show_smaps_rollup(struct seq_file *m, struct task *t)
{
	struct mm_struct *mm = t->mm;
	struct mem_size_stats mss = { 0 };
	char head[64];

	if (!mm || !mm->map_count)
		return 0; /* Linux: a kernel thread's file is empty */
	for (int i = 0; i < mm->map_count; i++)
		smaps_vma(&mss, mm, mm->vmas[i]);
	int n = snprintf(head, sizeof(head), "%08lx-%08lx ---p 00000000 00:00 0",
			 mm->vmas[0]->vm_start, mm->vmas[mm->map_count - 1]->vm_end);
	/* the name column starts where maps puts it: the header padded to
	 * 25 + 6 * sizeof(void *) - 1 = 48 columns, then a space */
	seq_printf(m, "%s%*s[rollup]\n", head, n < 49 ? 49 - n : 1, " ");
	smaps_line(m, "Rss:", mss.resident);
	smaps_line(m, "Pss:", mss.pss >> PSS_SHIFT);
	smaps_line(m, "Pss_Dirty:", mss.pss_dirty >> PSS_SHIFT);
	smaps_line(m, "Pss_Anon:", mss.pss_anon >> PSS_SHIFT);
	smaps_line(m, "Pss_File:", mss.pss_file >> PSS_SHIFT);
	smaps_line(m, "Pss_Shmem:", 0);
	smaps_line(m, "Shared_Clean:", mss.shared_clean);
	smaps_line(m, "Shared_Dirty:", mss.shared_dirty);
	smaps_line(m, "Private_Clean:", mss.private_clean);
	smaps_line(m, "Private_Dirty:", mss.private_dirty);
	smaps_line(m, "Referenced:", mss.referenced);
	smaps_line(m, "Anonymous:", mss.anonymous);
	smaps_line(m, "LazyFree:", 0);
	smaps_line(m, "AnonHugePages:", 0);
	smaps_line(m, "ShmemPmdMapped:", 0);
	smaps_line(m, "FilePmdMapped:", 0);
	smaps_line(m, "Shared_Hugetlb:", 0);
	seq_printf(m, "Private_Hugetlb: %7u kB\n", 0u);
	smaps_line(m, "Swap:", 0);
	smaps_line(m, "SwapPss:", 0);
	smaps_line(m, "Locked:", 0);
	return 0;
}

/* ---- /proc/PID/cmdline: the argv strings, read through the page tables ---- */

/* Copy up to len bytes of mm's memory at addr into buf through its page
 * tables and kmap (Linux's access_process_vm, reading only, for pages that
 * are present: a missing page ends the copy), each page held by a
 * reference while it is read. Returns the bytes copied. */
static size_t read_process_vm(struct mm_struct *mm, unsigned long addr, char *buf, size_t len)
{
	size_t done = 0;

	while (done < len && addr < TASK_SIZE) {
		struct page *page = follow_page_get(mm, addr);
		if (!page)
			break;
		size_t off = addr & ~PAGE_MASK, n = PAGE_SIZE - off;
		if (n > len - done)
			n = len - done;
		char *p = kmap_local_page(page);
		memcpy(buf + done, p + off, n);
		kunmap_local(p);
		put_page(page);
		done += n;
		addr += n;
	}
	return done;
}

static int show_cmdline(struct seq_file *m, struct task *t)
{
	struct mm_struct *mm = t->mm;
	char buf[256];

	if (!mm || !mm->arg_start || mm->arg_end <= mm->arg_start)
		return 0; /* a kernel thread, or a program exec did not describe: empty */
	for (unsigned long a = mm->arg_start; a < mm->arg_end;) {
		size_t want = mm->arg_end - a < sizeof(buf) ? mm->arg_end - a : sizeof(buf);
		size_t got = read_process_vm(mm, a, buf, want);
		seq_write(m, buf, got);
		if (got < want)
			break;
		a += got;
	}
	return 0;
}

int proc_pid_files_init(void)
{
	static const struct {
		const char *name;
		int (*show)(struct seq_file *m, struct task *t);
	} files[] = {
		{ "maps", show_maps },	 { "status", show_status },   { "stat", show_stat },
		{ "statm", show_statm }, { "cmdline", show_cmdline }, { "smaps_rollup", show_smaps_rollup },
	};
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files) && !err; i++)
		err = proc_pid_register(files[i].name, files[i].show);
	if (!err)
		err = proc_pagemap_init(); /* kernel/proc_pagemap.c */
	if (!err)
		err = proc_oom_init(); /* kernel/proc_oom.c */
	return err;
}
