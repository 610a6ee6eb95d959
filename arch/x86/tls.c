/* tls.c - set_thread_area: a process's thread-local storage segments.
 *
 * glibc on i386 reaches its thread's data through %gs, a segment whose base
 * is the thread's TLS block. It asks for one with set_thread_area(struct
 * user_desc), usually with entry_number -1 ("pick a free slot and tell
 * me"), then loads %gs with (entry << 3) | 3. Each task owns three GDT
 * descriptors (task->tls); the scheduler copies them into the CPU's GDT at
 * every switch (task.c: load_TLS), and the GDT is per CPU, so the same
 * selector means the task's own segment wherever it runs. The descriptor
 * is built from the user_desc fields the way Linux's fill_ldt does. */
#include "errno.h"
#include "preempt.h"
#include "sched.h"
#include "syscalls.h"
#include "traps.h"
#include "uaccess.h"

struct user_desc {
	u32 entry_number;
	u32 base_addr;
	u32 limit;
	u32 seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
	    seg_not_present : 1, useable : 1;
};

/* The "no segment" forms Linux accepts to clear a slot. */
static bool desc_empty(const struct user_desc *u)
{
	return (!u->base_addr && !u->limit && !u->contents && u->read_exec_only && !u->seg_32bit &&
		!u->limit_in_pages && u->seg_not_present && !u->useable) ||
	       (!u->base_addr && !u->limit && !u->contents && !u->read_exec_only && !u->seg_32bit &&
		!u->limit_in_pages && !u->seg_not_present && !u->useable);
}

static u64 fill_desc(const struct user_desc *u)
{
	u32 type = 1u | (u32)(!u->read_exec_only) << 1 | (u32)u->contents << 2; /* accessed, writable, kind */
	u32 access = (u32)(!u->seg_not_present) << 7 | 3u << 5 | 1u << 4 | type; /* P, DPL 3, code/data */
	u32 flags = (u32)u->limit_in_pages << 3 | (u32)u->seg_32bit << 2 | (u32)u->useable;

	return (u->limit & 0xffffULL) | ((u64)(u->base_addr & 0xffffff) << 16) | ((u64)access << 40) |
	       ((u64)((u->limit >> 16) & 0xf) << 48) | ((u64)flags << 52) | ((u64)(u->base_addr >> 24) << 56);
}

SYSCALL_DEFINE1(set_thread_area, __NR_set_thread_area, struct user_desc *, uinfo)
{
	struct user_desc u;
	struct task *t = current;

	if (copy_from_user(&u, uinfo, sizeof(u)))
		return -EFAULT;
	unsigned idx = u.entry_number;
	if (idx == 0xffffffffu) {
		for (idx = 0; idx < GDT_ENTRY_TLS_ENTRIES && t->tls[idx]; idx++)
			;
		if (idx == GDT_ENTRY_TLS_ENTRIES)
			return -ESRCH;
		idx += GDT_ENTRY_TLS_MIN;
		if (put_user(idx, &uinfo->entry_number))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	preempt_disable(); /* the descriptor and this CPU's GDT change together */
	t->tls[idx - GDT_ENTRY_TLS_MIN] = desc_empty(&u) ? 0 : fill_desc(&u);
	load_TLS(t->tls, arch_cpu_id());
	preempt_enable();
	return 0;
}
