/* main.c - start_kernel: from the boot stub's jump to an idle (or tested) kernel. */
#include "bench.h"
#include "ata.h"
#include "blkdev.h"
#include "bootinfo.h"
#include "cmdline.h"
#include "e820.h"
#include "fault_inject.h"
#include "fs.h"
#include "kstring.h"
#include "ktest.h"
#include "machine.h"
#include "mmzone.h"
#include "mm_types.h"
#include "monitor.h"
#include "panic.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "slab.h"
#include "swap.h"
#include "vmscan.h"
#include "vmalloc.h"

#define HIGHLAND_VERSION "0.1"

/* The boot loader's information, copied and parsed (also read by gdb). */
struct boot_info boot_info;

/* Recurse until the boot stack runs into its unmapped guard page (the
 * limit is only there to keep the compiler from calling this infinite). */
static unsigned overflow_stack(volatile unsigned depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth > 1000000)
		return 0;
	return overflow_stack(depth + 1) + pad[0];
}

static volatile u32 *volatile null_pointer; /* hidden from the compiler */

/* crash=panic|hang|triple|overflow|null|guard: deliberate failures that prove the test
 * harness (and the double-fault task) notice each way a run can go wrong. */
static void deliberate_crash(void)
{
	char how[16];

	if (cmdline_get_str("crash", how, sizeof(how)) < 0)
		return; /* absent, or too long to be one of these (said) */
	pr_info("crash=%s requested on the command line\n", how);
	if (strcmp(how, "panic") == 0)
		panic("deliberate panic requested by crash=panic");
	if (strcmp(how, "hang") == 0)
		for (;;)
			__asm__ volatile("cli; hlt");
	if (strcmp(how, "triple") == 0)
		machine_triple_fault();
	if (strcmp(how, "overflow") == 0)
		overflow_stack(0);
	if (strcmp(how, "null") == 0)
		pr_info("read from NULL: %u\n", *null_pointer);
	if (strcmp(how, "guard") == 0) {
		volatile u8 *buf = vmalloc(PAGE_SIZE);
		if (buf)
			buf[PAGE_SIZE] = 1; /* one byte past the end: the guard page */
	}
	pr_warn("crash=%s ignored: expected panic, hang, triple, overflow, null or guard\n", how);
}

/* Reports named on the command line (meminfo, buddyinfo, zoneinfo, slabinfo,
 * vmallocinfo), printed
 * once memory management is up. */
static void show_reports(void)
{
	if (cmdline_has("meminfo"))
		show_meminfo();
	if (cmdline_has("buddyinfo"))
		show_buddyinfo();
	if (cmdline_has("zoneinfo"))
		show_zoneinfo();
	if (cmdline_has("slabinfo"))
		show_slabinfo();
	if (cmdline_has("vmallocinfo"))
		show_vmallocinfo();
}

/* ktest=SPEC: run the suites and exit PASS or FAIL. The spec is as long as
 * the command line allows; a spec naming no suite, or running no test, fails. */
static void run_selftests(void)
{
	static char spec[CMDLINE_MAX];
	int err = cmdline_get_str("ktest", spec, sizeof(spec));

	if (err == -ENOENT)
		return;
	pr_info("ktest: running %s\n", spec);
	int failed = ktest_run(spec);
	if (failed == KTEST_NOTHING_RAN) {
		pr_err("ktest: ktest=%s ran no test: that is never a pass\n", spec);
		machine_exit(QEMU_EXIT_FAIL);
	}
	if (failed) {
		pr_err("ktest: %d suite(s) failed\n", failed);
		machine_exit(QEMU_EXIT_FAIL);
	}
	pr_info("ktest: all tests passed\n");
	machine_exit(QEMU_EXIT_PASS);
}

/* bench: the benchmarks, then (with ktest=) the self-tests, whose result is
 * the exit status; bench alone exits PASS after its figures. */
static void run_bench(void)
{
	if (!cmdline_has("bench"))
		return;
	bench_run_all();
	if (cmdline_has("ktest")) {
		pr_info("bench: done; now the self-tests asked for by ktest=\n");
		return;
	}
	machine_exit(QEMU_EXIT_PASS);
}

/* Try one init program: returns only if it cannot run (said). */
static void try_init(const char *path)
{
	static const char *envp[] = { "HOME=/", "TERM=linux", NULL };
	const char *argv[] = { path, NULL };

	pr_info("Run %s as init process\n", path);
	child_reaper = current;
	int err = kernel_execve(path, argv, envp);
	child_reaper = NULL;
	pr_err("Failed to execute %s (error %d)\n", path, err);
}

/* Linux's kernel_init: with an initramfs and no `monitor` on the command
 * line, this task (pid 1) becomes the first user process, with fds 0-2 on
 * /dev/console: rdinit= (default /init), else init=, else the usual paths. */
static void run_init(int initramfs)
{
	static char path[256];

	if (initramfs <= 0 || cmdline_has("monitor"))
		return;
	int err = console_setup_init_files();
	if (err)
		panic("cannot open the initial console (error %d)", err);
	try_init(cmdline_get_str("rdinit", path, sizeof(path)) >= 0 ? path : "/init");
	if (cmdline_get_str("init", path, sizeof(path)) >= 0)
		try_init(path);
	static const char *const fallback[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	for (unsigned i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++)
		try_init(fallback[i]);
	panic("No working init found.  Try passing init= option to kernel.");
}

void start_kernel(u32 magic, u32 info_pa)
{
	arch_early_setup();
	pr_info("Highland %s (i686, PAE) - a teaching kernel for HIGHMEM\n", HIGHLAND_VERSION);
	if (arch_read_boot_info(magic, info_pa, &boot_info) < 0)
		panic("cannot use the boot information (multiboot v%d at %#x): see the messages above",
		      magic == MB1_BOOTLOADER_MAGIC ? 1 : 2, info_pa);
	cmdline_set(bootinfo_kernel_args(&boot_info)); /* an over-long one: cut, said */
	printk_setup();
	bootinfo_print(&boot_info);
	int problems = e820_sanitize(&boot_info.map);
	if (problems) {
		pr_info("e820: the map had %d problem(s); sanitized map:\n", problems);
		e820_print(&boot_info.map, "sanitized");
	}
	cpu_detect();
	setup_arch_memory(&boot_info.map);
	sched_init(); /* from here on, this flow is the task "init" */
	arch_user_init(); /* syscalls, SMEP/SMAP: before the APs copy CR4 */
	if (!zero_page_init())
		panic("no memory for the zero page");
	arch_smp_init();
	gfp_allowed_mask = __GFP_BITS_MASK; /* the scheduler runs: allocations may sleep */
	kswapd_run(); /* background reclaim (mm/vmscan.c) */
	ata_init();          /* the IDE disks: sda, sdb (arch/x86/ata.c) */
	vfs_caches_init();   /* the root filesystem, devtmpfs on /dev, /proc ready to mount */
	int initramfs = populate_rootfs(); /* the boot loader's initramfs, if any */
	swap_boot_init();    /* /proc/swaps; swapon=/dev/sda (kernel/sys_swap.c) */
	if (ata_proc_init()) /* /proc/diskstats (arch/x86/ata.c) */
		pr_err("ata: cannot make /proc/diskstats\n");
	show_reports();

	deliberate_crash();
	fault_inject_arm(); /* boot is done: from here on allocations may fail on purpose */
	run_bench();
	if (initramfs > 0 && cmdline_has("ktest"))
		pr_info("ktest= given: the self-tests decide the exit status; init is not started\n");
	run_selftests();
	run_init(initramfs);
	pr_info("Highland is up (ktest=all on the command line runs the self-tests).\n");
	monitor_run();
}
