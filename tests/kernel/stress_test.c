/* stress_test.c - the allocators and the scheduler with every CPU busy at
 * once: a thread per online CPU runs a random mix (a fixed seed per CPU,
 * so a failure repeats) of page allocations of random orders and zones,
 * frees, kmap_atomic checks of what it holds, kmalloc/kfree (some objects
 * freed by another CPU, through a shared pool) and vmalloc/vfree; every
 * block carries a pattern, checked before it is freed. At the end the free
 * lists must be consistent and every page, slab object, vmalloc kilobyte
 * and pkmap slot back. A second case passes
 * tokens between threads on different CPUs through wait queues.
 *
 * Every stress_check=N operations (default 500) the threads meet at a
 * barrier and, with every CPU quiet, the first one runs the invariant
 * checkers: the free lists and per-CPU lists (check_free_areas), every slab
 * cache (slab_check_all) and the vmalloc trees (vmalloc_check).
 *
 * `make stress` runs the first case long: stress_ops=N on the command line
 * sets the operations per CPU (default 3000, for make test) and
 * stress_seed=S the seed (printed, so any run can be repeated).
 *
 * Under fault injection (fail_page_alloc=, failslab=) allocations fail at
 * random: every failure is handled (counted), and the leak check at the
 * end is as exact as ever. */
#include "cmdline.h"
#include "fault_inject.h"
#include "highmem.h"
#include "ktest.h"
#include "printk.h"
#include "mmzone.h"
#include "sched_test_util.h"
#include "slab.h"
#include "vmalloc.h"

static unsigned long OPS = 3000; /* per CPU; stress_ops= */
static unsigned long CHECK_EVERY = 500; /* operations between invariant checks; stress_check= */
static u32 stress_seed = 0x9e3779b9u; /* stress_seed= */
enum { SLOTS = 24, MAX_STRESS_ORDER = 4, OBJS = 8, VMS = 3, POOL = 32 };

struct object {
	u8 *p;
	size_t size;
};

struct block {
	struct page *page;
	unsigned order;
	u32 tag;
};

struct stress {
	u32 rng;
	bool leader; /* runs the invariant checks */
	unsigned long ops, allocs, failed, frees, kmap_checks, bad, kmallocs, vmallocs, kmaps;
	struct block held[SLOTS];
	struct object obj[OBJS];
	struct object vm[VMS];
};

static const gfp_t stress_gfp[] = { GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER, GFP_DMA };

static u32 rnd(struct stress *s) /* xorshift32 */
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return s->rng;
}

/* Every 64th word of a page: tag ^ page index ^ word index. */
static unsigned page_pattern(struct page *p, u32 tag, bool write)
{
	u32 *va = kmap_atomic(p);
	unsigned bad = 0;

	for (u32 i = 0; i < 1024; i += 64) {
		if (write)
			va[i] = tag ^ i;
		else
			bad += va[i] != (tag ^ i);
	}
	kunmap_atomic(va);
	return bad;
}

static unsigned block_pattern(struct block *b, bool write)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < (1u << b->order); i++)
		bad += page_pattern(b->page + i, b->tag + i * 0x10000, write);
	return bad;
}

static void do_alloc(struct stress *s, struct block *b)
{
	gfp_t gfp = stress_gfp[rnd(s) % ARRAY_SIZE(stress_gfp)] | __GFP_NOWARN;
	unsigned order = rnd(s) % 8 ? rnd(s) % 2 : rnd(s) % (MAX_STRESS_ORDER + 1);

	b->page = alloc_pages(gfp, order);
	if (!b->page) {
		s->failed++;
		return;
	}
	b->order = order;
	b->tag = rnd(s);
	block_pattern(b, true);
	s->allocs++;
}

static void do_free(struct stress *s, struct block *b)
{
	s->bad += block_pattern(b, false);
	__free_pages(b->page, b->order);
	b->page = NULL;
	s->frees++;
}

/* Two blocks mapped at once (nested kmap_atomic), each page checked. */
static void do_kmap_check(struct stress *s)
{
	struct block *a = &s->held[rnd(s) % SLOTS], *b = &s->held[rnd(s) % SLOTS];

	if (!a->page || !b->page || a == b)
		return;
	u32 *va = kmap_atomic(a->page), *vb = kmap_atomic(b->page);
	s->bad += va[64] != (a->tag ^ 64) || vb[128] != (b->tag ^ 128);
	kunmap_atomic(vb);
	kunmap_atomic(va);
	s->kmap_checks++;
}

/* kmap (which may sleep) and kmap_local of a held block, contents checked
 * through both: the persistent and the per-task mappings under load. */
static void do_kmap_persistent(struct stress *s)
{
	struct block *a = &s->held[rnd(s) % SLOTS];

	if (!a->page)
		return;
	u32 *vp = kmap(a->page);
	u32 *vl = kmap_local_page(a->page);
	s->bad += vp[64] != (a->tag ^ 64) || vl[64] != vp[64];
	if (rnd(s) % 4 == 0)
		yield(); /* switch away while both mappings are live */
	s->bad += vl[128] != (a->tag ^ 128);
	kunmap_local(vl);
	kunmap(a->page);
	s->kmaps++;
}

/* An object's bytes all equal the low byte of its size: checked at three
 * places when freed. */
static bool object_ok(const struct object *o)
{
	u8 v = (u8)o->size;

	return o->p[0] == v && o->p[o->size / 2] == v && o->p[o->size - 1] == v;
}

/* Objects on their way from one CPU's thread to another's, to be freed
 * there: remote frees are the per-CPU caches' hard case. */
static struct object pool[POOL];
static DEFINE_SPINLOCK(pool_lock);

/* Put o in the pool, or (o empty) take one out: returns what was displaced. */
static struct object pool_swap(struct stress *s, struct object o)
{
	unsigned long f = spin_lock_irqsave(&pool_lock);
	struct object *slot = &pool[rnd(s) % POOL];
	struct object out = *slot;

	*slot = o;
	spin_unlock_irqrestore(&pool_lock, f);
	return out;
}

static void toggle_object(struct stress *s, struct object *o)
{
	if (o->p) {
		s->bad += !object_ok(o);
		if (rnd(s) % 2)
			*o = pool_swap(s, *o); /* someone else frees it, maybe */
		if (o->p)
			kfree(o->p);
		o->p = NULL;
		return;
	}
	o->size = rnd(s) % 8 ? 8 + rnd(s) % 2048 : 8 + rnd(s) % 20000; /* some large ones */
	o->p = kmalloc(o->size, (rnd(s) % 2 ? GFP_KERNEL : GFP_ATOMIC) | __GFP_NOWARN);
	if (!o->p) {
		s->failed++;
		return;
	}
	memset(o->p, (u8)o->size, o->size);
	s->kmallocs++;
}

/* A vmalloc area of size pages: each page's first word and the last word. */
static void toggle_vmalloc(struct stress *s, struct object *v)
{
	u32 *w;

	if (v->p) {
		for (size_t i = 0; i < v->size; i++)
			s->bad += *(u32 *)(v->p + i * PAGE_SIZE) != (u32)(v->size ^ i);
		w = (u32 *)(v->p + v->size * PAGE_SIZE) - 1;
		s->bad += *w != 0x5eed;
		vfree(v->p);
		v->p = NULL;
		return;
	}
	v->size = 1 + rnd(s) % 8;
	v->p = vmalloc(v->size * PAGE_SIZE);
	if (!v->p) {
		s->failed++;
		return;
	}
	for (size_t i = 0; i < v->size; i++)
		*(u32 *)(v->p + i * PAGE_SIZE) = (u32)(v->size ^ i);
	w = (u32 *)(v->p + v->size * PAGE_SIZE) - 1;
	*w = 0x5eed;
	s->vmallocs++;
}

static void one_op(struct stress *s)
{
	unsigned r = rnd(s) % 20;
	struct block *b = &s->held[rnd(s) % SLOTS];

	if (r < 7 && !b->page)
		do_alloc(s, b);
	else if (r < 12 && b->page)
		do_free(s, b);
	else if (r < 14)
		do_kmap_check(s);
	else if (r < 15)
		do_kmap_persistent(s);
	else if (r < 18)
		toggle_object(s, &s->obj[rnd(s) % OBJS]);
	else if (r < 19)
		toggle_vmalloc(s, &s->vm[rnd(s) % VMS]);
	else if (s->ops % 64 == 0)
		msleep(1);
	else
		yield();
}

/* ---- invariant checks with every stress thread stopped ---- */

static struct {
	unsigned n;                 /* threads taking part */
	unsigned arrived, gen;
} barrier;
static unsigned long checks_run;
static int check_problems;
static volatile bool stress_abort; /* a thread could not be created: run nothing */

/* Wait until all n threads have arrived (yielding: others may need this
 * CPU). A thread arrives only between operations, holding no lock and no
 * kmap, so none of them can be waiting for another. */
static void barrier_wait(void)
{
	unsigned gen = __atomic_load_n(&barrier.gen, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&barrier.arrived, 1, __ATOMIC_ACQ_REL) == barrier.n) {
		__atomic_store_n(&barrier.arrived, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&barrier.gen, 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&barrier.gen, __ATOMIC_ACQUIRE) == gen)
		yield();
}

/* Everyone stops; the leader checks the allocators' structures (other
 * CPUs' per-CPU lists included: nobody is touching them); everyone goes on. */
static void checkpoint(struct stress *s)
{
	barrier_wait();
	if (s->leader) {
		int n = check_free_areas() + slab_check_all() + vmalloc_check();
		if (n)
			pr_err("stress: %d invariant problem(s) after %lu operations per CPU\n", n,
			       s->ops);
		check_problems += n;
		checks_run++;
	}
	s->bad += kmap_atomic_depth() != 0; /* between operations nothing is mapped */
	barrier_wait();
}

static int stress_thread(void *arg)
{
	struct stress *s = arg;

	for (s->ops = 0; s->ops < OPS && !stress_abort; s->ops++) {
		if (s->ops % CHECK_EVERY == 0)
			checkpoint(s);
		one_op(s);
	}
	for (int i = 0; i < SLOTS; i++)
		if (s->held[i].page)
			do_free(s, &s->held[i]);
	for (int i = 0; i < OBJS; i++)
		if (s->obj[i].p) {
			s->bad += !object_ok(&s->obj[i]);
			kfree(s->obj[i].p);
		}
	for (int i = 0; i < VMS; i++)
		if (s->vm[i].p)
			toggle_vmalloc(s, &s->vm[i]);
	return 0;
}

/* Pages move between the buddy lists and the slab caches (which keep
 * empty slabs and per-CPU objects): their sum is what must come back. */
static unsigned long pages_not_in_use(void)
{
	return nr_free_pages() + slab_pages();
}

static void add_active(struct kmem_cache *c, void *arg)
{
	struct kmem_cache_info info;

	kmem_cache_get_info(c, &info);
	*(unsigned long *)arg += info.active_objs - info.quarantined;
}

/* Slab objects handed out and not freed, over every cache (objects in
 * per-CPU arrays are free ones): a leaked kmalloc shows here even when no
 * page changes hands. */
static unsigned long slab_objects_in_use(void)
{
	unsigned long n = 0;

	vm_unmap_aliases();    /* lazily freed vmalloc areas keep their nodes until the purge */
	vmalloc_drop_spares(); /* and spare nodes wait for the next area */
	kmem_cache_for_each(add_active, &n);
	return n;
}

static void drain_pool(struct ktest *t)
{
	for (int i = 0; i < POOL; i++) {
		if (!pool[i].p)
			continue;
		KTEST_EXPECT_TRUE(t, object_ok(&pool[i]));
		kfree(pool[i].p);
		pool[i].p = NULL;
	}
}

/* stress_ops=, stress_seed= (any u32, e.g. the 0x9e3779b9 printed below) and
 * stress_check=: a value that is not what it must be fails the case with the
 * reason - a run with other parameters than asked for is no evidence. */
static bool stress_parameters(struct ktest *t)
{
	unsigned int v;
	int err;

	if ((err = cmdline_get_uint("stress_ops", &v)) == 0 && v == 0)
		err = -ERANGE;
	if (err != -ENOENT && !err)
		OPS = v;
	else if (err != -ENOENT)
		KTEST_FAIL(t, "stress_ops= must be a number of operations >= 1");
	if ((err = cmdline_get_uint("stress_seed", &v)) == 0)
		stress_seed = v;
	else if (err != -ENOENT)
		KTEST_FAIL(t, "stress_seed= must be a 32-bit number (decimal or 0x hex)");
	if ((err = cmdline_get_uint("stress_check", &v)) == 0 && v == 0)
		err = -ERANGE;
	if (err != -ENOENT && !err)
		CHECK_EVERY = v;
	else if (err != -ENOENT)
		KTEST_FAIL(t, "stress_check= must be a number of operations >= 1");
	return !t->failed;
}

static void test_alloc_free_kmap_on_every_cpu(struct ktest *t)
{
	static struct stress st[NR_CPUS];
	struct task *th[NR_CPUS] = { NULL };

	if (!stress_parameters(t))
		return;
	pr_info("stress: %lu operations per CPU, seed %#x, invariants checked every %lu "
		"(stress_ops=, stress_seed=, stress_check= repeat it)\n", OPS, stress_seed,
		CHECK_EVERY);
	kmap_flush_unused();
	drain_all_pages();
	unsigned long free_before = pages_not_in_use();
	unsigned long vmalloc_kb = vmalloc_used_kb();
	unsigned long objects_before = slab_objects_in_use();
	unsigned long injected_before = fault_injected_total();
	bool created_all = true;
	barrier.n = barrier.arrived = 0;
	checks_run = 0;
	check_problems = 0;
	stress_abort = false;
	for (unsigned c = 0; c < NR_CPUS && created_all; c++) {
		if (!sched_cpu_online(c))
			continue;
		memset(&st[c], 0, sizeof(st[c]));
		st[c].rng = stress_seed * (c + 1) | 1; /* xorshift needs a non-zero state */
		st[c].leader = barrier.n == 0;
		th[c] = kthread_create_on_cpu(stress_thread, &st[c], c, "stress/%u", c);
		created_all = th[c] != NULL;
		barrier.n += created_all;
	}
	stress_abort = !created_all; /* the threads made so far exit at once */
	for (unsigned c = 0; c < NR_CPUS; c++) /* all at once */
		if (th[c])
			wake_up_process(th[c]);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!th[c])
			continue;
		kthread_join(th[c]);
		if (stress_abort)
			continue;
		pr_info("stress: CPU %u: %lu page blocks (%lu failed), %lu kmap_atomic checks, "
			"%lu kmap+kmap_local, %lu kmalloc, %lu vmalloc\n", c, st[c].allocs,
			st[c].failed, st[c].kmap_checks, st[c].kmaps, st[c].kmallocs, st[c].vmallocs);
		KTEST_EXPECT_EQ(t, st[c].ops, OPS);
		KTEST_EXPECT_EQ(t, st[c].bad, 0);
		KTEST_EXPECT_EQ(t, st[c].frees, st[c].allocs);
		KTEST_EXPECT_GT(t, st[c].kmap_checks + st[c].kmaps, 0);
		/* It really allocated - or, with failures injected, really tried. */
		KTEST_EXPECT_GT(t, st[c].allocs + st[c].failed, OPS / 10);
		if (fault_injected_total() == injected_before) {
			KTEST_EXPECT_GT(t, st[c].allocs, OPS / 10);
			KTEST_EXPECT_GT(t, st[c].kmap_checks, 0);
			KTEST_EXPECT_GT(t, st[c].kmallocs, 0);
			KTEST_EXPECT_GT(t, st[c].vmallocs, 0);
		}
	}
	if (stress_abort)
		KTEST_ALLOC_FAILED(t, "kthread_create_on_cpu(stress_thread)");
	pr_info("stress: %lu invariant checks with every CPU stopped, %d problem(s)\n", checks_run,
		check_problems);
	KTEST_EXPECT_EQ(t, checks_run, (OPS + CHECK_EVERY - 1) / CHECK_EVERY);
	KTEST_EXPECT_EQ(t, check_problems, 0);
	drain_pool(t);
	kmap_flush_unused();
	int pkmap_busy = 0;
	for (int i = 0; i < LAST_PKMAP; i++)
		pkmap_busy += pkmap_count[i] != 0;
	KTEST_EXPECT_EQ(t, pkmap_busy, 0); /* every kmap was kunmapped */
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	drain_all_pages();
	KTEST_EXPECT_EQ(t, check_free_areas(), 0);
	KTEST_EXPECT_EQ(t, pages_not_in_use(), free_before);
	KTEST_EXPECT_EQ(t, vmalloc_used_kb(), vmalloc_kb);
	KTEST_EXPECT_EQ(t, slab_objects_in_use(), objects_before);
}

enum { PAIRS = 4, ROUNDS = 300 };
static struct pingpong {
	wait_queue_head_t wq;
	volatile unsigned turn; /* even: ping's move, odd: pong's */
} pp[PAIRS];

static volatile bool pingpong_abort; /* a player could not be created */

static int player(void *arg)
{
	struct pingpong *p = &pp[(unsigned long)arg / 2];
	unsigned me = (unsigned)(unsigned long)arg % 2;

	for (unsigned i = 0; i < ROUNDS && !pingpong_abort; i++) {
		wait_event(p->wq, p->turn % 2 == me);
		p->turn++;
		wake_up(&p->wq);
	}
	return (int)me;
}

/* The first n players exist but have not started: let them exit at once. */
static void release_players(struct task **th, unsigned n)
{
	pingpong_abort = true;
	for (unsigned i = 0; i < n; i++)
		wake_up_process(th[i]);
	for (unsigned i = 0; i < n; i++)
		kthread_join(th[i]);
}

/* Pairs of threads on different CPUs (where there are several) hand a turn
 * back and forth: every move is a cross-CPU wakeup. */
static void test_wakeup_ping_pong(struct ktest *t)
{
	struct task *th[2 * PAIRS];
	unsigned n = test_nr_cpus();

	pingpong_abort = false;
	for (unsigned i = 0; i < 2 * PAIRS; i++) {
		if (i % 2 == 0) {
			init_waitqueue_head(&pp[i / 2].wq, "pingpong");
			pp[i / 2].turn = 0;
		}
		th[i] = kthread_create_on_cpu(player, (void *)(unsigned long)i, i % n, "player/%u", i);
		if (!th[i]) {
			release_players(th, i);
			KTEST_ALLOC_FAILED(t, "kthread_create_on_cpu(player)");
		}
	}
	for (unsigned i = 0; i < 2 * PAIRS; i++)
		wake_up_process(th[i]);
	for (unsigned i = 0; i < 2 * PAIRS; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), (int)(i % 2));
	for (unsigned i = 0; i < PAIRS; i++)
		KTEST_EXPECT_EQ(t, pp[i].turn, 2 * ROUNDS);
}

static struct ktest_case stress_cases[] = {
	KTEST_CASE(test_alloc_free_kmap_on_every_cpu),
	KTEST_CASE(test_wakeup_ping_pong),
	{ 0 },
};
KTEST_SUITE(stress, stress_cases);
