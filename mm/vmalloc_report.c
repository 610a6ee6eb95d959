/* vmalloc_report.c - what vmalloc space looks like: /proc/vmallocinfo,
 * the meminfo figures, and the explanation of a fault (or a bad vfree) at
 * a vmalloc address. Each line is copied under vmap_lock and printed after
 * dropping it, so the console never holds up the allocator. */
#include "arch.h"
#include "printk.h"
#include "proc_fs.h"
#include "vmalloc.h"
#include "vmalloc_internal.h"

/* ---- /proc/vmallocinfo ---------------------------------------------------- */

/* Linux's line: "0x%pK-0x%pK %7ld %pS pages=%d vmalloc"; the size includes
 * the guard page, as Linux's does. */
static void print_area(struct seq_file *m, const struct vmap_area *va)
{
	seq_printf(m, "0x%08lx-0x%08lx %7lu %pS pages=%u %s\n", va->node.start, va->node.end,
		va->node.end - va->node.start, va->caller, va->nr_pages,
		va->flags & VM_ALLOC ? "vmalloc" : "vmap");
}

/* The busy areas by address (one O(log n) step per line, the lock dropped
 * between lines), then, as Linux does, the freed ranges still waiting for
 * their TLB flush (a short list: at most vmap_lazy= worth, so finding the
 * i-th entry again for each line costs little). */
void vmallocinfo_show(struct seq_file *m)
{
	unsigned long next = 0, areas = 0;

	/* Linux prints no header; the console's says what the (maybe empty)
	 * list covers. /proc/vmallocinfo has Linux's lines only. */
	if (m->console)
		seq_printf(m, "vmallocinfo: areas in 0x%08lx-0x%08lx (size with the guard page, caller), "
		"then freed ranges waiting for their TLB flush\n", VMALLOC_START, VMALLOC_END);
	for (;;) {
		unsigned long irq = spin_lock_irqsave(&vmap_lock);
		struct va_node *n = va_tree_next(vmap_busy, next);
		struct vmap_area copy;
		if (n)
			copy = *container_of(n, struct vmap_area, node);
		spin_unlock_irqrestore(&vmap_lock, irq);
		if (!n)
			break;
		print_area(m, &copy);
		areas++;
		next = copy.node.start + 1;
	}
	if (!areas && m->console)
		seq_printf(m, "(no vmalloc areas in use)\n");
	for (unsigned long i = 0;; i++) {
		unsigned long irq = spin_lock_irqsave(&vmap_lock), k = 0, start = 0, end = 0;
		struct list_head *e;
		list_for_each(e, &vmap_purge_list) {
			if (k++ == i) {
				struct vmap_area *va = list_entry(e, struct vmap_area, purge);
				start = va->node.start;
				end = va->node.end;
				break;
			}
		}
		spin_unlock_irqrestore(&vmap_lock, irq);
		if (!end)
			break;
		seq_printf(m, "0x%08lx-0x%08lx %7lu unpurged vm_area\n", start, end, end - start);
	}
}

void show_vmallocinfo(void)
{
	struct seq_file m;

	seq_console_begin(&m);
	vmallocinfo_show(&m);
	seq_console_end(&m);
}

/* ---- meminfo and tests ----------------------------------------------------- */

unsigned long vmalloc_total_kb(void) { return (VMALLOC_END - VMALLOC_START) >> 10; }

/* Linux (since 5.x) counts the pages vmalloc allocated, not the space. */
unsigned long vmalloc_used_kb(void) { return nr_vmalloc_pages << (PAGE_SHIFT - 10); }

unsigned long vmalloc_free_bytes(void)
{
	unsigned long irq = spin_lock_irqsave(&vmap_lock);
	unsigned long n = vmap_space.free_bytes;

	spin_unlock_irqrestore(&vmap_lock, irq);
	return n;
}

unsigned long vmalloc_largest_free(void)
{
	unsigned long irq = spin_lock_irqsave(&vmap_lock);
	unsigned long n = va_largest_free(&vmap_space);

	spin_unlock_irqrestore(&vmap_lock, irq);
	return n;
}

/* ---- explaining an address ------------------------------------------------- */

enum where { UNALLOCATED, INSIDE, GUARD, FREED };

/* Where addr falls, with a copy of the area. The page-fault oops calls this,
 * perhaps for a fault taken while this CPU held vmap_lock: then the lock is
 * not taken again (that would deadlock) and the read is best effort. */
static enum where locate(unsigned long addr, struct vmap_area *copy)
{
	bool locked = vmap_lock.cpu != (int)arch_cpu_id();
	unsigned long irq = locked ? spin_lock_irqsave(&vmap_lock) : 0;
	struct va_node *n = va_tree_find(vmap_busy, addr);
	enum where w = UNALLOCATED;

	if (n) {
		*copy = *container_of(n, struct vmap_area, node);
		w = addr >= n->end - PAGE_SIZE ? GUARD : INSIDE;
	} else {
		struct list_head *e;
		list_for_each(e, &vmap_purge_list) {
			struct vmap_area *va = list_entry(e, struct vmap_area, purge);
			if (addr >= va->node.start && addr < va->node.end) {
				*copy = *va;
				w = FREED;
				break;
			}
		}
	}
	if (locked)
		spin_unlock_irqrestore(&vmap_lock, irq);
	return w;
}

bool vmalloc_explain_fault(unsigned long addr)
{
	struct vmap_area va = { .flags = 0 };

	if (!is_vmalloc_addr((const void *)addr))
		return false;
	enum where w = locate(addr, &va);
	unsigned long start = va.node.start, bytes = (unsigned long)va.nr_pages << PAGE_SHIFT;
	const char *kind = va.flags & VM_ALLOC ? "vmalloc" : "vmap";

	switch (w) {
	case GUARD:
		pr_err("vmalloc: 0x%08lx is in the guard page of area 0x%08lx-0x%08lx (%lu bytes) "
		       "allocated by %pS\n", addr, start, start + bytes, bytes, va.caller);
		break;
	case INSIDE:
		pr_err("vmalloc: 0x%08lx is inside area 0x%08lx-0x%08lx (%lu bytes, %s) "
		       "allocated by %pS\n", addr, start, start + bytes, bytes, kind, va.caller);
		break;
	case FREED:
		pr_err("vmalloc: 0x%08lx is in area 0x%08lx-0x%08lx (%lu bytes, %s) allocated by "
		       "%pS, already freed (use after %s)\n", addr, start, start + bytes, bytes,
		       kind, va.caller, va.flags & VM_ALLOC ? "vfree" : "vunmap");
		break;
	case UNALLOCATED:
		pr_err("vmalloc: 0x%08lx is in unallocated vmalloc space\n", addr);
		break;
	}
	return true;
}
