/* highmem.c - kmap_atomic / kmap_local_page: a per-CPU stack of fixmap slots
 * (and, for kmap_local, its save and restore at task switch).
 *
 * CPU n owns slots n*KM_MAX_IDX .. n*KM_MAX_IDX+15. Mapping pushes: one PTE
 * write through arch_kmap_push (the slot's PTE and address come from this
 * CPU's kmap_ctrl tables, filled by kmap_atomic_init), no TLB flush (the
 * slot was invalidated when it was last popped). Unmapping pops: the PTE is cleared and this CPU
 * alone runs invlpg; no other CPU can hold the slot in its TLB, because no
 * other CPU ever uses it. That is why these mappings are cheap and never
 * sleep - and why they must be released in reverse order. */
#include "arch.h"
#include "highmem.h"
#include "pkmap.h"
#include "kstring.h"
#include "mmzone.h"
#include "panic.h"
#include "printk.h"

struct kmap_ctrl kmap_ctrl[NR_CPUS] = { [0 ... NR_CPUS - 1] = { .addr[0] = KMAP_ADDR_GUARD } };
unsigned long kmap_atomic_errors, kmap_local_leaks;

unsigned long kmap_atomic_count(void)
{
	unsigned long n = 0;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		n += __atomic_load_n(&kmap_ctrl[cpu].maps, __ATOMIC_RELAXED);
	return n;
}

void kmap_atomic_init(void)
{
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		arch_kmap_ctrl_init(&kmap_ctrl[cpu], cpu);
}

void *page_address(const struct page *p)
{
	if (PageHighMem(p))
		return pkmap_page_address(p); /* its kmap() address, or NULL */
	return __va(page_to_phys(p));
}

struct page *virt_to_page(const void *va) { return pfn_to_page(PFN_DOWN(__pa(va))); }

/* Running out of slots is Linux's BUG_ON(idx >= KM_MAX_IDX): a caller
 * nests without unmapping (a leak in a loop, most likely), and returning
 * NULL would only move the crash to whoever writes through it. So: what
 * was asked, what is mapped, a backtrace, and the kernel stops. */
static __noreturn void kmap_slots_exhausted(struct page *page, void *caller)
{
	unsigned cpu = arch_cpu_id();
	const struct kmap_ctrl *c = &kmap_ctrl[cpu];

	kmap_atomic_errors++;
	pr_emerg("BUG: kmap_atomic: nesting deeper than %d slots on CPU %u (pfn %#lx, caller %pS)\n",
		 KM_MAX_IDX, cpu, page_to_pfn(page), caller);
	for (int i = c->idx - 1; i >= 0; i--)
		pr_emerg("  slot %2d: %p -> pfn %#lx\n", i, c->addr[i + 1],
			 arch_kmap_atomic_pfn(c->slot_base + (unsigned)i));
	panic("kernel BUG at %s:%d! kmap_atomic slots exhausted", __FILE__, __LINE__);
}

void *kmap_slow(struct page *page, bool atomic, void *caller)
{
	if (!PageHighMem(page))
		return page_address(page);
	kmap_slots_exhausted(page, caller);
}

static bool in_fixmap(unsigned long va) { return va >= FIXADDR_START && va < FIXADDR_TOP; }

static bool on_stack(const struct kmap_ctrl *c, void *va)
{
	for (int i = 0; i < c->idx; i++)
		if (c->addr[i + 1] == va)
			return true;
	return false;
}

/* Why addr cannot be what kmap_atomic returned for a lowmem page (its
 * direct-map address), or NULL if it can. */
static const char *not_lowmem_direct(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, m = (uintptr_t)mem_map;

	if (a - m < (uintptr_t)max_pfn * sizeof(struct page))
		return "a struct page (inside mem_map), not the address kmap_atomic returned";
	if (__pa(addr) >= PFN_PHYS(max_low_pfn))
		return "not an address kmap_atomic returns (neither a kmap slot nor lowmem)";
	return NULL;
}

/* Not the top slot's address: an address inside its page (popped), a
 * lowmem page's direct-map address (fine), or a misuse (reported, and
 * nothing changes - the preempt and page-fault counts included, since the
 * mapping the caller meant to release is still there, or never was). */
void kunmap_slow(void *addr, bool atomic, void *caller)
{
	void *va = (void *)((unsigned long)addr & PAGE_MASK);
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];
	int idx = c->idx - 1;
	const char *why = NULL;

	if (__kunmap_pop(c, va)) { /* inside the top slot's page, not its start */
		if (atomic) {
			pagefault_enable();
			preempt_enable();
		}
		return;
	}
	if (!in_fixmap((unsigned long)va) && !on_stack(c, va)) {
		why = not_lowmem_direct(addr);
		if (!why) { /* a lowmem page: kmap_atomic gave its direct-map address */
			if (atomic) {
				pagefault_enable();
				preempt_enable();
			}
			return;
		}
	}
	kmap_atomic_errors++;
	if (why)
		pr_err("BUG: %s(%p): %s; nothing unmapped (caller %pS)\n",
		       atomic ? "kunmap_atomic" : "kunmap_local", addr, why, caller);
	else if (idx < 0)
		pr_err("BUG: kunmap_atomic(%p): CPU %u has no kmap_atomic mapping (caller %pS)\n",
		       addr, cpu, caller);
	else
		pr_err("BUG: kunmap_atomic(%p): not the most recent mapping on CPU %u "
		       "(that is %p, depth %d): unmap in reverse order (caller %pS)\n",
		       addr, cpu, c->addr[idx + 1], idx + 1, caller);
}

/* The outgoing task's slots (every one in use: see highmem.h) are emptied
 * top first, each PTE cleared and invalidated, so they are ready for the
 * incoming task's arch_kmap_atomic_map without a flush. */
void kmap_local_sched_out(struct kmap_saved *out)
{
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];

	out->nr = c->idx;
	for (int i = 0; i < c->idx; i++)
		out->pfn[i] = arch_kmap_atomic_pfn(cpu * KM_MAX_IDX + (unsigned)i);
	while (c->idx > 0) {
		c->idx--;
		arch_kmap_atomic_unmap(cpu * KM_MAX_IDX + (unsigned)c->idx);
	}
}

/* The same slots as before the task was switched out: the same addresses. */
void kmap_local_sched_in(const struct kmap_saved *in)
{
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];

	for (int i = 0; i < in->nr; i++)
		c->addr[i + 1] = arch_kmap_atomic_map(cpu * KM_MAX_IDX + (unsigned)i, in->pfn[i]);
	c->idx = in->nr;
}

int kmap_local_task_exit(const char *name, int pid)
{
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];
	int n = c->idx;

	if (!n)
		return 0;
	kmap_local_leaks++;
	pr_err("BUG: task %s (pid %d) exited with %d live kmap_local mapping(s) on CPU %u:\n", name,
	       pid, n, cpu);
	for (int i = n - 1; i >= 0; i--) {
		unsigned slot = cpu * KM_MAX_IDX + (unsigned)i;
		pr_err("  %p -> pfn %#lx: unmapped now\n", c->addr[i + 1], arch_kmap_atomic_pfn(slot));
		arch_kmap_atomic_unmap(slot);
	}
	c->idx = 0;
	return n;
}

void clear_highpage(struct page *page)
{
	void *va = kmap_atomic(page);

	memset(va, 0, PAGE_SIZE);
	kunmap_atomic(va);
}

void copy_highpage(struct page *to, struct page *from)
{
	void *src = kmap_atomic(from);
	void *dst = kmap_atomic(to);

	memcpy(dst, src, PAGE_SIZE);
	kunmap_atomic(dst);
	kunmap_atomic(src);
}

static bool range_ok(const char *fn, size_t offset, size_t len)
{
	if (offset <= PAGE_SIZE && len <= PAGE_SIZE - offset)
		return true;
	pr_err("BUG: %s: offset %zu + length %zu is beyond the page (caller %pS)\n", fn, offset,
	       len, arch_return_address());
	return false;
}

void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len)
{
	if (!range_ok("memcpy_to_page", offset, len))
		return;
	char *va = kmap_local_page(page);
	memcpy(va + offset, from, len);
	kunmap_local(va);
}

void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len)
{
	if (!range_ok("memcpy_from_page", offset, len))
		return;
	char *va = kmap_local_page(page);
	memcpy(to, va + offset, len);
	kunmap_local(va);
}
