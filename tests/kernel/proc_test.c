/* proc_test.c - processes in ring 3, without files: small programs from
 * tests/kernel/user_progs.asm run in their own address space (pages from
 * HIGHMEM) and talk to the kernel only through int $0x80 and faults.
 *
 * Checked: system calls return to ring 3 with their result and every other
 * register intact; an unknown number is -ENOSYS; a bad pointer (kernel,
 * unmapped, running off a page) is -EFAULT, never an oops; every kernel
 * region (direct map, image text and data, a kernel stack, vmalloc, pkmap,
 * fixmap) is SIGSEGV to read, write or execute from ring 3 and unchanged
 * after; #GP and #UD are SIGSEGV and SIGILL; processes run on every CPU;
 * and after they exit, free pages and slab objects are back. */
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "ktest.h"
#include "mm_types.h"
#include "mmzone.h"
#include "process.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"

#define PROG(name) extern const u8 name[], name##_end[]
PROG(uprog_syscalls);
PROG(uprog_read);
PROG(uprog_write);
PROG(uprog_exec);
PROG(uprog_cli);
PROG(uprog_ud2);
PROG(uprog_spin);

static int user_thread(void *p) { return exec_user_image(p); }

/* Start a program as a new process on cpu (-1: any); *task gets it. */
static struct task *start_prog(struct user_image *img, const u8 *code, const u8 *end,
			       unsigned long arg, struct page *shared, int cpu)
{
	img->code = code;
	img->size = (size_t)(end - code);
	img->arg = arg;
	img->shared = shared;
	struct task *k = cpu < 0 ? kthread_create(user_thread, img, "uprog")
				 : kthread_create_on_cpu(user_thread, img, (unsigned)cpu, "uprog");
	if (k)
		wake_up_process(k);
	return k;
}

/* Run a program to its end: its wait4 status (or a negative errno from exec). */
static int run_prog(struct ktest *t, const u8 *code, const u8 *end, unsigned long arg,
		    struct page *shared)
{
	struct user_image img;
	struct task *k = start_prog(&img, code, end, arg, shared, -1);

	if (!k) {
		KTEST_FAIL(t, "no memory for a thread");
		return -ENOMEM;
	}
	return kthread_join(k);
}

static void test_syscalls(struct ktest *t)
{
	struct page *shared = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);

	KTEST_ASSERT_NOT_NULL(t, shared);
	struct user_image img;
	struct task *k = start_prog(&img, uprog_syscalls, uprog_syscalls_end, 0xfeedbeef, shared, -1);
	KTEST_ASSERT_NOT_NULL(t, k);
	int pid = k->pid;
	KTEST_EXPECT_EQ(t, kthread_join(k), W_EXITCODE(42, 0));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_EQ(t, r[0], pid);
	KTEST_EXPECT_EQ(t, (s32)r[1], -ENOSYS);
	KTEST_EXPECT_EQ(t, (s32)r[2], -ENOSYS);
	KTEST_EXPECT_EQ(t, (s32)r[3], -EFAULT); /* a kernel address */
	KTEST_EXPECT_EQ(t, (s32)r[4], -EFAULT); /* unmapped */
	KTEST_EXPECT_EQ(t, (s32)r[5], -EFAULT); /* runs off the page */
	KTEST_EXPECT_EQ(t, (s32)r[6], 0);
	KTEST_EXPECT_EQ(t, r[7], 0x12345678);
	KTEST_EXPECT_EQ(t, r[8], 0x9abcdef0);
	KTEST_EXPECT_EQ(t, r[9], 0xfeedbeef);
	const char *uts = (const char *)r + 256;
	KTEST_EXPECT_STREQ(t, uts, "Linux");
	KTEST_EXPECT_STREQ(t, uts + 2 * 65, "6.1.0-highland");
	KTEST_EXPECT_STREQ(t, uts + 4 * 65, "i686");
	kunmap_local(r);
	/* the process's mapping is gone; only ours is left */
	KTEST_EXPECT_EQ(t, page_mapcount(shared), 0);
	KTEST_EXPECT_EQ(t, page_count(shared), 1);
	__free_page(shared);
}

static int kstack_probe(struct ktest *t, const u8 *code, const u8 *end)
{
	volatile u32 local = 0x1234;
	int st = run_prog(t, code, end, (unsigned long)&local, NULL);

	KTEST_EXPECT_EQ(t, local, 0x1234);
	return st;
}

/* Ring 3 reads, writes and executes one address of each kernel region. */
static void test_kernel_regions_segv(struct ktest *t)
{
	u32 *vbuf = vmalloc(PAGE_SIZE);
	struct page *hp = alloc_page(GFP_HIGHUSER);

	KTEST_ASSERT_NOT_NULL(t, vbuf);
	if (!hp) {
		vfree(vbuf);
		KTEST_ASSERT_NOT_NULL(t, hp);
	}
	vbuf[0] = 0xabcd;
	u32 *pk = kmap(hp); /* a pkmap address (or the direct map for a lowmem page) */
	pk[0] = 0x600d;
	static u32 image_data = 0x1111;
	unsigned long fix = fix_to_virt(FIX_APIC_BASE);
	const struct { const char *name; unsigned long addr; } regions[] = {
		{ "direct map", PAGE_OFFSET + 0x1000 },
		{ "image text", (unsigned long)test_kernel_regions_segv },
		{ "image data", (unsigned long)&image_data },
		{ "vmalloc", (unsigned long)vbuf },
		{ "pkmap", (unsigned long)pk },
		{ "fixmap", fix },
		{ "top page", 0xfffff000UL },
	};
	const struct { const u8 *code, *end; } progs[] = {
		{ uprog_read, uprog_read_end },
		{ uprog_write, uprog_write_end },
		{ uprog_exec, uprog_exec_end },
	};
	for (unsigned r = 0; r < ARRAY_SIZE(regions); r++)
		for (unsigned p = 0; p < ARRAY_SIZE(progs); p++) {
			int st = run_prog(t, progs[p].code, progs[p].end, regions[r].addr, NULL);
			if (st != W_EXITCODE(0, SIGSEGV))
				KTEST_FAIL(t, "%s %#lx, program %u: status %#x, expected SIGSEGV",
					   regions[r].name, regions[r].addr, p, st);
		}
	KTEST_EXPECT_EQ(t, kstack_probe(t, uprog_read, uprog_read_end), W_EXITCODE(0, SIGSEGV));
	KTEST_EXPECT_EQ(t, kstack_probe(t, uprog_write, uprog_write_end), W_EXITCODE(0, SIGSEGV));
	KTEST_EXPECT_EQ(t, vbuf[0], 0xabcd);
	KTEST_EXPECT_EQ(t, pk[0], 0x600d);
	KTEST_EXPECT_EQ(t, image_data, 0x1111);
	kunmap(hp);
	__free_page(hp);
	vfree(vbuf);
}

static void test_user_traps(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_cli, uprog_cli_end, 0, NULL), W_EXITCODE(0, SIGSEGV));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_ud2, uprog_ud2_end, 0, NULL), W_EXITCODE(0, SIGILL));
	/* user addresses nothing maps: NULL, and just below the stack page */
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_read, uprog_read_end, 0, NULL), W_EXITCODE(0, SIGSEGV));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_write, uprog_write_end, USER_STACK_TOP - 2 * PAGE_SIZE, NULL),
			W_EXITCODE(0, SIGSEGV));
	/* the code page is read-only: writing it is a protection fault */
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_write, uprog_write_end, USER_IMAGE_BASE, NULL),
			W_EXITCODE(0, SIGSEGV));
	/* the stack page is not executable (NX) when the CPU has NX */
	int st = run_prog(t, uprog_exec, uprog_exec_end, USER_STACK_TOP - 64, NULL);
	if (__supported_pte_mask & _PAGE_NX)
		KTEST_EXPECT_EQ(t, st, W_EXITCODE(0, SIGSEGV));
}

/* Processes on every online CPU at once, each calling getpid in a loop
 * (timer preemption while in ring 3 and in system calls). */
static void test_every_cpu(struct ktest *t)
{
	enum { PER_CPU = 2 };
	struct user_image img[NR_CPUS * PER_CPU];
	struct task *k[NR_CPUS * PER_CPU];
	unsigned n = 0;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!sched_cpu_online(cpu))
			continue;
		for (int i = 0; i < PER_CPU; i++) {
			k[n] = start_prog(&img[n], uprog_spin, uprog_spin_end, 20000, NULL, (int)cpu);
			if (k[n])
				n++;
		}
	}
	KTEST_EXPECT_GE(t, n, PER_CPU);
	for (unsigned i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), W_EXITCODE(7, 0));
}

static void count_objs(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_info info;

	kmem_cache_get_info(s, &info);
	*(unsigned long *)arg += info.active_objs - info.cpu_cached;
}

static unsigned long slab_objects(void)
{
	unsigned long n = 0;

	kmem_cache_for_each(count_objs, &n);
	return n;
}

/* Everything a process took comes back when it ends: its user pages
 * (HIGHMEM), page tables, PGD, mm and thread. */
static void test_resources_back(struct ktest *t)
{
	run_prog(t, uprog_syscalls, uprog_syscalls_end, 0, NULL); /* warm the caches */
	unsigned long pages = nr_free_pages(), high = nr_free_highpages(), objs = slab_objects();
	for (int i = 0; i < 10; i++) {
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_read, uprog_read_end, 0, NULL),
				W_EXITCODE(0, SIGSEGV));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_spin, uprog_spin_end, 10, NULL), W_EXITCODE(7, 0));
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), pages);
	KTEST_EXPECT_EQ(t, nr_free_highpages(), high);
	KTEST_EXPECT_EQ(t, slab_objects(), objs);
}

static struct ktest_case proc_cases[] = {
	KTEST_CASE(test_syscalls),
	KTEST_CASE(test_kernel_regions_segv),
	KTEST_CASE(test_user_traps),
	KTEST_CASE(test_every_cpu),
	KTEST_CASE(test_resources_back),
	{ NULL, NULL },
};
KTEST_SUITE(proc, proc_cases);
