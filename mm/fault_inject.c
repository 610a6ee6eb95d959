/* fault_inject.c - should_fail() and the two capabilities, fail_page_alloc
 * and failslab (see include/fault_inject.h for the rules and how they
 * differ from Linux's). Only the allocators' slow paths come here: their
 * fast paths test the byte fault_inject_on first.
 */
#include "cmdline.h"
#include "fault_inject.h"
#include "kstring.h"
#include "ksyms.h"
#include "mmzone.h"
#include "preempt.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "spinlock.h"

#define FAULT_REPORTS_SHOWN 10 /* verbose=1: reports printed per capability */

struct fault_attr fail_page_alloc = { .name = "fail_page_alloc", .verbose = 1, .times = -1 };
struct fault_attr failslab = { .name = "failslab", .verbose = 1, .times = -1 };

u8 fault_inject_on;

static spinlock_t fault_lock = SPINLOCK_INIT("fault_inject");
static unsigned nth_pending;  /* tasks with a fail_nth set */
static unsigned notask_nth;   /* fail_nth before tasks exist (and hosted) */

static void update_on(void)
{
	bool on = fail_page_alloc.armed || failslab.armed || nth_pending;

	__atomic_store_n(&fault_inject_on, on, __ATOMIC_RELAXED);
	__atomic_store_n(&alloc_pages_fast_orders, on || page_ext_table ? 0 : NR_PCP_LISTS, __ATOMIC_RELAXED);
	__atomic_store_n(&kmalloc_fast_max, on ? 0 : KMALLOC_MAX_CACHE_SIZE, __ATOMIC_RELAXED);
	__atomic_store_n(&kmem_cache_fast_gate, on ? 0 : __GFP_ZERO, __ATOMIC_RELAXED);
}

/* The fail_nth counter of the running task (NULL in an interrupt). */
static unsigned *nth_slot(void)
{
	if (in_interrupt())
		return NULL;
	struct task *t = get_current();
	return t ? &t->fail_nth : &notask_nth;
}

bool fault_fail_nth_set(unsigned n)
{
	unsigned *slot = nth_slot();
	if (!slot)
		return false;
	unsigned long f = spin_lock_irqsave(&fault_lock);
	nth_pending += (n != 0) - (*slot != 0);
	*slot = n;
	update_on();
	spin_unlock_irqrestore(&fault_lock, f);
	return true;
}

unsigned fault_fail_nth_get(void)
{
	unsigned *slot = nth_slot();
	return slot ? *slot : 0;
}

unsigned long fault_injected_total(void)
{
	return __atomic_load_n(&fail_page_alloc.injected, __ATOMIC_RELAXED) +
	       __atomic_load_n(&failslab.injected, __ATOMIC_RELAXED);
}

static u32 draw_percent(struct fault_attr *a) /* xorshift32, 0..99 */
{
	u32 x = a->rnd ? a->rnd : 0x2545f491u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	a->rnd = x;
	return x % 100;
}

/* The attribute's own rules (fault_lock held); true: fail this call. */
static bool attr_says_fail(struct fault_attr *a, unsigned long size, u32 caller)
{
	if (!a->armed || a->probability == 0 || a->times == 0)
		return false;
	if (a->caller_hi && (caller < a->caller_lo || caller >= a->caller_hi))
		return false;
	if (a->space > (long)size) {
		a->space -= (long)size;
		return false;
	}
	if (a->interval > 1 && ++a->count % a->interval)
		return false;
	return draw_percent(a) < a->probability;
}

static void report(struct fault_attr *a, const void *caller, unsigned long nr)
{
	if (a->verbose == 0 || (a->verbose == 1 && nr > FAULT_REPORTS_SHOWN))
		return;
	pr_info("FAULT_INJECTION: forcing a failure (%s #%lu, caller %pS)\n", a->name, nr, caller);
	pr_info("name %s, interval %lu, probability %lu, space %ld, times %ld\n", a->name,
		a->interval, a->probability, a->space, a->times);
	if (a->verbose == 1 && nr == FAULT_REPORTS_SHOWN)
		pr_info("FAULT_INJECTION: further %s failures are counted, not shown "
			"(%s.verbose=2 shows all)\n", a->name, a->name);
	if (a->verbose >= 2)
		dump_stack();
}

bool should_fail(struct fault_attr *a, unsigned long size, const void *caller, bool nowarn)
{
	unsigned long f = spin_lock_irqsave(&fault_lock);
	unsigned *slot = nth_pending ? nth_slot() : NULL;
	bool fail;

	if (slot && *slot) { /* a task's fail_nth overrides the attribute's rules */
		fail = --*slot == 0;
		if (fail) {
			nth_pending--;
			update_on();
		}
	} else {
		fail = attr_says_fail(a, size, (u32)(uintptr_t)caller);
		if (fail && a->times > 0)
			a->times--;
	}
	unsigned long nr = fail ? ++a->injected : 0;
	spin_unlock_irqrestore(&fault_lock, f);
	if (fail && !nowarn)
		report(a, caller, nr);
	return fail;
}

/* ---- configuration ---- */

/* The longest <interval>,<probability>,<space>,<times> accepted (leading
 * zeros included); a longer one is refused, never cut. */
#define FAULT_ATTR_MAX 256

bool setup_fault_attr(struct fault_attr *a, const char *str)
{
	static const char *const field[] = { "interval", "probability", "space", "times" };
	char copy[FAULT_ATTR_MAX];
	long v[4];
	char *p = copy;

	if (strlcpy(copy, str, sizeof(copy)) >= sizeof(copy)) {
		pr_warn("FAULT_INJECTION: %s=%.40s... ignored: longer than %u characters\n",
			a->name, str, FAULT_ATTR_MAX - 1);
		return false;
	}
	for (int i = 0; i < 4; i++) {
		char *comma = strchr(p, ',');
		int err;

		if (comma && i < 3)
			*comma = '\0';
		err = kstrtol(p, 10, &v[i]);
		if (!err && i < 3 && !comma) { /* this field is fine: the next is missing */
			err = -EINVAL;
			i++;
		}
		if (err) {
			pr_warn("FAULT_INJECTION: failed to parse arguments: %s=%s: %s %s (expected "
				"<interval>,<probability>,<space>,<times>)\n", a->name, str,
				err == -ERANGE ? "out-of-range" : "bad or missing", field[i]);
			return false;
		}
		if (i < 3)
			p = comma + 1;
	}
	if (v[0] < 0 || v[1] < 0 || v[1] > 100 || v[2] < 0 || v[3] < -1) {
		pr_warn("FAULT_INJECTION: %s=%s ignored: interval and space must be >= 0, "
			"probability a percentage 0..100, times -1 (no limit) or >= 0\n", a->name, str);
		return false;
	}
	a->interval = (unsigned long)v[0];
	a->probability = (unsigned long)v[1];
	a->space = v[2];
	a->times = v[3];
	a->count = 0;
	return true;
}

void fault_attr_set_caller(struct fault_attr *a, const char *name, u32 lo, u32 hi)
{
	strlcpy(a->caller_name, name, sizeof(a->caller_name));
	a->caller_lo = lo;
	a->caller_hi = hi;
}

void fault_attr_arm(struct fault_attr *a, bool on)
{
	unsigned long f = spin_lock_irqsave(&fault_lock);
	a->armed = on;
	update_on();
	spin_unlock_irqrestore(&fault_lock, f);
}

/* <name>.caller=<function>: the function's extent from the symbol table.
 * False if there is no such function: then the capability stays off
 * rather than failing every caller. */
static bool setup_caller(struct fault_attr *a, const char *key)
{
	char fn[48];
	u32 off, size;
	int err = cmdline_get_str(key, fn, sizeof(fn));

	if (err == -ENOENT)
		return true;
	if (err < 0)
		return false; /* too long for a function name: said, capability off */
	u32 addr = ksym_address(fn);
	if (!addr || !ksym_lookup(addr, &off, &size)) {
		pr_warn("FAULT_INJECTION: %s=%s: no function of that name (inlined?): %s stays "
			"off\n", key, fn, a->name);
		return false;
	}
	fault_attr_set_caller(a, fn, addr, addr + size);
	return true;
}

static void setup_one(struct fault_attr *a)
{
	char key[48], val[FAULT_ATTR_MAX];
	int verbose;

	if (cmdline_get_str(a->name, val, sizeof(val)) < 0 || !setup_fault_attr(a, val))
		return;
	snprintf(key, sizeof(key), "%s.verbose", a->name);
	if (cmdline_get_int(key, &verbose) == 0) {
		if (verbose >= 0 && verbose <= 2)
			a->verbose = verbose;
		else
			pr_warn("FAULT_INJECTION: %s=%d ignored: 0, 1 or 2\n", key, verbose);
	}
	snprintf(key, sizeof(key), "%s.caller", a->name);
	if (setup_caller(a, key))
		fault_attr_arm(a, true);
}

void fault_inject_arm(void)
{
	setup_one(&fail_page_alloc);
	setup_one(&failslab);
	if (fail_page_alloc.armed || failslab.armed)
		fault_inject_show();
}

void fault_inject_show(void)
{
	const struct fault_attr *all[] = { &fail_page_alloc, &failslab };

	for (unsigned i = 0; i < 2; i++) {
		const struct fault_attr *a = all[i];
		pr_info("FAULT_INJECTION: %s %s: interval %lu, probability %lu, space %ld, "
			"times %ld%s%s, %lu failure(s) injected\n", a->name,
			a->armed ? "armed" : "off", a->interval, a->probability, a->space, a->times,
			a->caller_hi ? ", caller " : "", a->caller_hi ? a->caller_name : "",
			a->injected);
	}
}
