/* monitor_memview.c - the memview snapshot: every physical frame's owner,
 * the kernel's virtual gigabyte and the processes' pages, as one text
 * stream that tools/memview draws (the format: docs/memview.md).
 *
 * One writer, three readers: the monitor's `memsnap [PID]` prints it on the
 * serial console between "memsnap-begin" and "memsnap-end" (boots without
 * user space), /proc/highland/memsnap holds it for `cat`, and gdb's
 * hl-memsnap (tools/gdb/memsnap.py) writes the same format from a stopped
 * kernel. Physical memory goes as runs of frames with one owner, order and
 * zone, so 16 GB (4M frames) takes a few thousand lines, and the counts
 * stay exact. The machine keeps running while it is written, so the
 * counters are read and the frames walked with nothing allocated between
 * (the runs go to a list first), and on an idle machine they agree exactly.
 *
 * Also the monitor's `spawn PATH [ARG]`, which starts a program of the
 * initramfs as a process beside the monitor: how `make memview` gets
 * processes into a snapshot of a monitor boot.
 */
#include "e820.h"
#include "fs.h"
#include "highmem.h"
#include "ksyms.h"
#include "kstring.h"
#include "memblock.h"
#include "memview.h"
#include "mm_types.h"
#include "mmzone.h"
#include "monitor_internal.h"
#include "pkmap.h"
#include "printk.h"
#include "process.h"
#include "proc_fs.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"

extern char __boot_start[], _end[];

void memview_ctx_init(struct memview_ctx *c)
{
	*c = (struct memview_ctx){ 0 };
	for (unsigned i = 0; i < memblock.memory.cnt && c->nr_ram < MEMVIEW_MAX_RAM; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		c->ram[c->nr_ram].start = (unsigned long)PFN_UP(r->base);
		c->ram[c->nr_ram].end = (unsigned long)PFN_DOWN(r->base + r->size);
		c->nr_ram++;
	}
	c->image_start = PFN_DOWN((unsigned long)__boot_start);
	c->image_end = PFN_UP((unsigned long)_end - PAGE_OFFSET);
	c->memmap_start = PFN_DOWN(__pa(mem_map));
	c->memmap_end = PFN_UP(__pa(mem_map + max_pfn));
}

/* ---- part 1: physical memory ---- */

/* The counters the header prints, read just before the walk of the frames
 * (with nothing allocated between), so the snapshot's runs and its meminfo
 * describe the same moment of an idle machine. */
struct snap_counters {
	unsigned long total, free, high_total, high_free, zone_free[MAX_NR_ZONES];
};

static void read_counters(struct snap_counters *k)
{
	k->total = totalram_pages();
	k->free = nr_free_pages();
	k->high_total = totalhigh_pages();
	k->high_free = nr_free_highpages();
	for (int i = 0; i < MAX_NR_ZONES; i++)
		k->zone_free[i] = __atomic_load_n(&zones[i].free_pages, __ATOMIC_RELAXED);
}

static void snap_header(struct seq_file *m, const struct snap_counters *k)
{
	unsigned cpus = 0;

	for (unsigned c = 0; c < NR_CPUS; c++)
		cpus += sched_cpu_online(c);
	seq_printf(m, "machine max_pfn=%#lx max_low_pfn=%#lx page_offset=%#lx high_memory=%#lx "
		   "cpus=%u nr_cpus=%u page_size=%lu\n", max_pfn, max_low_pfn, PAGE_OFFSET,
		   high_memory, cpus, NR_CPUS, PAGE_SIZE);
	seq_printf(m, "meminfo MemTotal=%lu MemFree=%lu HighTotal=%lu HighFree=%lu\n", k->total,
		   k->free, k->high_total, k->high_free);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		seq_printf(m, "zone %s start=%#lx end=%#lx present=%lu managed=%lu free=%lu\n", z->name,
			   z->zone_start_pfn, zone_end_pfn(z), z->present_pages, z->managed_pages,
			   k->zone_free[i]);
	}
	seq_puts(m, "kinds");
	for (int k = 0; k < NR_PAGE_OWNER_KINDS; k++)
		seq_printf(m, " %s", page_owner_kind_names[k]);
	seq_putc(m, '\n');
}

static void print_run(struct seq_file *m, const struct memview_run *r)
{
	seq_printf(m, "run %#lx %lu %s %u %s\n", r->start, r->count, page_owner_kind_names[r->kind],
		   r->order, zones[r->zone].name);
}

/* The frames as runs into runs[cap], allocating nothing: the number of
 * runs, or 0 if cap was too small. */
static unsigned long walk_runs(const struct memview_ctx *c, struct memview_run *runs,
			       unsigned long cap)
{
	unsigned long n = 0, pfn = 0;

	while (pfn < max_pfn && n < cap) {
		memview_next_run(c, pfn, &runs[n]);
		pfn += runs[n++].count;
	}
	return pfn >= max_pfn ? n : 0;
}

static void snap_physical(struct seq_file *m, const struct memview_ctx *c,
			  const struct memview_run *runs, unsigned long nr)
{
	struct memview_run r;

	for (unsigned i = 0; i < c->nr_ram; i++)
		seq_printf(m, "ram %#lx %#lx\n", c->ram[i].start, c->ram[i].end);
	seq_printf(m, "image %#lx %#lx\nmem_map %#lx %#lx\n", c->image_start, c->image_end,
		   c->memmap_start, c->memmap_end);
	if (runs) {
		for (unsigned long i = 0; i < nr; i++)
			print_run(m, &runs[i]);
		return;
	}
	for (unsigned long pfn = 0; pfn < max_pfn; pfn += r.count) { /* no memory for the list */
		memview_next_run(c, pfn, &r);
		print_run(m, &r);
	}
}

/* ---- part 2: the kernel's gigabyte ---- */

static void snap_virtual(struct seq_file *m)
{
	seq_printf(m, "virt lowmem %#lx %#lx\n", PAGE_OFFSET, high_memory);
	seq_printf(m, "virt gap %#lx %#lx\n", high_memory, VMALLOC_START);
	seq_printf(m, "virt vmalloc %#lx %#lx\n", VMALLOC_START, VMALLOC_END);
	seq_printf(m, "virt guard %#lx %#lx\n", VMALLOC_END, PKMAP_BASE);
	seq_printf(m, "virt pkmap %#lx %#lx\n", PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP));
	seq_printf(m, "virt unused %#lx %#lx\n", PKMAP_ADDR(LAST_PKMAP), FIXADDR_START);
	seq_printf(m, "virt fixmap %#lx %#lx\n", FIXADDR_START, FIXADDR_TOP);
	seq_printf(m, "virt top %#lx %#lx\n", FIXADDR_TOP, 0UL);
	struct memview_vmap va;
	for (unsigned long next = 0; memview_vmap_next(&next, &va);)
		seq_printf(m, "vmap %#lx %#lx %u %s %pS\n", va.start, va.end, va.nr_pages,
			   va.flags & VM_ALLOC ? "vmalloc" : "vmap", va.caller);
	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		int count = __atomic_load_n(&pkmap_count[i], __ATOMIC_RELAXED);
		pte_t pte = ptep_get(virt_to_kpte(PKMAP_ADDR(i)));
		if (count || pte_present(pte))
			seq_printf(m, "pkmap %u %d %#lx\n", i, count,
				   pte_present(pte) ? (unsigned long)pte_pfn(pte) : ~0UL);
	}
	for (unsigned i = 0; i < __end_of_fixed_addresses; i++) {
		pte_t pte = ptep_get(virt_to_kpte(fix_to_virt(i)));
		int cpu = -1, slot = -1;
		const char *what = i == FIX_APIC_BASE ? "apic" : i == FIX_IO_APIC ? "ioapic" : "acpi";
		if (i >= FIX_KMAP_BEGIN) {
			what = "kmap";
			cpu = (int)(i - FIX_KMAP_BEGIN) / KM_MAX_IDX;
			slot = (int)(i - FIX_KMAP_BEGIN) % KM_MAX_IDX;
		}
		seq_printf(m, "fixmap %u %#lx %s %d %d %#llx\n", i, fix_to_virt(i), what, cpu, slot,
			   pte_present(pte) ? (unsigned long long)pte_pfn(pte) : ~0ULL);
	}
}

/* ---- part 3: processes ---- */

/* A page's state for the picture: where its frame is, or why there is none. */
static const char *page_state(u64 e)
{
	unsigned long pfn = (unsigned long)(e & PM_PFRAME_MASK);

	if (e & PM_SWAP)
		return "swap";
	if (!(e & PM_PRESENT))
		return "none";
	if (pfn < max_low_pfn)
		return "low";
	return pfn < (1UL << (32 - PAGE_SHIFT)) ? "high" : "high4g";
}

/* One run of a region's pages: same state and, when present, frames that
 * follow each other by a constant step of +1 or -1 (allocations of
 * consecutive faults often do), so a touched 64 MB region takes a few lines. */
struct page_run {
	unsigned long va, count, pfn;
	long step;
	const char *state;
};

static void emit_run(struct seq_file *m, const struct page_run *r)
{
	if (!r->count)
		return;
	if (!strcmp(r->state, "none") || !strcmp(r->state, "swap"))
		seq_printf(m, "pages %#lx %lu %s\n", r->va, r->count, r->state);
	else
		seq_printf(m, "pages %#lx %lu %s %#lx %ld\n", r->va, r->count, r->state, r->pfn, r->step);
}

/* Does page a (entry e) continue run r? */
static bool extends(struct page_run *r, const char *s, u64 e)
{
	long pfn = (long)(e & PM_PFRAME_MASK), next;

	if (!r->count || s != r->state)
		return false;
	if (!(e & PM_PRESENT))
		return true;
	if (r->count == 1 && (pfn == (long)r->pfn + 1 || pfn == (long)r->pfn - 1)) {
		r->step = pfn - (long)r->pfn;
		return true;
	}
	next = (long)r->pfn + r->step * (long)r->count;
	return r->count > 1 && pfn == next;
}

static void snap_vma(struct seq_file *m, struct mm_struct *mm, struct vm_area_struct *v)
{
	char line[128];
	size_t n = format_map_line(line, sizeof(line), mm, v);
	struct page_run r = { 0, 0, 0, 0, NULL };

	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	seq_printf(m, "vma %s\n", line);
	for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE) {
		u64 e = pagemap_entry(mm, a);
		const char *s = page_state(e);
		if (extends(&r, s, e)) {
			r.count++;
			continue;
		}
		emit_run(m, &r);
		r = (struct page_run){ a, 1, (unsigned long)(e & PM_PFRAME_MASK), 0, s };
	}
	emit_run(m, &r);
}

struct pid_list {
	int pids[64];
	unsigned n;
};

static void add_pid(struct task *t, void *arg)
{
	struct pid_list *l = arg;

	if (l->n < ARRAY_SIZE(l->pids))
		l->pids[l->n++] = t->pid;
}

static void snap_process(struct seq_file *m, int pid)
{
	struct task *t = get_task_snapshot(pid);

	if (!t)
		return;
	if (t->mm) {
		seq_printf(m, "task %d %s\n", t->pid, t->name);
		for (int i = 0; i < t->mm->map_count; i++)
			snap_vma(m, t->mm, t->mm->vmas[i]);
	}
	put_task_snapshot(t);
}

/* The whole snapshot into m; pid 0: every process, else that one (-ESRCH
 * if there is none). */
int memsnap_show(struct seq_file *m, int pid)
{
	struct pid_list pl = { { 0 }, 0 };
	struct snap_counters k;
	struct memview_run *runs = NULL;
	unsigned long nr = 0;
	bool partial = true;

	if (pid > 0 && !process_exists(pid))
		return -ESRCH;
	struct memview_ctx *c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	memview_ctx_init(c);
	/* Everything the walk needs is allocated first; then the counters and
	 * the walk, with no allocation between them (the runs are printed after). */
	for (unsigned long cap = 4096; cap <= (1UL << 22) && !nr; cap *= 4) {
		kvfree(runs);
		runs = kvmalloc(cap * sizeof(*runs), GFP_KERNEL);
		if (!runs)
			break;
		partial = memview_collect(c) != 0;
		read_counters(&k);
		nr = walk_runs(c, runs, cap);
	}
	if (!nr) {
		kvfree(runs);
		runs = NULL;
		partial = memview_collect(c) != 0;
		read_counters(&k);
	}
	seq_puts(m, "memsnap-begin v1\n");
	snap_header(m, &k);
	if (partial)
		seq_puts(m, "note vmalloc frames not told apart: no memory for their list\n");
	if (!runs)
		seq_puts(m, "note no memory for the list of runs: frames were read while printing\n");
	snap_physical(m, c, runs, nr);
	kvfree(runs);
	memview_release(c);
	kfree(c);
	snap_virtual(m);
	if (pid > 0) {
		snap_process(m, pid);
	} else {
		for_each_process(add_pid, &pl);
		for (unsigned i = 0; i < pl.n; i++)
			snap_process(m, pl.pids[i]);
	}
	seq_puts(m, "memsnap-end\n");
	return 0;
}

static int proc_memsnap_show(struct seq_file *m, void *data)
{
	(void)data;
	return memsnap_show(m, 0);
}

int memsnap_proc_init(void)
{
	return proc_create_single("highland/memsnap", proc_memsnap_show, NULL);
}

/* memsnap [PID]: the snapshot on the console. */
int cmd_memsnap(int argc, char **argv)
{
	unsigned long pid = 0;
	struct seq_file m;

	if (argc > 1 && monitor_number("memsnap", argv[1], &pid))
		return -1;
	if (argc > 1 && (pid == 0 || pid > 0x7fffffffUL || !process_exists((int)pid))) {
		printk("memsnap: no process %s (`ps` lists them; nothing was printed)\n", argv[1]);
		return -1;
	}
	seq_console_begin(&m);
	int err = memsnap_show(&m, (int)pid);
	seq_console_end(&m);
	return err ? -1 : 0;
}

/* ---- spawn: a user program beside the monitor ---- */

int console_open_fds(void); /* fs/devtmpfs.c (fs/internal.h) */

static struct {
	char path[128], arg[32];
} spawn_req;

/* The new kernel thread becomes a process running spawn_req's program
 * (kernel_execve), its fds on the console; returns only on failure. */
static int spawn_thread(void *unused)
{
	const char *argv[] = { spawn_req.path, spawn_req.arg[0] ? spawn_req.arg : NULL, NULL };
	static const char *const envp[] = { "PATH=/bin", NULL };
	int err = console_open_fds();

	if (!err)
		err = kernel_execve(argv[0], argv, envp);
	printk("spawn: %s did not start (error %d)\n", argv[0], err);
	return err;
}

/* spawn PATH [ARG]: start a program of the initramfs as a process while
 * the monitor keeps the console's input (the program should not read it):
 * what `make memview` uses to have processes in a monitor boot. */
int cmd_spawn(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] != '/' || strlen(argv[1]) >= sizeof(spawn_req.path) ||
	    (argc > 2 && strlen(argv[2]) >= sizeof(spawn_req.arg))) {
		printk("spawn: give the absolute path of a program (and at most one short "
		       "argument); nothing was started\n");
		return -1;
	}
	strlcpy(spawn_req.path, argv[1], sizeof(spawn_req.path));
	strlcpy(spawn_req.arg, argc > 2 ? argv[2] : "", sizeof(spawn_req.arg));
	struct task *t = kthread_create(spawn_thread, NULL, "spawn");
	if (!t) {
		printk("spawn: no memory for a thread; nothing was started\n");
		return -1;
	}
	wake_up_process(t);
	printk("spawn: %s started\n", argv[1]);
	return 0;
}
