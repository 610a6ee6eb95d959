/* monitor_proc.c - the monitor's view of processes: `ps` (every live
 * process) and `maps PID` (its regions, one line each in the format of
 * Linux 6.1's /proc/PID/maps, fs/proc/task_mmu.c show_map_vma).
 *
 * Both read under tasklist_lock, which keeps a listed process from
 * finishing its exit (it leaves the list before its address space goes);
 * a process that is running may still change its regions meanwhile, so
 * `maps` is a snapshot for debugging, as the real file is. */
#include "kstring.h"
#include "kstrto.h"
#include "mm_types.h"
#include "printk.h"
#include "process.h"
#include "sched.h"

static void ps_line(struct task *t, void *arg)
{
	(void)arg;
	struct mm_struct *mm = t->mm;

	printk("  %5d %5d %-9s %3u %8lu %5d  %s\n", t->pid, t->parent ? t->parent->pid : 0,
	       task_state_name(t), t->cpu, mm ? mm->total_vm << (PAGE_SHIFT - 10) : 0,
	       mm ? mm->map_count : 0, t->name);
}

int cmd_ps(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk("    PID  PPID STATE     CPU  VSZ(kB)  MAPS  COMMAND\n");
	for_each_process(ps_line, NULL);
	return 0;
}

/* One /proc/PID/maps line for v into buf (Linux's layout: the fields,
 * then, for a named region, spaces to column 49 and the name). */
size_t format_map_line(char *buf, size_t size, struct mm_struct *mm, struct vm_area_struct *v)
{
	unsigned long f = v->vm_flags;
	const char *name = NULL;
	int n = snprintf(buf, size, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", v->vm_start,
			 v->vm_end, f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
			 f & VM_EXEC ? 'x' : '-', f & VM_SHARED ? 's' : 'p',
			 v->vm_file ? (unsigned long long)v->vm_pgoff << PAGE_SHIFT : 0ULL, 0, 0, 0UL);

	if (v->vm_start <= mm->brk && v->vm_end >= mm->start_brk && mm->start_brk)
		name = "[heap]";
	else if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		name = "[stack]";
	if (name && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%*s%s", n < 48 ? 48 - n + 1 : 1, "", name);
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "\n");
	return n < 0 ? 0 : (size_t)n;
}

struct maps_arg {
	int pid;
	bool found;
};

static void maps_of(struct task *t, void *arg)
{
	struct maps_arg *a = arg;
	char line[128];

	if (t->pid != a->pid || !t->mm)
		return;
	a->found = true;
	for (int i = 0; i < t->mm->map_count; i++) {
		format_map_line(line, sizeof(line), t->mm, t->mm->vmas[i]);
		printk("%s", line);
	}
}

int cmd_maps(int argc, char **argv)
{
	struct maps_arg a = { 0, false };
	long pid;

	if (argc < 2 || kstrtol(argv[1], 0, &pid) || pid <= 0) {
		printk("maps: give the PID of a process (`ps` lists them)\n");
		return -1;
	}
	a.pid = (int)pid;
	for_each_process(maps_of, &a);
	if (!a.found) {
		printk("maps: no process %ld (`ps` lists them)\n", pid);
		return -1;
	}
	return 0;
}
