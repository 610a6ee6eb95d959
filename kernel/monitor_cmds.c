/* monitor_cmds.c - what the monitor can do. Everything a command prints is
 * a report: no timestamps, shown whatever the loglevel (printk_report_*). Each command validates its
 * arguments and says what was wrong; nothing typed here can crash the
 * kernel: pages are only freed if this monitor allocated them, and page
 * walks read page tables, never the addresses being asked about. */
#include "bench.h"
#include "bootinfo.h"
#include "e820.h"
#include "fault_inject.h"
#include "kstring.h"
#include "kstrto.h"
#include "ktest.h"
#include "machine.h"
#include "mm_init.h"
#include "mmzone.h"
#include "monitor.h"
#include "pkmap.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"

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

static int need_number(const char *cmd, const char *what, const char *arg, unsigned long *v)
{
	if (!arg) {
		printk("%s: missing %s (try `help`)\n", cmd, what);
		return -1;
	}
	if (!parse_number(arg, v)) {
		printk("%s: '%s' is not a number (decimal, or hex with 0x)\n", cmd, arg);
		return -1;
	}
	return 0;
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
		printk("page: pfn %#lx is beyond the last frame (max_pfn %#lx)\n", pfn, max_pfn);
		return -1;
	}
	dump_page(pfn_to_page(pfn), "monitor");
	return 0;
}

static int cmd_pagewalk(int argc, char **argv)
{
	unsigned long va;

	if (need_number("pagewalk", "VA", argc > 1 ? argv[1] : NULL, &va))
		return -1;
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
	struct page *p = alloc_pages(gfp, (unsigned)order);
	if (!p) {
		printk("alloc: no block of order %lu available\n", order);
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
static struct page *owned_page(const char *cmd, int argc, char **argv)
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

static int cmd_kmap(int argc, char **argv)
{
	struct page *p = owned_page("kmap", argc, argv);

	if (!p)
		return -1;
	void *va = kmap(p);
	printk("kmap pfn %#lx -> %p (%s)\n", page_to_pfn(p), va,
	       PageHighMem(p) ? "a pkmap slot" : "lowmem: its direct-map address, no slot");
	return 0;
}

static int cmd_kunmap(int argc, char **argv)
{
	struct page *p = owned_page("kunmap", argc, argv);

	if (!p)
		return -1;
	unsigned long reports = pkmap_stats.reports;
	kunmap(p); /* an unbalanced kunmap is reported by kunmap itself */
	if (pkmap_stats.reports != reports)
		return -1;
	printk("kunmap pfn %#lx done\n", page_to_pfn(p));
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

static int cmd_test(int argc, char **argv)
{
	char spec[128] = "";

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strlcpy(spec + strlen(spec), ",", sizeof(spec) - strlen(spec));
		strlcpy(spec + strlen(spec), argv[i], sizeof(spec) - strlen(spec));
	}
	printk_report_end(); /* tests check printk's normal, timestamped output */
	int failed = ktest_run(argc > 1 ? spec : "all");
	printk_report_begin();
	printk("%s\n", failed ? "some tests FAILED" : "all tests passed");
	return 0;
}

static int cmd_bench(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk("(figures are instruction counts only under QEMU -icount: use `make bench`)\n");
	bench_run_all();
	return 0;
}

static int cmd_threads(int argc, char **argv)
{
	(void)argc, (void)argv;
	show_tasks();
	return 0;
}

static int cmd_help(int argc, char **argv);

static int cmd_poweroff(int argc, char **argv) { (void)argc, (void)argv; machine_poweroff(); }
static int cmd_reboot(int argc, char **argv) { (void)argc, (void)argv; machine_reboot(); }

static const struct command {
	const char *name, *args, *help;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "help", "", "this list", cmd_help },
	{ "meminfo", "", "memory totals (/proc/meminfo)", cmd_report },
	{ "buddyinfo", "", "free blocks per zone and order (/proc/buddyinfo)", cmd_report },
	{ "zoneinfo", "", "zones: watermarks, sizes, per-CPU lists (/proc/zoneinfo)", cmd_report },
	{ "slabinfo", "", "slab caches (/proc/slabinfo)", cmd_report },
	{ "vmallocinfo", "", "vmalloc areas (/proc/vmallocinfo)", cmd_report },
	{ "layout", "", "the virtual kernel memory layout", cmd_report },
	{ "pkmap", "", "the pkmap window: each slot's count and page, the counters", cmd_report },
	{ "e820", "", "the memory map in use (after mem= and the CPU's limits)", cmd_report },
	{ "dmesg", "", "the kernel log since boot", cmd_dmesg },
	{ "page", "PFN", "the struct page of a frame, decoded", cmd_page },
	{ "pagewalk", "VA", "the PAE walk of a kernel address: PGD, PMD, PTE and frame", cmd_pagewalk },
	{ "alloc", "ORDER [high|dma]", "allocate 2^ORDER pages (Normal, HighMem or DMA first)", cmd_alloc },
	{ "free", "PFN ORDER", "free a block this monitor allocated", cmd_free },
	{ "kmap", "PFN", "kmap a page of a block this monitor allocated", cmd_kmap },
	{ "kunmap", "PFN", "kunmap it", cmd_kunmap },
	{ "cpus", "", "the CPUs and their features", cmd_report },
	{ "tlb", "", "TLB flush counters", cmd_report },
	{ "threads", "", "every task: pid, name, state, CPU, stack use", cmd_threads },
	{ "fault", "[page|slab SPEC | off]", "fault injection: show, arm (SPEC: interval,probability,space,times) or disarm", cmd_fault },
	{ "test", "[suite...]", "run self-tests (all, or the named suites)", cmd_test },
	{ "bench", "", "run the benchmarks (meaningful under make bench)", cmd_bench },
	{ "poweroff", "", "stop the machine (QEMU exits)", cmd_poweroff },
	{ "reboot", "", "reset the machine", cmd_reboot },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		printk("  %-12s %-17s %s\n", commands[i].name, commands[i].args, commands[i].help);
	printk("Numbers are decimal or 0x hex. Keys: backspace, Ctrl-U, Ctrl-C, up/down history.\n");
	return 0;
}

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p && argc < MAX_ARGS;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
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
		int r = commands[i].fn(argc, argv);
		printk_report_end();
		return r;
	}
	printk_report_begin();
	printk("unknown command '%s': type `help` for the list\n", argv[0]);
	printk_report_end();
	return -1;
}
