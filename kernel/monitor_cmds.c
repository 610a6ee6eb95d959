/* monitor_cmds.c - what the monitor can do. Everything a command prints is
 * a report: no timestamps, shown whatever the loglevel (printk_report_*). Each command validates its
 * arguments and says what was wrong; nothing typed here can crash the
 * kernel: pages are only freed if this monitor allocated them, and page
 * walks read page tables, never the addresses being asked about. */
#include "vmscan.h"
#include "bench.h"
#include "bootinfo.h"
#include "e820.h"
#include "fault_inject.h"
#include "kstring.h"
#include "kstrto.h"
#include "ktest.h"
#include "machine.h"
#include "memview.h"
#include "mm_init.h"
#include "ksyms.h"
#include "mmzone.h"
#include "monitor.h"
#include "monitor_internal.h"
#include "phys_describe.h"
#include "pkmap.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"
#include "watermark_explain.h"

#define MAX_ARGS 8

extern struct boot_info boot_info;

/* Blocks this monitor allocated with `alloc`: only these may be freed. */
static struct { unsigned long pfn; unsigned order; } owned[64];

/* Decimal or 0x hex, the whole word; false if it is not a number. The
 * command line's parser (kstrto.h): decimal unless 0x, leading zeros are
 * only zeros, too large is an error. */
static bool parse_number(const char *s, unsigned long *out)
{
	return s[0] != '+' && s[0] != '-' && kstrtoul(s, kstrto_base(s), out) == 0;
}

/* Is s spelled like a number (decimal, or 0x and hex digits)? Then a parse
 * failure means it is too large, not that it is not a number. */
static bool number_syntax(const char *s)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (hex)
		s += 2;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s >= '0' && *s <= '9') &&
		    !(hex && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f'))
			return false;
	return true;
}

/* parse_number with the reason for a refusal: 0, -EINVAL (not a number) or
 * -ERANGE (a number beyond unsigned long), each with its message. */
int monitor_number(const char *cmd, const char *arg, unsigned long *v)
{
	if (parse_number(arg, v))
		return 0;
	if (number_syntax(arg)) {
		printk("%s: '%s' is too large: the largest number is %#lx\n", cmd, arg, ~0UL);
		return -ERANGE;
	}
	printk("%s: '%s' is not a number (decimal, or hex with 0x)\n", cmd, arg);
	return -EINVAL;
}

int need_number(const char *cmd, const char *what, const char *arg, unsigned long *v)
{
	if (!arg) {
		printk("%s: missing %s (try `help`)\n", cmd, what);
		return -1;
	}
	return monitor_number(cmd, arg, v) ? -1 : 0;
}

static int cmd_report(int argc, char **argv)
{
	const char *c = argv[0];

	(void)argc;
	if (!strcmp(c, "meminfo")) show_meminfo();
	else if (!strcmp(c, "buddyinfo")) show_buddyinfo();
	else if (!strcmp(c, "zoneinfo")) show_zoneinfo();
	else if (!strcmp(c, "slabinfo")) show_slabinfo();
	else if (!strcmp(c, "vmallocinfo")) show_vmallocinfo();
	else if (!strcmp(c, "layout")) print_vm_layout(NULL);
	else if (!strcmp(c, "pkmap")) show_pkmap();
	else if (!strcmp(c, "e820")) e820_print(&boot_info.map, "e820");
	else if (!strcmp(c, "cpus")) machine_show_cpus();
	else if (!strcmp(c, "tlb")) machine_show_tlb();
	else if (!strcmp(c, "kswapd")) kswapd_show();
	return 0;
}

static int cmd_dmesg(int argc, char **argv)
{
	static char buf[4096];
	extern u32 log_head;
	extern const u32 log_buf_len;
	extern char log_buf[];
	u32 avail = log_head < log_buf_len ? log_head : log_buf_len;

	(void)argc, (void)argv;
	for (u32 done = 0; done < avail;) {
		u32 n = MIN(avail - done, (u32)sizeof(buf));
		for (u32 i = 0; i < n; i++)
			buf[i] = log_buf[(log_head - avail + done + i) & (log_buf_len - 1)];
		console_write(buf, n);
		done += n;
	}
	return 0;
}

static int cmd_page(int argc, char **argv)
{
	unsigned long pfn;

	if (need_number("page", "PFN", argc > 1 ? argv[1] : NULL, &pfn))
		return -1;
	if (pfn >= max_pfn) {
		printk("page: pfn %#lx is beyond the last frame (max_pfn %#lx): no struct page; "
		       "the address is %s\n", pfn, max_pfn,
		       phys_describe((phys_addr_t)pfn << PAGE_SHIFT));
		return -1;
	}
	struct page *p = pfn_to_page(pfn);
	dump_page(p, "monitor");
	if (PageHighMem(p))
		printk("virtual: none: HighMem, no permanent kernel address (kmap, kmap_local "
		       "or kmap_atomic it for a temporary one)%s\n",
		       pkmap_page_address(p) ? "; kmapped now, see `pkmap`" : "");
	else
		printk("virtual: %p (lowmem: the direct map, __va(pfn << 12))\n", page_address(p));
	return 0;
}

/* Data symbols worth a page walk (the embedded ksyms table has functions
 * only): the boot page tables and stack, the kernel's own tables. */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[], boot_pdpt[], boot_pmd[],
	boot_pt[], __bss_start[], _end[];
static const struct { const char *name; const void *addr; } data_syms[] = {
	{ "boot_stack_guard", boot_stack_guard }, { "boot_stack_bottom", boot_stack_bottom },
	{ "boot_stack_top", boot_stack_top }, { "boot_pdpt", boot_pdpt }, { "boot_pmd", boot_pmd },
	{ "boot_pt", boot_pt }, { "swapper_pg_dir", swapper_pg_dir },
	{ "__bss_start", __bss_start }, { "_end", _end },
};

/* A kernel symbol, optionally +offset: a function (ksyms) or data_syms[]. */
static bool symbol_address(const char *arg, unsigned long *va)
{
	char name[64];
	const char *plus = strchr(arg, '+');
	size_t len = plus ? (size_t)(plus - arg) : strlen(arg);
	unsigned long off = 0, a = 0;

	if (len == 0 || len >= sizeof(name) || (plus && !parse_number(plus + 1, &off)))
		return false;
	memcpy(name, arg, len);
	name[len] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(data_syms) && !a; i++)
		if (!strcmp(data_syms[i].name, name))
			a = (unsigned long)data_syms[i].addr;
	if (!a)
		a = ksym_address(name);
	if (!a)
		return false;
	*va = a + off;
	return true;
}

static int cmd_pagewalk(int argc, char **argv)
{
	unsigned long va;
	const char *arg = argc > 1 ? argv[1] : NULL;

	if (arg && (arg[0] < '0' || arg[0] > '9') && symbol_address(arg, &va)) {
		printk("%s = %#lx\n", arg, va);
	} else if (arg && (arg[0] < '0' || arg[0] > '9')) {
		printk("pagewalk: '%s' is neither a number nor a kernel symbol (functions, and "
		       "boot_stack_guard, boot_pdpt, boot_pmd, boot_pt, swapper_pg_dir...)\n", arg);
		return -1;
	} else if (need_number("pagewalk", "VA", arg, &va)) {
		return -1;
	}
	machine_show_pagewalk(va);
	return 0;
}

static int cmd_alloc(int argc, char **argv)
{
	unsigned long order;
	gfp_t gfp = GFP_KERNEL;
	unsigned slot;

	if (need_number("alloc", "ORDER", argc > 1 ? argv[1] : NULL, &order))
		return -1;
	if (argc > 2 && !strcmp(argv[2], "high"))
		gfp |= __GFP_HIGHMEM;
	else if (argc > 2 && !strcmp(argv[2], "dma"))
		gfp |= GFP_DMA;
	else if (argc > 2) {
		printk("alloc: zone '%s' unknown: use high or dma (or nothing for Normal)\n", argv[2]);
		return -1;
	}
	if (order >= MAX_ORDER) {
		printk("alloc: order %lu is too big: the largest is %d (4 MB)\n", order, MAX_ORDER - 1);
		return -1;
	}
	for (slot = 0; slot < ARRAY_SIZE(owned) && owned[slot].pfn; slot++)
		;
	if (slot == ARRAY_SIZE(owned)) {
		printk("alloc: this monitor already holds %u blocks: free some first\n", slot);
		return -1;
	}
	unsigned long injected = fail_page_alloc.injected;
	struct page *p = alloc_pages(gfp, (unsigned)order);
	if (!p) {
		printk("alloc: no block of order %lu available\n", order);
		if (fail_page_alloc.injected != injected)
			printk("why: fail_page_alloc failed it on purpose (`fault off` disarms it)\n");
		else
			explain_alloc_failure(gfp, (unsigned)order);
		return -1;
	}
	owned[slot].pfn = page_to_pfn(p);
	owned[slot].order = (unsigned)order;
	printk("allocated pfn %#lx order %lu (%lu pages) in zone %s%s\n", page_to_pfn(p), order,
	       1UL << order, page_zone(p)->name, PageHighMem(p) ? " (highmem)" : "");
	return 0;
}

static int cmd_free(int argc, char **argv)
{
	unsigned long pfn, order;

	if (need_number("free", "PFN", argc > 1 ? argv[1] : NULL, &pfn) ||
	    need_number("free", "ORDER", argc > 2 ? argv[2] : NULL, &order))
		return -1;
	for (unsigned i = 0; i < ARRAY_SIZE(owned); i++) {
		if (owned[i].pfn != pfn || !pfn)
			continue;
		if (owned[i].order != order) {
			printk("free: refused: pfn %#lx was allocated with order %u, not %lu\n", pfn,
			       owned[i].order, order);
			return -1;
		}
		struct page *p = pfn_to_page(pfn);
		__free_pages(p, (unsigned)order);
		if (page_count(p) != 0) { /* refused (the report above says why) */
			printk("free: the page allocator refused pfn %#lx: it stays allocated "
			       "(kunmap it first if it is kmapped)\n", pfn);
			return -1;
		}
		owned[i].pfn = 0;
		printk("freed pfn %#lx order %lu\n", pfn, order);
		return 0;
	}
	printk("free: refused: pfn %#lx was not allocated by this monitor's `alloc` "
	       "(freeing someone else's page would corrupt the allocator)\n", pfn);
	return -1;
}

/* kmap/kunmap only pages inside blocks this monitor allocated: a page
 * mapped from here must not be someone else's (they could not free it). */
struct page *owned_page(const char *cmd, int argc, char **argv)
{
	unsigned long pfn;

	if (need_number(cmd, "PFN", argc > 1 ? argv[1] : NULL, &pfn))
		return NULL;
	for (unsigned i = 0; i < ARRAY_SIZE(owned); i++)
		if (owned[i].pfn && pfn >= owned[i].pfn && pfn < owned[i].pfn + (1UL << owned[i].order))
			return pfn_to_page(pfn);
	printk("%s: refused: pfn %#lx is not in a block this monitor allocated (use `alloc` first)\n",
	       cmd, pfn);
	return NULL;
}

/* Optional COUNT (argv[2]) of consecutive pages from PFN, all inside one
 * block this monitor owns: 1 by default. */
static int page_count_arg(const char *cmd, int argc, char **argv, struct page *p, unsigned long *n)
{
	*n = 1;
	if (argc > 2 && need_number(cmd, "COUNT", argv[2], n))
		return -1;
	for (unsigned i = 0; i < ARRAY_SIZE(owned); i++) {
		unsigned long first = owned[i].pfn, end = first + (1UL << owned[i].order);
		if (first && page_to_pfn(p) >= first && page_to_pfn(p) < end) {
			if (*n == 0 || page_to_pfn(p) + *n > end) {
				printk("%s: refused: COUNT %lu: the block at pfn %#lx has %lu pages from "
				       "%#lx\n", cmd, *n, first, end - page_to_pfn(p), page_to_pfn(p));
				return -1;
			}
			return 0;
		}
	}
	return -1;
}

/* kmap sleeps when every slot is in use; the monitor must not (it is the
 * console: nobody could type the kunmap that would wake it). */
static void refuse_kmap_full(struct page *p)
{
	printk("kmap: refused: all %d pkmap slots are in use, so kmap(pfn %#lx) would sleep until "
	       "someone kunmaps one. A real caller would sleep there; the monitor will not, "
	       "because it is your console. The slots (`pkmap` lists them all):\n", LAST_PKMAP,
	       page_to_pfn(p));
	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (i == 4 && LAST_PKMAP > 6) {
			printk("  ... (%d more)\n", LAST_PKMAP - 6);
			i = LAST_PKMAP - 2;
		}
		printk("  slot %3u %#010lx count %d pfn %#lx\n", i, PKMAP_ADDR(i), pkmap_count[i],
		       page_to_pfn(kmap_to_page((void *)PKMAP_ADDR(i))));
	}
	printk("kunmap a page to free a slot.\n");
}

static int cmd_kmap(int argc, char **argv)
{
	struct page *p = owned_page("kmap", argc, argv);
	unsigned long n;

	if (!p || page_count_arg("kmap", argc, argv, p, &n))
		return -1;
	for (unsigned long i = 0; i < n; i++, p++) {
		void *va = kmap_try(p);
		if (!va) {
			refuse_kmap_full(p);
			return -1;
		}
		if (n > 1 && i != 0 && i != n - 1)
			continue;
		if (!PageHighMem(p))
			printk("kmap pfn %#lx -> %p (lowmem: its direct-map address, no slot)\n",
			       page_to_pfn(p), va);
		else
			printk("kmap pfn %#lx -> %p (pkmap slot %lu, count %d: %d user(s))\n",
			       page_to_pfn(p), va, PKMAP_NR(va), pkmap_count[PKMAP_NR(va)],
			       pkmap_count[PKMAP_NR(va)] - 1);
		if (n > 2 && i == 0)
			printk("...\n");
	}
	return 0;
}

static int cmd_kunmap(int argc, char **argv)
{
	struct page *p = owned_page("kunmap", argc, argv);
	unsigned long n;

	if (!p || page_count_arg("kunmap", argc, argv, p, &n))
		return -1;
	for (unsigned long i = 0; i < n; i++, p++) {
		void *va = pkmap_page_address(p);
		unsigned long reports = pkmap_stats.reports;
		kunmap(p); /* an unbalanced kunmap is reported by kunmap itself */
		if (pkmap_stats.reports != reports)
			return -1;
		if (n > 1 && i != 0 && i != n - 1)
			continue;
		if (!PageHighMem(p))
			printk("kunmap pfn %#lx: lowmem, nothing to undo\n", page_to_pfn(p));
		else if (pkmap_count[PKMAP_NR(va)] == 1)
			printk("kunmap pfn %#lx: slot %lu unused (count 1): the mapping stays cached "
			       "until the next flush\n", page_to_pfn(p), PKMAP_NR(va));
		else
			printk("kunmap pfn %#lx: slot %lu still has %d user(s)\n", page_to_pfn(p),
			       PKMAP_NR(va), pkmap_count[PKMAP_NR(va)] - 1);
		if (n > 2 && i == 0)
			printk("...\n");
	}
	return 0;
}

/* fault                       show both capabilities
 * fault page|slab SPEC        arm fail_page_alloc / failslab with <interval>,<probability>,<space>,<times>
 * fault off                   disarm both */
static int cmd_fault(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "off") == 0) {
		fault_attr_arm(&fail_page_alloc, false);
		fault_attr_arm(&failslab, false);
	} else if (argc == 3 && (strcmp(argv[1], "page") == 0 || strcmp(argv[1], "slab") == 0)) {
		struct fault_attr *a = argv[1][0] == 'p' ? &fail_page_alloc : &failslab;
		if (!setup_fault_attr(a, argv[2]))
			return -1;
		a->injected = 0;
		fault_attr_arm(a, true);
	} else if (argc != 1) {
		printk("fault: usage: fault | fault page|slab <interval>,<probability>,<space>,<times> "
		       "| fault off\n");
		return -1;
	}
	fault_inject_show();
	return 0;
}

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

static const struct ktest_suite *suite_named(const char *name)
{
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void list_suites(void)
{
	printk("test SUITE...   runs the named suites; `test all` runs every suite but the "
	       "harness self-checks (*). Ctrl-C stops a run between cases. Suites:\n");
	char line[80];
	size_t len = 0;
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		if (len + strlen(s->name) + 3 > 72) {
			printk("%s\n", line);
			len = 0;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s%s", s->name,
					s->explicit_only ? "*" : "");
	}
	if (len)
		printk("%s\n", line);
}

static int cmd_test(int argc, char **argv)
{
	char spec[128] = "";

	if (argc == 1) {
		list_suites();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "all") && argc != 2) {
			printk("test: `all` runs every suite: give it alone\n");
			return -1;
		}
		if (strcmp(argv[i], "all") && !suite_named(argv[i])) {
			printk("test: there is no suite named '%s' (`test` lists them)\n", argv[i]);
			return -1;
		}
		if (i > 1)
			strlcpy(spec + strlen(spec), ",", sizeof(spec) - strlen(spec));
		strlcpy(spec + strlen(spec), argv[i], sizeof(spec) - strlen(spec));
	}
	if (monitor_kmap_local_held()) {
		printk("test: refused: this monitor holds %d kmap_local mapping(s) on its slot "
		       "stack, which the kmap suites expect empty: `kunmap_local` first\n",
		       monitor_kmap_local_held());
		return -1;
	}
	printk_report_end(); /* tests check printk's normal, timestamped output */
	int failed = ktest_run(spec);
	printk_report_begin();
	if (monitor_interrupted())
		printk("interrupted (Ctrl-C): the cases after it were not run\n");
	else
		printk("%s\n", failed ? "some tests FAILED" : "all tests passed");
	return 0;
}

static int cmd_bench(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (monitor_kmap_local_held()) {
		printk("bench: refused: this monitor holds %d kmap_local mapping(s) on its slot stack, "
		       "which the kmap benchmarks need: `kunmap_local` first\n",
		       monitor_kmap_local_held());
		return -1;
	}
	printk("(figures are instruction counts only under QEMU -icount: use `make bench`)\n");
	bench_run_all();
	if (monitor_interrupted())
		printk("interrupted (Ctrl-C): the benchmarks after it were not run\n");
	return 0;
}

static int cmd_threads(int argc, char **argv)
{
	(void)argc, (void)argv;
	show_tasks();
	return 0;
}

static int cmd_help(int argc, char **argv);

/* Linux's last lines: tools/qemu-run tells a power-off from a test pass by them. */
static int cmd_poweroff(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk("reboot: Power down\n");
	machine_poweroff();
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk("reboot: Restarting system\n");
	machine_reboot();
}

int cmd_ps(int argc, char **argv);   /* kernel/monitor_proc.c */
int cmd_maps(int argc, char **argv);

/* max: the most words a command takes, its name included; more is refused. */
static const struct command {
	const char *name, *args, *help;
	int (*fn)(int argc, char **argv);
	int max;
} commands[] = {
	{ "help", "", "this list", cmd_help, 1 },
	{ "meminfo", "", "memory totals (/proc/meminfo)", cmd_report, 1 },
	{ "buddyinfo", "", "free blocks per zone and order (/proc/buddyinfo)", cmd_report, 1 },
	{ "zoneinfo", "", "zones: watermarks, sizes, per-CPU lists (/proc/zoneinfo)", cmd_report, 1 },
	{ "slabinfo", "", "slab caches (/proc/slabinfo)", cmd_report, 1 },
	{ "vmallocinfo", "", "vmalloc areas (/proc/vmallocinfo)", cmd_report, 1 },
	{ "layout", "", "the virtual kernel memory layout", cmd_report, 1 },
	{ "pkmap", "", "the pkmap window: each slot's count and page, the counters", cmd_report, 1 },
	{ "e820", "", "the memory map in use (after mem= and the CPU's limits)", cmd_report, 1 },
	{ "kswapd", "", "kswapd0's state; each zone's free pages against its watermarks", cmd_report, 1 },
	{ "dmesg", "", "the kernel log since boot", cmd_dmesg, 1 },
	{ "page", "PFN", "the struct page of a frame, decoded", cmd_page, 2 },
	{ "pagewalk", "VA|SYMBOL", "the PAE walk of a kernel address: PGD, PMD, PTE and frame", cmd_pagewalk, 2 },
	{ "alloc", "ORDER [high|dma]", "allocate 2^ORDER pages (Normal, HighMem or DMA first)", cmd_alloc, 3 },
	{ "free", "PFN ORDER", "free a block this monitor allocated", cmd_free, 3 },
	{ "fill", "ZONE min|low|high", "take a zone's free pages down to a watermark (`fill release`: back)", cmd_fill, 3 },
	{ "kmap", "PFN [COUNT]", "kmap pages of a block this monitor allocated (never sleeps here)", cmd_kmap, 3 },
	{ "kunmap", "PFN [COUNT]", "kunmap them", cmd_kunmap, 3 },
	{ "kmap_atomic", "PFN", "map a page in this CPU's fixmap slot, show it, unmap", cmd_kmap_atomic, 2 },
	{ "kmap_local", "PFN", "map a page for this task (held until kunmap_local)", cmd_kmap_local, 2 },
	{ "kunmap_local", "", "drop the newest kmap_local mapping", cmd_kunmap_local, 1 },
	{ "kmaps", "", "every CPU's kmap_atomic/kmap_local slot stack", cmd_kmaps, 1 },
	{ "kmalloc", "SIZE", "kmalloc(SIZE): which cache, which slab page", cmd_kmalloc, 2 },
	{ "kfree", "ADDR", "free what this monitor's kmalloc returned", cmd_kfree, 2 },
	{ "vmalloc", "SIZE", "vmalloc(SIZE): the area, and where each page came from", cmd_vmalloc, 2 },
	{ "vfree", "ADDR", "free what this monitor's vmalloc returned", cmd_vfree, 2 },
	{ "kvmalloc", "SIZE", "kvmalloc(SIZE): kmalloc or vmalloc, and why", cmd_kvmalloc, 2 },
	{ "kvfree", "ADDR", "free what this monitor's kvmalloc returned", cmd_kvfree, 2 },
	{ "cpus", "", "the CPUs and their features", cmd_report, 1 },
	{ "tlb", "", "TLB flush counters", cmd_report, 1 },
	{ "threads", "", "every task: pid, name, state, CPU, stack use", cmd_threads, 1 },
	{ "ps", "", "every process: pid, parent, state, CPU, size", cmd_ps, 1 },
	{ "maps", "PID", "a process's regions (/proc/PID/maps)", cmd_maps, 2 },
	{ "memsnap", "[PID]", "the memview snapshot: frames, kernel gigabyte, processes", cmd_memsnap, 2 },
	{ "spawn", "PATH [ARG]", "start a program of the initramfs as a process beside the monitor", cmd_spawn, 3 },
	{ "fault", "[page|slab SPEC|off]", "fault injection: show, arm (SPEC: interval,probability,space,times) or disarm", cmd_fault, 3 },
	{ "test", "[suite...|all]", "run self-tests (none: list the suites)", cmd_test, MAX_ARGS },
	{ "bench", "", "run the benchmarks (meaningful under make bench)", cmd_bench, 1 },
	{ "poweroff", "", "stop the machine (QEMU exits)", cmd_poweroff, 1 },
	{ "reboot", "", "reset the machine", cmd_reboot, 1 },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		printk("  %-12s %-19s %s\n", commands[i].name, commands[i].args, commands[i].help);
	printk("Numbers are decimal or 0x hex. Keys: backspace, Ctrl-U, Ctrl-C, up/down history.\n");
	return 0;
}

/* Words of line into argv; MAX_ARGS + 1 if there are more than MAX_ARGS. */
static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MAX_ARGS)
			return MAX_ARGS + 1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int monitor_exec(char *line)
{
	char *argv[MAX_ARGS];
	int argc = split(line, argv);

	if (!argc)
		return 0;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[0], commands[i].name))
			continue;
		printk_report_begin();
		if (argc > commands[i].max) {
			if (commands[i].max == 1)
				printk("%s: takes no arguments (refused: nothing was done)\n", argv[0]);
			else
				printk("%s: too many arguments, refused (usage: %s %s)\n", argv[0],
				       argv[0], commands[i].args);
			printk_report_end();
			return -1;
		}
		int r = commands[i].fn(argc, argv);
		printk_report_end();
		return r;
	}
	printk_report_begin();
	printk("unknown command '%s': type `help` for the list\n", argv[0]);
	printk_report_end();
	return -1;
}
