/* user.c - ring 3: going there, coming back through int $0x80, and what
 * an exception from there means.
 *
 * Going there: an iret frame (ss 0x23, esp, eflags with IF, cs 0x1b, eip)
 * built on the task's kernel stack; everything below it is abandoned, since
 * the next entry from ring 3 starts again at the stack's top (TSS esp0,
 * set at every switch by task.c).
 *
 * Coming back: entry.asm's entry_INT80_32 saves the registers as a
 * trap_frame and loads the kernel's segments and this CPU's %fs, as for any
 * interrupt, then calls do_int80_syscall_32 directly; the int $0x80 gate
 * has DPL 3 so ring 3 may use it. The call's arguments
 * are the saved ebx, ecx, edx, esi, edi, ebp; its result replaces the saved
 * eax, which the iret gives back.
 *
 * An exception from ring 3 (other than a page fault: fault.c) is the
 * process's mistake: the signal Linux sends for it, which its handler gets
 * (with si_addr), or whose default action ends the process, with Linux's
 * "traps:" line. Before every return to ring 3, exit_to_user_mode takes
 * pending signals and restarts interrupted calls (arch/x86/signal.c). */
#include "cpu.h"
#include "kstring.h"
#include "preempt.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"
#include "traps.h"
#include "uaccess.h"
#include "x86.h"

#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_SMEP (1u << 20)
#define CR4_SMAP (1u << 21)

static bool has_fxsr; /* else fnsave/frstor: the x87 registers only */

void arch_fpu_switch(struct task *prev, struct task *next)
{
	if (prev->is_process) {
		if (has_fxsr)
			__asm__ volatile("fxsave %0" : "=m"(prev->fpu_state));
		else
			__asm__ volatile("fnsave %0; fwait" : "=m"(prev->fpu_state));
	}
	if (next->is_process) {
		if (has_fxsr)
			__asm__ volatile("fxrstor %0" : : "m"(next->fpu_state));
		else
			__asm__ volatile("frstor %0" : : "m"(next->fpu_state));
	}
}

void arch_fpu_init_current(struct task *t)
{
	/* nothing of the last program's registers may show through */
	__builtin_memset(t->fpu_state, 0, sizeof(t->fpu_state));
	__asm__ volatile("fninit");
	if (has_fxsr) {
		*(u16 *)&t->fpu_state[0] = 0x37f;    /* FCW: Linux's default */
		*(u32 *)&t->fpu_state[24] = 0x1f80;  /* MXCSR: exceptions masked */
		__asm__ volatile("fxrstor %0" : : "m"(t->fpu_state));
	} else {
		__asm__ volatile("fnsave %0; frstor %0" : "+m"(t->fpu_state));
	}
}

void arch_fpu_copy_current(struct task *child)
{
	if (has_fxsr)
		__asm__ volatile("fxsave %0" : "=m"(child->fpu_state));
	else /* fnsave reinitialises the FPU: load it back */
		__asm__ volatile("fnsave %0; frstor %0" : "+m"(child->fpu_state));
}

void arch_user_init(void)
{
	u32 a, b, c, d;

	syscall_table_init();
	cpuid(1, 0, &a, &b, &c, &d);
	u32 cr4 = read_cr4();
	if (d & (1u << 24)) { /* FXSR: fxsave/fxrstor, and SSE may be enabled */
		has_fxsr = true;
		cr4 |= CR4_OSFXSR | ((d & (1u << 25)) ? CR4_OSXMMEXCPT : 0);
		write_cr4(cr4);
	}
	if (boot_cpu.max_leaf < 7)
		return;
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1u << 7)) {
		cr4 |= CR4_SMEP;
		x86_smep_enabled = true;
	}
	if (b & (1u << 20)) {
		cr4 |= CR4_SMAP;
		x86_smap_enabled = true;
	}
	write_cr4(cr4);
	pr_info("x86: SMEP %s, SMAP %s (the kernel %s user pages)\n",
		x86_smep_enabled ? "on" : "not supported", x86_smap_enabled ? "on" : "not supported",
		x86_smap_enabled ? "touches only through uaccess between stac/clac:" : "may touch");
}

__noreturn void start_user_thread(unsigned long eip, unsigned long esp)
{
	__asm__ volatile("cli\n\t"
			 "pushl $0x23\n\t"   /* ss */
			 "pushl %1\n\t"      /* esp */
			 "pushl $0x202\n\t"  /* eflags: IF */
			 "pushl $0x1b\n\t"   /* cs */
			 "pushl %0\n\t"      /* eip */
			 "movw $0x23, %%ax\n\t"
			 "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
			 "xorl %%ebx, %%ebx\n\txorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\t"
			 "xorl %%esi, %%esi\n\txorl %%edi, %%edi\n\txorl %%ebp, %%ebp\n\t"
			 "iret"
			 : : "r"(eip), "r"(esp) : "memory");
	__builtin_unreachable();
}

/* Is there work before this return to ring 3? One test of the pending
 * words, as Linux tests one _TIF_WORK mask: a signal pending at all
 * (blocked or not: the slow path tells them apart), a signal mask to
 * put back, or an interrupted system call to restart (only int $0x80's
 * caller passes a result; the other entries pass 0). */
static inline __attribute__((always_inline)) bool exit_work_pending(const struct task *t, long ret)
{
	return (t->pending_signals | t->pending_rt | t->restore_sigmask) ||
	       (unsigned long)(ret + ERESTART_RESTARTBLOCK) <= ERESTART_RESTARTBLOCK - ERESTARTSYS;
}

static void exit_to_user_mode_slow(struct task *t);

/* int $0x80 comes here from its own entry (entry.asm: entry_INT80_32),
 * not through trap_handler: the call, then the exit work. */
void do_int80_syscall_32(struct trap_frame *f)
{
	if (unlikely(!(f->cs & 3))) { /* a kernel int $0x80: no system call, an unexpected vector */
		trap_handler(f);
		return;
	}
	if (x86_smap_enabled)
		__asm__ volatile("clac" : : : "memory"); /* ring 3 may have set EFLAGS.AC */
	struct syscall_args args = { { f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp } };
	struct task *t = current;

	arch_irq_enable(); /* the gate turned them off; ring 3 had them on */
	t->syscall_nr = (long)f->eax; /* for a restart after a signal (signal.c) */
	long ret = syscall_dispatch(f->eax, &args);
	f->eax = (u32)ret;
	if (unlikely(exit_work_pending(t, ret)))
		exit_to_user_mode_slow(t);
}

struct pt_regs *task_pt_regs(struct task *t)
{
	return (struct pt_regs *)((char *)t->stack_hi - sizeof(struct pt_regs));
}

void pt_regs_set_sp(struct pt_regs *regs, unsigned long sp) { regs->sp = (u32)sp; }

__noreturn void ret_from_fork_user(const struct pt_regs *regs)
{
	__asm__ volatile("cli\n\t"
			 "movl %0, %%esp\n\t"
			 "movl $0, %c1(%%esp)\n\t" /* fork returns 0 in the child */
			 "jmp trap_return"
			 : : "r"(regs), "i"(__builtin_offsetof(struct trap_frame, eax)) : "memory");
	__builtin_unreachable();
}

/* Signals (handlers, default actions) and restarts of interrupted calls:
 * arch/x86/signal.c. A call's -ERESTART* result is never left for ring 3.
 * Every entry from ring 3 but int $0x80 (which tests the same inline). */
void exit_to_user_mode(void)
{
	struct task *t = current;

	if (unlikely(exit_work_pending(t, 0)))
		exit_to_user_mode_slow(t);
}

/* The cheap test said "maybe": look closely. */
static __attribute__((noinline)) void exit_to_user_mode_slow(struct task *t)
{
	struct pt_regs *regs = task_pt_regs(t);
	long ret = (long)regs->f.eax;
	bool restart = regs->f.vector == IA32_SYSCALL_VECTOR && t->syscall_nr >= 0 &&
		       ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK;

	if (!signal_pending(t) && !restart && !t->restore_sigmask)
		return;
	arch_irq_enable();
	arch_do_signal_or_restart(regs);
}

/* The user's stack pointer: what the CPU pushed above eflags. */
static u32 user_sp(const struct trap_frame *f) { return ((const u32 *)(&f->eflags + 1))[0]; }

void do_user_trap(struct trap_frame *f)
{
	int sig;
	const char *what;

	int code = SI_KERNEL;
	u32 addr = f->eip;

	switch (f->vector) {
	case 0: sig = SIGFPE; what = "divide error"; code = FPE_INTDIV; break;
	case 1: sig = SIGTRAP; what = "debug"; code = TRAP_BRKPT; break;
	case 3: sig = SIGTRAP; what = "int3"; code = SI_KERNEL; break;
	case 6: sig = SIGILL; what = "invalid opcode"; code = ILL_ILLOPN; break;
	case 13: sig = SIGSEGV; what = NULL; addr = 0; break;
	case 17: sig = SIGBUS; what = "alignment check"; code = BUS_ADRERR; break;
	default: sig = SIGSEGV; what = trap_name(f->vector); break;
	}
	arch_irq_enable();
	current->fault_trapno = f->vector;
	current->fault_error = f->error;
	current->fault_cr2 = 0;
	if (sig_handled(sig)) { /* the handler gets it (and si_addr), no report */
		force_sig_fault(sig, code, addr);
		return;
	}
	/* Linux 6.1's lines (arch/x86/kernel/traps.c: do_trap, do_general_protection). */
	if (what)
		printk(KERN_INFO "traps: %s[%d] trap %s ip:%x sp:%x error:%x\n", current_comm(),
		       current_pid(), what, f->eip, user_sp(f), f->error);
	else
		printk(KERN_INFO "traps: %s[%d] general protection fault ip:%x sp:%x error:%x\n",
		       current_comm(), current_pid(), f->eip, user_sp(f), f->error);
	force_sig_fault(sig, code, addr); /* blocked or ignored: it ends the process */
}

/* For fault.c's report. */
u32 trap_frame_user_sp(const struct trap_frame *f) { return user_sp(f); }

/* execve's new program (Linux's start_thread): the saved user registers
 * become the entry state of the i386 ELF ABI, every general register 0
 * (edx 0: no atexit function from a dynamic loader), flat user segments,
 * no TLS (the old program's descriptors are cleared here and in the GDT). */
void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long sp)
{
	struct trap_frame *f = &regs->f;

	f->edi = f->esi = f->ebp = f->ebx = f->edx = f->ecx = f->eax = 0;
	f->ds = f->es = 0x23;
	f->fs = f->gs = 0;
	f->eip = (u32)eip;
	f->cs = 0x1b;
	f->eflags = 0x202; /* IF */
	regs->sp = (u32)sp;
	regs->ss = 0x23;
	preempt_disable();
	memset(current->tls, 0, sizeof(current->tls));
	load_TLS(current->tls, smp_processor_id());
	preempt_enable();
}

unsigned long arch_elf_hwcap(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return d;
}
