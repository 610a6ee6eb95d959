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
#include "mm_inline.h"
#include "highmem.h"
#include "ktest.h"
#include "mm_types.h"
#include "mmzone.h"
#include "process.h"
#include "sched.h"
#include "slab.h"
#include "traps.h"
#include "vmalloc.h"

#define PROG(name) extern const u8 name[], name##_end[]
PROG(uprog_syscalls);
PROG(uprog_read);
PROG(uprog_write);
PROG(uprog_exec);
PROG(uprog_cli);
PROG(uprog_ud2);
PROG(uprog_spin);
PROG(uprog_forktree);
PROG(uprog_cow);
PROG(uprog_mm);
PROG(uprog_stack);
PROG(uprog_bigmem);
PROG(uprog_killself);
PROG(uprog_misc);
PROG(uprog_tls);
PROG(uprog_fpu);

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

/* Run a program to its end: its wait4 status (or a negative errno from
 * exec). With fault injection on, a start that failed for an injected
 * failure (no thread, exec -ENOMEM) is tried again. */
static int run_prog(struct ktest *t, const u8 *code, const u8 *end, unsigned long arg,
		    struct page *shared)
{
	struct user_image img;

	(void)ktest_injected(t);
	for (int tries = 0;; tries++) {
		struct task *k = start_prog(&img, code, end, arg, shared, -1);
		int st = k ? kthread_join(k) : -ENOMEM;
		if (st != -ENOMEM || !ktest_injected(t) || tries >= KTEST_ALLOC_RETRIES)
			return st;
	}
}

static void test_syscalls(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_syscalls, uprog_syscalls_end, 0xfeedbeef, shared),
			W_EXITCODE(42, 0));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_GT(t, r[0], 1); /* its pid */
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
	u32 *vbuf;
	struct page *hp;

	KTEST_ALLOC_RETRY(t, vbuf, vmalloc(PAGE_SIZE));
	KTEST_ASSERT_ALLOC(t, vbuf);
	KTEST_ALLOC_RETRY(t, hp, alloc_page(GFP_HIGHUSER));
	if (!hp) {
		vfree(vbuf);
		KTEST_ALLOC_FAILED(t, "hp");
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
	/* user addresses nothing maps: NULL, and one far below the stack
	 * (which would have to grow beyond RLIMIT_STACK to reach it) */
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_read, uprog_read_end, 0, NULL), W_EXITCODE(0, SIGSEGV));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_write, uprog_write_end, 0x30000000, NULL),
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

	ktest_suspend_injection(t, "every start must succeed to put a process on each CPU");
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
	*(unsigned long *)arg += info.active_objs; /* per-CPU cached ones excluded */
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
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	ktest_suspend_injection(t, "exact free-page and slab figures");
	run_prog(t, uprog_cow, uprog_cow_end, 0, shared); /* warm the caches */
	/* slab pages count as free: objects freed on another CPU may sit in its
	 * per-CPU array while a new slab serves this one (the objects are equal) */
	lru_add_drain_all(); /* pages in LRU add batches are neither free nor the programs' */
	unsigned long pages = nr_free_pages() + slab_pages(), high = nr_free_highpages();
	unsigned long objs = slab_objects();
	for (int i = 0; i < 10; i++) {
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_read, uprog_read_end, 0, NULL),
				W_EXITCODE(0, SIGSEGV));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_spin, uprog_spin_end, 10, NULL), W_EXITCODE(7, 0));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_forktree, uprog_forktree_end, 2, NULL),
				W_EXITCODE(7, 0));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_cow, uprog_cow_end, 0, shared), W_EXITCODE(0, 0));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_mm, uprog_mm_end, 0, shared), W_EXITCODE(0, SIGSEGV));
		KTEST_EXPECT_EQ(t, run_prog(t, uprog_stack, uprog_stack_end, 256 << 10, NULL),
				W_EXITCODE(0, 0));
	}
	lru_add_drain_all();
	KTEST_EXPECT_EQ(t, nr_free_pages() + slab_pages(), pages);
	KTEST_EXPECT_EQ(t, nr_free_highpages(), high);
	KTEST_EXPECT_EQ(t, slab_objects(), objs);
	__free_page(shared);
}

/* Every process forks two children per level and reaps them: 15 processes
 * for 3 levels, spread over the CPUs. */
static void test_fork_tree(struct ktest *t)
{
	ktest_suspend_injection(t, "a fork refused for an injected failure changes the count");
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_forktree, uprog_forktree_end, 3, NULL),
			W_EXITCODE(15, 0));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_forktree, uprog_forktree_end, 0, NULL),
			W_EXITCODE(1, 0));
}

/* uprog_cow: the zero page, demand zero, copy on write after fork, reuse
 * of a page mapped once, wait4's status, -ECHILD, getppid. */
static void test_cow_fork(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	ktest_suspend_injection(t, "exact fault counts");
	unsigned long zero = nr_zero_page_faults, copies = nr_cow_copies, reuses = nr_cow_reuses;
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_cow, uprog_cow_end, 0, shared), W_EXITCODE(0, 0));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_GE(t, r[0], TASK_UNMAPPED_BASE);   /* mmap2's address */
	KTEST_EXPECT_EQ(t, r[1], 0);                    /* untouched memory reads 0 */
	KTEST_EXPECT_GT(t, r[2], 1);                    /* the child's pid */
	KTEST_EXPECT_EQ(t, r[3], W_EXITCODE(9, 0));     /* wait4's status */
	KTEST_EXPECT_EQ(t, r[4], r[2]);                 /* wait4 returned the pid */
	KTEST_EXPECT_EQ(t, r[5], 0x1111);               /* the child's write stayed its own */
	KTEST_EXPECT_EQ(t, r[6], 0x4444);
	KTEST_EXPECT_EQ(t, (s32)r[7], -ECHILD);
	KTEST_EXPECT_EQ(t, r[8], r[9]);                 /* the child's getppid = the parent */
	kunmap_local(r);
	/* the read of untouched memory: the zero page; the writes after it: copies
	 * of it (2), the child's write (1); the parent's last write: reused */
	KTEST_EXPECT_GE(t, nr_zero_page_faults - zero, 1);
	KTEST_EXPECT_GE(t, nr_cow_copies - copies, 2);
	KTEST_EXPECT_GE(t, nr_cow_reuses - reuses, 1);
	KTEST_EXPECT_EQ(t, page_mapcount(shared), 0);
	KTEST_EXPECT_EQ(t, page_count(shared), 1);
	__free_page(shared);
}

/* uprog_mm: brk grows the heap, mprotect and munmap split regions, a hole
 * is -ENOMEM, an unaligned munmap -EINVAL, a file mapping without files
 * -EBADF; the last write to a page made read-only is SIGSEGV. */
static void test_brk_mprotect_munmap(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	ktest_suspend_injection(t, "each step's exact result");
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_mm, uprog_mm_end, 0, shared), W_EXITCODE(0, SIGSEGV));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_EQ(t, r[0], USER_IMAGE_BASE + PAGE_SIZE); /* the initial brk */
	KTEST_EXPECT_EQ(t, r[1], r[0] + 3 * PAGE_SIZE + 100);
	KTEST_EXPECT_EQ(t, r[2], 0);
	KTEST_EXPECT_EQ(t, r[3], 0);
	KTEST_EXPECT_EQ(t, (s32)r[4], -ENOMEM);
	KTEST_EXPECT_EQ(t, (s32)r[5], -EINVAL);
	KTEST_EXPECT_EQ(t, (s32)r[6], -EBADF);
	KTEST_EXPECT_EQ(t, r[7], 5);
	KTEST_EXPECT_EQ(t, r[8], 7);
	KTEST_EXPECT_EQ(t, r[9], 1);
	kunmap_local(r);
	__free_page(shared);
}

/* The stack grows on demand to RLIMIT_STACK (8 MB) and no further. */
static void test_stack_growth(struct ktest *t)
{
	ktest_suspend_injection(t, "an injected failure would kill the process");
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_stack, uprog_stack_end, 1 << 20, NULL), W_EXITCODE(0, 0));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_stack, uprog_stack_end, (8 << 20) - 2 * PAGE_SIZE, NULL),
			W_EXITCODE(0, 0));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_stack, uprog_stack_end, 9 << 20, NULL),
			W_EXITCODE(0, SIGSEGV));
}

/* Demand zero at some scale: 64 MB written and read back per process,
 * two processes at once, from HIGHMEM. */
static void test_bigmem(struct ktest *t)
{
	ktest_suspend_injection(t, "an injected failure would kill the process");
	lru_add_drain_all();
	unsigned long high = nr_free_highpages(), faults = nr_anon_faults;
	struct user_image img[2];
	struct task *k[2];
	for (int i = 0; i < 2; i++)
		k[i] = start_prog(&img[i], uprog_bigmem, uprog_bigmem_end, 64, NULL, -1);
	for (int i = 0; i < 2; i++) {
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), W_EXITCODE(0, 0));
	}
	KTEST_EXPECT_GE(t, nr_anon_faults - faults, 2 * (64 << 20) / PAGE_SIZE);
	lru_add_drain_all(); /* the pages still in LRU add batches go now */
	KTEST_EXPECT_EQ(t, nr_free_highpages(), high); /* all given back */
}

/* kill: SIGKILL and SIGTERM end a process (status = the signal), SIGCHLD
 * is ignored by default. */
static void test_kill(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_killself, uprog_killself_end, SIGKILL, NULL),
			W_EXITCODE(0, SIGKILL));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_killself, uprog_killself_end, SIGTERM, NULL),
			W_EXITCODE(0, SIGTERM));
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_killself, uprog_killself_end, 17, shared),
			W_EXITCODE(3, 0));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_EQ(t, r[0], 0);
	kunmap_local(r);
	__free_page(shared);
}

/* uprog_misc: the monotonic clock advances across a 20 ms nanosleep, the
 * real-time clock is past 2020 (the RTC), an unknown clock is -EINVAL,
 * getrandom fills 16 bytes, RLIMIT_STACK is 8 MB, reboot checks its magic. */
static void test_time_random_limits(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_misc, uprog_misc_end, 0, shared), W_EXITCODE(0, 0));
	u32 *r = kmap_local_page(shared);
	u64 t0 = (u64)r[0] * 1000000000ULL + r[2], t1 = (u64)r[6] * 1000000000ULL + r[8];
	KTEST_EXPECT_EQ(t, r[4], 0);
	KTEST_EXPECT_EQ(t, r[5], 0);
	KTEST_EXPECT_GE(t, t1 - t0, 20000000ULL);
	KTEST_EXPECT_LT(t, r[8], 1000000000u);
	KTEST_EXPECT_EQ(t, r[12], 0);
	KTEST_EXPECT_GT(t, r[10], 1577836800u); /* after 2020-01-01 */
	KTEST_EXPECT_EQ(t, (s32)r[13], -EINVAL);
	KTEST_EXPECT_EQ(t, r[14], 16);
	KTEST_EXPECT_TRUE(t, r[16] | r[17] | r[18] | r[19]); /* 128 random bits are not all 0 */
	KTEST_EXPECT_EQ(t, r[15], 0);
	KTEST_EXPECT_EQ(t, r[20], 8 << 20);  /* rlim_cur, low word */
	KTEST_EXPECT_EQ(t, r[21], 0);
	KTEST_EXPECT_EQ(t, r[22], 0xffffffffu); /* rlim_max: infinity */
	KTEST_EXPECT_EQ(t, (s32)r[24], -EINVAL);
	kunmap_local(r);
	__free_page(shared);
}

/* uprog_tls: set_thread_area picks a TLS entry, %gs reaches the segment,
 * before and after 3000 system calls (and switches), in a fork child too;
 * an entry that is not a TLS one is -EINVAL. */
static void test_set_thread_area(struct ktest *t)
{
	struct page *shared;

	KTEST_ALLOC_RETRY(t, shared, alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO));
	KTEST_ASSERT_ALLOC(t, shared);
	ktest_suspend_injection(t, "the fork must succeed");
	KTEST_EXPECT_EQ(t, run_prog(t, uprog_tls, uprog_tls_end, 0, shared), W_EXITCODE(0, 0));
	u32 *r = kmap_local_page(shared);
	KTEST_EXPECT_EQ(t, r[0], 0);
	KTEST_EXPECT_EQ(t, r[1], GDT_ENTRY_TLS_MIN);
	KTEST_EXPECT_EQ(t, r[2], 0x7777);
	KTEST_EXPECT_EQ(t, r[3], 0x7777);
	KTEST_EXPECT_EQ(t, r[4], 0x7777);
	KTEST_EXPECT_EQ(t, (s32)r[5], -EINVAL);
	kunmap_local(r);
	__free_page(shared);
}

/* Four processes on one CPU keep their own x87 registers across the
 * switches between them (fxsave/fxrstor at every switch). */
static void test_fpu_per_process(struct ktest *t)
{
	struct user_image img[4];
	struct task *k[4];

	ktest_suspend_injection(t, "all four must start");
	for (int i = 0; i < 4; i++)
		k[i] = start_prog(&img[i], uprog_fpu, uprog_fpu_end, 11 * (i + 1), NULL, 0);
	for (int i = 0; i < 4; i++) {
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		KTEST_EXPECT_EQ(t, kthread_join(k[i]), W_EXITCODE(11 * (i + 1), 0));
	}
}

static struct ktest_case proc_cases[] = {
	KTEST_CASE(test_fpu_per_process),
	KTEST_CASE(test_set_thread_area),
	KTEST_CASE(test_time_random_limits),
	KTEST_CASE(test_fork_tree),
	KTEST_CASE(test_cow_fork),
	KTEST_CASE(test_brk_mprotect_munmap),
	KTEST_CASE(test_stack_growth),
	KTEST_CASE(test_bigmem),
	KTEST_CASE(test_kill),
	KTEST_CASE(test_syscalls),
	KTEST_CASE(test_kernel_regions_segv),
	KTEST_CASE(test_user_traps),
	KTEST_CASE(test_every_cpu),
	KTEST_CASE(test_resources_back),
	{ NULL, NULL },
};
KTEST_SUITE(proc, proc_cases);
