/* ktest.c - runs the self-test suites and prints KTAP version 1, the way
 * Linux KUnit does, so `prove` and KUnit's own parser read our logs. */
#include <stdarg.h>
#include "fault_inject.h"
#include "kstring.h"
#include "errno.h"
#include "ktest.h"
#include "printk.h"

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];


int ktest_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b);
}

static void fail_header(struct ktest *t, const char *file, int line)
{
	t->failed++;
	if (!t->quiet)
		console_printf("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
}

void ktest_fail_at(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	fail_header(t, file, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t->quiet)
		console_printf("    # %s\n", msg);
}

void ktest_fail_cmp(struct ktest *t, const char *file, int line, const char *op,
		    const char *lhs, const char *rhs, long long lv, long long rv)
{
	fail_header(t, file, line);
	if (!t->quiet)
		console_printf("    # Expected %s %s %s, but %s == %lld (0x%llx), %s == %lld (0x%llx)\n",
			       lhs, op, rhs, lhs, lv, (unsigned long long)lv, rhs, rv,
			       (unsigned long long)rv);
}

void ktest_fail_str(struct ktest *t, const char *file, int line, const char *lhs,
		    const char *rhs, const char *lv, const char *rv)
{
	fail_header(t, file, line);
	if (!t->quiet)
		console_printf("    # Expected %s == %s, but %s == \"%s\", %s == \"%s\"\n", lhs, rhs,
			       lhs, lv ? lv : "(null)", rhs, rv ? rv : "(null)");
}

/* ---- expected faults ---------------------------------------------------- */

void ktest_fault_check(struct ktest *t, const char *file, int line, const char *what, long ret,
		       const struct fixup_record *before, int vector, u32 addr)
{
	struct fixup_record now;

	last_fixup(&now);
	if (now.count == before->count) {
		ktest_fail_at(t, file, line, "expected exception %d from `%s`, but none happened (it returned %ld)",
			      vector, what, ret);
		return;
	}
	if (ret != -EFAULT)
		ktest_fail_at(t, file, line, "`%s` faulted but returned %ld, not -EFAULT", what, ret);
	if (now.vector != vector)
		ktest_fail_at(t, file, line, "expected exception %d from `%s`, got %d at eip %08lx",
			      vector, what, now.vector, now.ip);
	else if (vector == 14 && addr != KTEST_ANY_ADDR && now.addr != addr)
		ktest_fail_at(t, file, line, "expected #PF at %08x from `%s`, got CR2 %08lx", addr, what,
			      now.addr);
}

/* ---- fault injection ----------------------------------------------------- */

static unsigned long injection_skips; /* cases skipped because of an injected failure */
static const char injected_skip_reason[] = "an allocation failed by fault injection";

void ktest_alloc_failed(struct ktest *t, const char *file, int line, const char *what)
{
	unsigned long now = fault_injected_total();

	if (now != t->injected_start) {
		if (!t->skip)
			t->skip = injected_skip_reason;
		if (!t->quiet)
			console_printf("    # %s: %s is NULL after %lu injected failure(s): "
				       "skipped (%s:%d)\n", t->name, what, now - t->injected_start,
				       file, line);
		return;
	}
	ktest_fail_at(t, file, line, "%s: allocation failed (no failure was injected)", what);
}

bool ktest_injected(struct ktest *t)
{
	unsigned long now = fault_injected_total();
	bool changed = now != t->injected_seen;

	t->injected_seen = now;
	return changed;
}

static bool suspended_page, suspended_slab; /* what ktest_suspend_injection disarmed */

void ktest_suspend_injection(struct ktest *t, const char *why)
{
	if (t->injection_suspended || !(fail_page_alloc.armed || failslab.armed))
		return;
	t->injection_suspended = true;
	suspended_page = fail_page_alloc.armed;
	suspended_slab = failslab.armed;
	fault_attr_arm(&fail_page_alloc, false);
	fault_attr_arm(&failslab, false);
	console_printf("    # %s: fault injection suspended for this case: %s\n", t->name, why);
}

static void resume_injection(struct ktest *t)
{
	if (!t->injection_suspended)
		return;
	fault_attr_arm(&fail_page_alloc, suspended_page);
	fault_attr_arm(&failslab, suspended_slab);
}

/* ---- the runner ---------------------------------------------------------- */

bool (*ktest_stop_hook)(void);

bool ktest_should_stop(void)
{
	return ktest_stop_hook && ktest_stop_hook();
}

struct totals {
	int pass, fail, skip;
};

static void run_case(const struct ktest_case *c, int n, struct totals *tot)
{
	struct ktest t = { .name = c->name };

	t.injected_start = t.injected_seen = fault_injected_total();
	c->run(&t);
	resume_injection(&t);
	if (t.skip == injected_skip_reason && !t.failed)
		injection_skips++;
	if (t.failed) {
		console_printf("    not ok %d %s\n", n, c->name);
		tot->fail++;
	} else if (t.skip) {
		console_printf("    ok %d %s # SKIP %s\n", n, c->name, t.skip);
		tot->skip++;
	} else {
		console_printf("    ok %d %s\n", n, c->name);
		tot->pass++;
	}
}

static bool run_suite(const struct ktest_suite *s, int n, struct totals *all)
{
	struct totals tot = { 0, 0, 0 };
	int ncases = 0;

	while (s->cases[ncases].run)
		ncases++;
	console_printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, ncases);
	for (int i = 0; i < ncases; i++) {
		if (ktest_should_stop()) {
			console_printf("    # interrupted: cases %d..%d not run\n", i + 1, ncases);
			tot.fail++; /* an interrupted suite did not pass */
			break;
		}
		run_case(&s->cases[i], i + 1, &tot);
	}
	console_printf("# %s: pass:%d fail:%d skip:%d total:%d\n", s->name, tot.pass, tot.fail,
		       tot.skip, ncases);
	console_printf("%s %d %s\n", tot.fail ? "not ok" : "ok", n, s->name);
	all->pass += tot.pass;
	all->fail += tot.fail;
	all->skip += tot.skip;
	return tot.fail == 0;
}

static const struct ktest_suite *find_suite(const char *name, size_t len)
{
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
			return s;
	return NULL;
}

/* Count the entries of a comma-separated spec ("all" = every non-explicit suite). */
static int plan_size(const char *spec, bool all)
{
	int n = 0;

	if (all) {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			n += !s->explicit_only;
		return n;
	}
	for (const char *p = spec; *p; p++)
		n += (p == spec || p[-1] == ',') && *p != ',';
	return n;
}

int ktest_run(const char *spec)
{
	struct totals all = { 0, 0, 0 };
	bool every = strcmp(spec, "all") == 0;
	int n = 0, failed_suites = 0;

	console_printf("KTAP version 1\n1..%d\n", plan_size(spec, every));
	if (every) {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			if (!s->explicit_only)
				failed_suites += !run_suite(s, ++n, &all);
	} else {
		for (const char *p = spec; *p;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			const struct ktest_suite *s = find_suite(p, len);
			if (len && s) {
				failed_suites += !run_suite(s, ++n, &all);
			} else if (len) {
				console_printf("# ktest: no suite named '%.*s'\n", (int)len, p);
				console_printf("not ok %d %.*s\n", ++n, (int)len, p);
				failed_suites++;
				all.fail++;
			}
			p += len + (e != NULL);
		}
	}
	console_printf("# Totals: pass:%d fail:%d skip:%d total:%d\n", all.pass, all.fail, all.skip,
		       all.pass + all.fail + all.skip);
	if (!failed_suites && !all.pass)
		console_printf("# ktest: '%s' ran no test (%d skipped): that is never a pass\n", spec,
			       all.skip);
	if (fail_page_alloc.armed || failslab.armed || fault_injected_total())
		console_printf("# fault injection: %lu page allocation and %lu slab failures "
			       "injected; %lu case(s) skipped because of them\n",
			       fail_page_alloc.injected, failslab.injected, injection_skips);
	return failed_suites ? failed_suites : all.pass ? 0 : KTEST_NOTHING_RAN;
}
