/* highmem.c - kmap_atomic / kmap_local_page: a per-CPU stack of fixmap slots
 * (and, for kmap_local, its save and restore at task switch).
 *
 * CPU n owns slots n*KM_MAX_IDX .. n*KM_MAX_IDX+15. Mapping pushes: one PTE
 * write through arch_kmap_atomic_map, no TLB flush (the slot was invalidated
 * when it was last popped). Unmapping pops: the PTE is cleared and this CPU
 * alone runs invlpg; no other CPU can hold the slot in its TLB, because no
 * other CPU ever uses it. That is why these mappings are cheap and never
 * sleep - and why they must be released in reverse order. */
#include "arch.h"
#include "highmem.h"
#include "pkmap.h"
#include "kstring.h"
#include "mmzone.h"
#include "printk.h"

struct kmap_ctrl kmap_ctrl[NR_CPUS];
unsigned long kmap_atomic_count, kmap_atomic_errors, kmap_local_leaks;

void *page_address(const struct page *p)
{
	if (PageHighMem(p))
		return pkmap_page_address(p); /* its kmap() address, or NULL */
	return __va(page_to_phys(p));
}

struct page *virt_to_page(const void *va) { return pfn_to_page(PFN_DOWN(__pa(va))); }

void *kmap_slow(struct page *page, bool atomic, void *caller)
{
	if (!PageHighMem(page))
		return page_address(page);
	kmap_atomic_errors++;
	pr_err("BUG: kmap_atomic: nesting deeper than %d slots on CPU %u (pfn %#lx, caller %pS)\n",
	       KM_MAX_IDX, arch_cpu_id(), page_to_pfn(page), caller);
	if (atomic)
		preempt_enable(); /* nothing to unmap: kunmap_atomic will not come */
	return NULL;
}

static bool in_fixmap(unsigned long va) { return va >= FIXADDR_START && va < FIXADDR_TOP; }

static bool on_stack(const struct kmap_ctrl *c, void *va)
{
	for (int i = 0; i < c->idx; i++)
		if (c->addr[i] == va)
			return true;
	return false;
}

/* Not the top of the stack: a lowmem address (fine), or a misuse (reported,
 * and nothing changes - the preempt count included, since the mapping the
 * caller meant to release is still there, or never was). */
void kunmap_slow(void *addr, bool atomic, void *caller)
{
	void *va = (void *)((unsigned long)addr & PAGE_MASK);
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];
	int idx = c->idx - 1;

	if (!in_fixmap((unsigned long)va) && !on_stack(c, va)) {
		/* a lowmem page: kmap_atomic gave its direct-map address */
		if (atomic)
			preempt_enable();
		return;
	}
	kmap_atomic_errors++;
	if (idx < 0)
		pr_err("BUG: kunmap_atomic(%p): CPU %u has no kmap_atomic mapping (caller %pS)\n",
		       addr, cpu, caller);
	else
		pr_err("BUG: kunmap_atomic(%p): not the most recent mapping on CPU %u "
		       "(that is %p, depth %d): unmap in reverse order (caller %pS)\n",
		       addr, cpu, c->addr[idx], idx + 1, caller);
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
		c->addr[i] = arch_kmap_atomic_map(cpu * KM_MAX_IDX + (unsigned)i, in->pfn[i]);
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
		pr_err("  %p -> pfn %#lx: unmapped now\n", c->addr[i], arch_kmap_atomic_pfn(slot));
		arch_kmap_atomic_unmap(slot);
	}
	c->idx = 0;
	return n;
}

void clear_highpage(struct page *page)
{
	void *va = kmap_atomic(page);

	if (!va)
		return;
	memset(va, 0, PAGE_SIZE);
	kunmap_atomic(va);
}

void copy_highpage(struct page *to, struct page *from)
{
	void *src = kmap_atomic(from);
	void *dst = kmap_atomic(to);

	if (src && dst)
		memcpy(dst, src, PAGE_SIZE);
	if (dst)
		kunmap_atomic(dst);
	if (src)
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
	if (!va)
		return;
	memcpy(va + offset, from, len);
	kunmap_local(va);
}

void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len)
{
	if (!range_ok("memcpy_from_page", offset, len))
		return;
	char *va = kmap_local_page(page);
	if (!va)
		return;
	memcpy(to, va + offset, len);
	kunmap_local(va);
}
