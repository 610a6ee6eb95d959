/* fault.c - page faults and recoverable exceptions.
 *
 * do_page_fault is a dispatcher, in Linux's order:
 *   1. from user mode (CS RPL 3): do_user_addr_fault, the process's business:
 *      handle_mm_fault maps the page its regions allow, else SIGSEGV;
 *   2. from the kernel, at an instruction listed in the exception table:
 *      a user copy's fault on a user address may be a page not yet made
 *      (handle_mm_fault); otherwise resume at its fixup (the user copies
 *      and copy_from_kernel_nofault return -EFAULT). A fault while pagefault_disabled() (inside
 *      kmap_atomic) takes this path or oopses: it never sleeps to fix a page;
 *   3. anything else from the kernel: the oops, with the vmalloc guard-page
 *      explanation, then panic.
 * Other exceptions at a listed instruction (#UD, #DE, #GP) are fixed up the
 * same way; the probes below exist for tests of exactly that. */
#include "arch.h"
#include "asm_extable.h"
#include "errno.h"
#include "extable.h"
#include "mm_types.h"
#include "oom.h"
#include "panic.h"
#include "process.h"
#include "sched.h"
#include "printk.h"
#include "signal.h"
#include "traps.h"
#include "uaccess.h"
#include "x86.h"

static struct fixup_record fixups[NR_CPUS];

void last_fixup(struct fixup_record *out) { *out = fixups[arch_cpu_id()]; }

static void record(const struct trap_frame *f, unsigned long addr)
{
	struct fixup_record *r = &fixups[arch_cpu_id()];

	r->vector = (int)f->vector;
	r->error = f->error;
	r->ip = f->eip;
	r->addr = addr;
	r->count++;
}

/* Resume at the fixup of the faulting instruction, if it has one. An
 * instruction fetch that faulted at a call's target is found through the
 * return address the call pushed (EX_TYPE_CALL): the fixup then runs with
 * that return address still on the stack, and pops it. */
bool fixup_exception(struct trap_frame *f, unsigned long addr)
{
	const struct exception_table_entry *e = search_exception_tables(f->eip);

	if (!e && f->vector == 14 && (f->error & X86_PF_INSTR)) {
		unsigned long ret = *(unsigned long *)trap_frame_esp(f);
		e = search_exception_tables(ret);
		if (e && e->type != EX_TYPE_CALL)
			e = NULL;
	}
	if (!e)
		return false;
	record(f, addr);
	f->eip = e->fixup;
	return true;
}

static unsigned fault_flags(u32 error)
{
	return (error & X86_PF_WRITE ? FAULT_FLAG_WRITE : 0) |
	       (error & X86_PF_INSTR ? FAULT_FLAG_INSTRUCTION : 0);
}

/* A fault from ring 3: the process's regions say whether a page is due
 * (demand zero, the zero page, copy on write, a growing stack). If not,
 * SIGSEGV: to the process's handler (si_addr, no report), or its default
 * action ends the process, after Linux 6.1's line
 * (arch/x86/mm/fault.c show_signal_msg; Linux adds " in FILE[...]" for a
 * file-backed ip and a "Code:" line, which Highland leaves out). A fault
 * that cannot get a page kills the process (SIGKILL) with a report. The
 * kernel goes on either way. */
static void do_user_addr_fault(struct trap_frame *f, unsigned long addr)
{
	struct mm_struct *mm = current->mm;

	arch_irq_enable(); /* ring 3 ran with them on */
	int ret = mm && !(f->error & X86_PF_RSVD) ? handle_mm_fault(mm, addr, fault_flags(f->error))
						  : VM_FAULT_SIGSEGV;
	if (!ret)
		return;
	if (ret & VM_FAULT_OOM) {
		/* the allocator ran reclaim and the OOM killer (mm/oom_kill.c) */
		if (pagefault_out_of_memory())
			return; /* another process is giving memory back: fault again */
		if (!(current->pending_signals & (1UL << (SIGKILL - 1))))
			printk(KERN_ERR "Out of memory: Killed process %d (%s) total-vm:%lukB: no page "
			       "for its fault at %08lx\n", current_pid(), current_comm(),
			       mm->total_vm << (PAGE_SHIFT - 10), addr);
		force_sig_exit(SIGKILL); /* the OOM victim, or nobody else could be */
	}
	current->fault_trapno = 14;
	current->fault_error = f->error;
	current->fault_cr2 = (u32)addr;
	if (ret & VM_FAULT_SIGBUS) { /* a file mapping past its file's end */
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
		return;
	}
#define SEGV_FMT "%s[%d]: segfault at %lx ip %08x sp %08x error %x\n"
	int code = f->error & X86_PF_PROT ? SEGV_ACCERR : SEGV_MAPERR;
	if (sig_handled(SIGSEGV)) { /* its handler gets it, with si_addr: no report */
		force_sig_fault(SIGSEGV, code, addr);
		return;
	}
	if (current_pid() > 1)
		printk(KERN_INFO SEGV_FMT, current_comm(), current_pid(), addr, f->eip,
		       trap_frame_user_sp(f), f->error);
	else /* init: Linux says it louder */
		printk(KERN_EMERG SEGV_FMT, current_comm(), current_pid(), addr, f->eip,
		       trap_frame_user_sp(f), f->error);
	force_sig_fault(SIGSEGV, code, addr); /* blocked or ignored: it ends the process */
}

/* A kernel fault on a user address inside a user copy (an instruction in
 * the exception table, page faults allowed, interrupts were on): the page
 * may just not be there yet. True if handle_mm_fault mapped it. */
static bool uaccess_fault(struct trap_frame *f, unsigned long addr)
{
	struct task *t = current;

	if (addr >= TASK_SIZE || !t || !t->mm || pagefault_disabled() || !(f->eflags & 0x200) ||
	    !search_exception_tables(f->eip))
		return false;
	arch_irq_enable();
	return handle_mm_fault(t->mm, addr, fault_flags(f->error)) == 0;
}

void do_page_fault(struct trap_frame *f, unsigned long addr)
{
	if (f->cs & 3) {
		do_user_addr_fault(f, addr);
		return;
	}
	/* The kernel's own mappings are all made in advance (every PGD shares
	 * the kernel PMD, so there is no vmalloc_fault); only a user copy's
	 * fault may be fixed by mapping a page. */
	if (uaccess_fault(f, addr) || fixup_exception(f, addr))
		return;
	if (pagefault_disabled())
		printk(KERN_EMERG "#PF: page faults were disabled (inside kmap_atomic or "
		       "pagefault_disable): nothing could have been fixed by sleeping\n");
	oops_print(f, (u32)addr);
	panic("Fatal exception: %s", trap_name(f->vector));
}

/* ---- probes ----
 * Each marks the instruction that may fault `1:` and the point after it
 * `2:`; EFAULT_FIXUP adds the fixup (err = -EFAULT, resume at 2:) and the
 * table entry pairing them. */
#define EFAULT_FIXUP                                                               \
	".pushsection .fixup, \"ax\"\n"                                           \
	"3:	movl %[efault], %[err]\n"                                          \
	"	jmp 2b\n"                                                          \
	".popsection\n" _ASM_EXTABLE(1b, 3b)

static long copy_nofault(void *dst, const void *src, size_t size)
{
	long err = 0;

	__asm__ volatile("1:	rep movsb\n"
			 "2:\n"
			 EFAULT_FIXUP
			 : [err] "+r"(err), "+D"(dst), "+S"(src), "+c"(size)
			 : [efault] "i"(-EFAULT)
			 : "memory");
	return err;
}

long copy_from_kernel_nofault(void *dst, const void *src, size_t size) { return copy_nofault(dst, src, size); }
long copy_to_kernel_nofault(void *dst, const void *src, size_t size) { return copy_nofault(dst, src, size); }

long call_nofault(void (*fn)(void))
{
	long err = 0;

	__asm__ volatile("	call *%[fn]\n"
			 "1:\n"
			 ".pushsection .fixup, \"ax\"\n"
			 "2:	addl $4, %%esp\n" /* the return address the call pushed */
			 "	movl %[efault], %[err]\n"
			 "	jmp 1b\n"
			 ".popsection\n"
			 _ASM_EXTABLE_TYPE(1b, 2b, 1)
			 : [err] "+r"(err)
			 : [fn] "r"(fn), [efault] "i"(-EFAULT)
			 : "eax", "ecx", "edx", "memory", "cc");
	return err;
}

long ud2_nofault(void)
{
	long err = 0;

	__asm__ volatile("1:	ud2\n"
			 "2:\n"
			 EFAULT_FIXUP
			 : [err] "+r"(err)
			 : [efault] "i"(-EFAULT));
	return err;
}

long divide_by_zero_nofault(void)
{
	long err = 0;
	u32 lo = 10, hi = 0, zero = 0;

	__asm__ volatile("1:	divl %[d]\n"
			 "2:\n"
			 EFAULT_FIXUP
			 : [err] "+r"(err), "+a"(lo), "+d"(hi)
			 : [d] "r"(zero), [efault] "i"(-EFAULT)
			 : "cc");
	return err;
}
