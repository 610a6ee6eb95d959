/* signal.c - i386 signal frames: what a handler finds on its stack, and
 * sigreturn/rt_sigreturn that put the interrupted state back.
 *
 * Linux i386's layouts (arch/x86/include/uapi/asm/sigcontext.h,
 * arch/x86/include/asm/sigframe.h), because glibc's restorers and every
 * debugger read them: a handler without SA_SIGINFO gets the old struct
 * sigframe { pretcode, sig, sigcontext, fpstate_unused, extramask,
 * retcode } and returns through sigreturn (119); with SA_SIGINFO it gets
 * struct rt_sigframe { pretcode, sig, pinfo, puc, siginfo, ucontext,
 * retcode } and returns through rt_sigreturn (173). The FPU state (struct
 * _fpstate_32: the fsave image, then with FXSR the fxsave image at offset
 * 112, magic 0) sits above the frame, 64-byte aligned, and the handler
 * starts with a clean FPU. The frame ends so that the handler's %esp+4 is
 * 16-byte aligned, as the i386 ABI wants at a call.
 *
 * What comes back is checked, as Linux does, since the user may have
 * written anything there: only the arithmetic flags, TF, DF, RF and AC
 * come from the frame (never IOPL, IF, NT or VM); CS must be the user code
 * segment, SS the user data segment and DS/ES/FS/GS null, user data or a
 * TLS descriptor the task has - anything else would fault at the kernel's
 * iret, so the process gets SIGSEGV instead (Linux gets there through the
 * iret's fault). The MXCSR's reserved bits are cleared before fxrstor. */
#include "cpu.h"
#include "errno.h"
#include "kstring.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"
#include "traps.h"
#include "uaccess.h"
#include "x86.h"

struct sigcontext32 {
	u16 gs, __gsh, fs, __fsh, es, __esh, ds, __dsh;
	u32 di, si, bp, sp, bx, dx, cx, ax;
	u32 trapno, err, ip;
	u16 cs, __csh;
	u32 flags, sp_at_signal;
	u16 ss, __ssh;
	u32 fpstate; /* user address of struct _fpstate_32, 0: none */
	u32 oldmask, cr2;
};
_Static_assert(sizeof(struct sigcontext32) == 88, "i386 struct sigcontext");

struct ucontext32 {
	u32 uc_flags, uc_link;
	u32 ss_sp, ss_flags, ss_size; /* stack_t */
	struct sigcontext32 uc_mcontext;
	u64 uc_sigmask;
};
_Static_assert(sizeof(struct ucontext32) == 116, "i386 struct ucontext");

#define FPSTATE_SIZE 624 /* struct _fpstate_32 */
#define FXSR_OFFSET 112  /* the fxsave image inside it */

struct rt_sigframe32 {
	u32 pretcode;
	int sig;
	u32 pinfo, puc;
	struct siginfo info;
	struct ucontext32 uc;
	u8 retcode[8];
};
_Static_assert(sizeof(struct rt_sigframe32) == 268, "i386 struct rt_sigframe");

struct sigframe32 {
	u32 pretcode;
	int sig;
	struct sigcontext32 sc;
	u8 fpstate_unused[FPSTATE_SIZE];
	u32 extramask;
	u8 retcode[8];
};
_Static_assert(sizeof(struct sigframe32) == 732, "i386 struct sigframe");

#define FIX_EFLAGS 0x50dd5u /* AC RF OF DF TF SF ZF AF PF CF */
#define USER_CS 0x1b
#define USER_DS 0x23
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

static bool fxsr(void) { return (read_cr4() & (1u << 9)) != 0; } /* CR4.OSFXSR */

/* ---- the FPU state ---- */

/* fxsave's abridged tag bits to fsave's full tag word (by register contents). */
static u32 full_tag_word(const u8 *fx)
{
	u16 fsw = *(const u16 *)(fx + 2);
	u8 ftw = fx[4];
	unsigned top = (fsw >> 11) & 7;
	u32 tag = 0;

	for (unsigned phys = 0; phys < 8; phys++) {
		unsigned t = 3; /* empty */
		if (ftw & (1u << phys)) {
			const u8 *st = fx + 32 + 16 * ((phys - top) & 7);
			u16 exp = *(const u16 *)(st + 8) & 0x7fff;
			u64 mant = *(const u64 *)st;
			if (exp == 0x7fff)
				t = 2;
			else if (exp == 0)
				t = mant ? 2 : 1;
			else
				t = (mant >> 63) ? 0 : 2;
		}
		tag |= t << (2 * phys);
	}
	return tag | 0xffff0000u;
}

/* The live FPU registers of current as a struct _fpstate_32, into buf. */
static void save_fpstate(u8 *buf)
{
	memset(buf, 0, FPSTATE_SIZE);
	preempt_disable(); /* the registers are current's while it holds the CPU */
	if (fxsr()) {
		u8 *fx = buf + FXSR_OFFSET; /* 16-byte aligned: buf is */
		__asm__ volatile("fxsave %0" : "=m"(*(u8(*)[512])fx));
		preempt_enable();
		u32 *env = (u32 *)buf;
		env[0] = *(u16 *)fx | 0xffff0000u;        /* cw */
		env[1] = *(u16 *)(fx + 2) | 0xffff0000u;  /* sw */
		env[2] = full_tag_word(fx);
		env[3] = *(u32 *)(fx + 8);                 /* ipoff */
		env[4] = *(u16 *)(fx + 12) | ((u32)(*(u16 *)(fx + 6) & 0x7ff) << 16); /* cs, fop */
		env[5] = *(u32 *)(fx + 16);                /* dataoff */
		env[6] = *(u16 *)(fx + 20) | 0xffff0000u;  /* datasel */
		for (int i = 0; i < 8; i++)
			memcpy(buf + 28 + 10 * i, fx + 32 + 16 * i, 10);
		*(u16 *)(buf + 108) = *(u16 *)(fx + 2); /* status */
		*(u16 *)(buf + 110) = 0;                /* magic: X86_FXSR_MAGIC */
	} else {
		__asm__ volatile("fnsave %0; frstor %0" : "+m"(*(u8(*)[108])buf));
		preempt_enable();
		*(u16 *)(buf + 108) = *(u16 *)(buf + 4);
		*(u16 *)(buf + 110) = 0xffff; /* fsave data only */
	}
}

/* Load the FPU registers from a struct _fpstate_32 (already in kernel memory). */
static void restore_fpstate(u8 *buf)
{
	preempt_disable();
	if (fxsr() && *(u16 *)(buf + 110) != 0xffff) {
		u8 *fx = buf + FXSR_OFFSET;
		*(u32 *)(fx + 24) &= 0xffbf; /* MXCSR: no reserved bit (nor DAZ) */
		__asm__ volatile("fxrstor %0" : : "m"(*(u8(*)[512])fx));
	} else {
		__asm__ volatile("frstor %0" : : "m"(*(u8(*)[108])buf));
	}
	preempt_enable();
}

/* A handler starts with Linux's initial FPU state. */
static void clear_fpu(void)
{
	preempt_disable();
	arch_fpu_init_current(current);
	preempt_enable();
}

/* ---- building a frame ---- */

static bool on_sig_stack(struct task *t, u32 sp)
{
	return t->sas_ss_size && sp - t->sas_ss_sp <= t->sas_ss_size;
}

/* Where the frame of frame_size goes; *fp: the FPU state's place. */
static u32 get_sigframe(const struct ksignal *ks, const struct pt_regs *regs, u32 frame_size,
			u32 *fp)
{
	struct task *t = current;
	u32 sp = regs->sp;

	if ((ks->ka.flags & SA_ONSTACK) && t->sas_ss_size && !on_sig_stack(t, sp))
		sp = (u32)(t->sas_ss_sp + t->sas_ss_size);
	sp = (sp - FPSTATE_SIZE) & ~63u;
	*fp = sp;
	sp -= frame_size;
	return ((sp + 4) & ~15u) - 4;
}

static void fill_sigcontext(struct sigcontext32 *sc, const struct pt_regs *regs, u32 fp,
			    u32 oldmask)
{
	const struct trap_frame *f = &regs->f;
	struct task *t = current;

	memset(sc, 0, sizeof(*sc));
	sc->gs = (u16)f->gs;
	sc->fs = (u16)f->fs;
	sc->es = (u16)f->es;
	sc->ds = (u16)f->ds;
	sc->di = f->edi, sc->si = f->esi, sc->bp = f->ebp, sc->sp = regs->sp;
	sc->bx = f->ebx, sc->dx = f->edx, sc->cx = f->ecx, sc->ax = f->eax;
	sc->trapno = t->fault_trapno;
	sc->err = t->fault_error;
	sc->ip = f->eip;
	sc->cs = (u16)f->cs;
	sc->flags = f->eflags;
	sc->sp_at_signal = regs->sp;
	sc->ss = (u16)regs->ss;
	sc->fpstate = fp;
	sc->oldmask = oldmask;
	sc->cr2 = t->fault_cr2;
}

/* The rt frame (SA_SIGINFO) for ks at frame, its FPU state at fp; false if unwritable. */
static bool put_rt_frame(struct ksignal *ks, sigset_t oldmask, struct pt_regs *regs, u32 frame,
			 u32 fp)
{
	struct task *t = current;
	struct rt_sigframe32 k;
	/* movl $173, %eax; int $0x80 - if no restorer (glibc always gives one) */
	static const u8 rc[8] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0 };

	memset(&k, 0, sizeof(k));
	k.sig = ks->sig;
	k.pinfo = frame + __builtin_offsetof(struct rt_sigframe32, info);
	k.puc = frame + __builtin_offsetof(struct rt_sigframe32, uc);
	k.info = ks->info;
	k.uc.ss_sp = (u32)t->sas_ss_sp;
	k.uc.ss_flags = t->sas_ss_size ? (on_sig_stack(t, regs->sp) ? SS_ONSTACK : 0) : SS_DISABLE;
	k.uc.ss_size = (u32)t->sas_ss_size;
	fill_sigcontext(&k.uc.uc_mcontext, regs, fp, (u32)oldmask);
	k.uc.uc_sigmask = oldmask;
	memcpy(k.retcode, rc, sizeof(rc));
	k.pretcode = ks->ka.flags & SA_RESTORER
			     ? (u32)ks->ka.restorer
			     : frame + __builtin_offsetof(struct rt_sigframe32, retcode);
	if (copy_to_user((void *)frame, &k, sizeof(k)))
		return false;
	regs->f.edx = k.pinfo; /* regparm(3) handlers: (sig, info, uc) */
	regs->f.ecx = k.puc;
	return true;
}

/* The old frame (no SA_SIGINFO) for ks at frame; false if unwritable. */
static bool put_frame(struct ksignal *ks, sigset_t oldmask, struct pt_regs *regs, u32 frame,
		      u32 fp)
{
	struct sigframe32 k;
	/* popl %eax; movl $119, %eax; int $0x80 */
	static const u8 rc[8] = { 0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80 };

	memset(&k, 0, sizeof(k));
	k.sig = ks->sig;
	fill_sigcontext(&k.sc, regs, fp, (u32)oldmask);
	k.extramask = (u32)(oldmask >> 32);
	memcpy(k.retcode, rc, sizeof(rc));
	k.pretcode = ks->ka.flags & SA_RESTORER
			     ? (u32)ks->ka.restorer
			     : frame + __builtin_offsetof(struct sigframe32, retcode);
	regs->f.edx = regs->f.ecx = 0;
	return !copy_to_user((void *)frame, &k, sizeof(k));
}

bool setup_rt_frame(struct ksignal *ks, sigset_t oldmask, struct pt_regs *regs)
{
	u8 fpbuf[FPSTATE_SIZE] __attribute__((aligned(16)));
	bool rt = ks->ka.flags & SA_SIGINFO;
	u32 fp;
	u32 frame = get_sigframe(ks, regs, rt ? sizeof(struct rt_sigframe32)
					      : sizeof(struct sigframe32), &fp);

	save_fpstate(fpbuf);
	if (copy_to_user((void *)fp, fpbuf, FPSTATE_SIZE))
		return false;
	if (!(rt ? put_rt_frame : put_frame)(ks, oldmask, regs, frame, fp))
		return false;
	regs->sp = frame;
	regs->f.eip = (u32)ks->ka.handler;
	regs->f.eax = (u32)ks->sig;
	regs->f.cs = USER_CS;
	regs->f.ds = regs->f.es = USER_DS;
	regs->ss = USER_DS;
	regs->f.eflags &= ~(0x400u | 0x100u | 0x10000u); /* DF TF RF */
	clear_fpu();
	return true;
}

/* ---- coming back: sigreturn ---- */

/* May ring 3 load this selector into DS/ES/FS/GS? */
static bool user_data_selector(u32 sel)
{
	sel &= 0xffff;
	if (sel <= 3)
		return true; /* null */
	if (sel == USER_DS)
		return true;
	unsigned idx = sel >> 3;
	if ((sel & 7) != 3 || idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return false;
	u64 d = current->tls[idx - GDT_ENTRY_TLS_MIN];
	return (d >> 47) & 1; /* present (set_thread_area made it a user data segment) */
}

/* sc's registers into regs, after the checks; false: a forged frame. */
static bool restore_sigcontext(struct pt_regs *regs, const struct sigcontext32 *sc)
{
	struct trap_frame *f = &regs->f;

	if (sc->cs != USER_CS || sc->ss != USER_DS || !user_data_selector(sc->ds) ||
	    !user_data_selector(sc->es) || !user_data_selector(sc->fs) ||
	    !user_data_selector(sc->gs))
		return false;
	f->gs = sc->gs, f->fs = sc->fs, f->es = sc->es, f->ds = sc->ds;
	f->edi = sc->di, f->esi = sc->si, f->ebp = sc->bp;
	f->ebx = sc->bx, f->edx = sc->dx, f->ecx = sc->cx, f->eax = sc->ax;
	f->eip = sc->ip;
	f->cs = USER_CS;
	f->eflags = (f->eflags & ~FIX_EFLAGS) | (sc->flags & FIX_EFLAGS);
	regs->sp = sc->sp;
	regs->ss = USER_DS;
	current->syscall_nr = -1; /* what the frame interrupted is never restarted again */
	u8 fpbuf[FPSTATE_SIZE] __attribute__((aligned(16)));
	if (!sc->fpstate)
		clear_fpu();
	else if (copy_from_user(fpbuf, (const void *)sc->fpstate, FPSTATE_SIZE))
		return false;
	else
		restore_fpstate(fpbuf);
	return true;
}

static void set_blocked_from_frame(sigset_t m)
{
	current->blocked = m & ~SIG_UNBLOCKABLE;
}

/* A bad frame: Linux's signal_fault, SIGSEGV (the process ends unless it
 * has a handler on another stack). */
static long bad_frame(void)
{
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn, 173)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct ucontext32 uc;
	u32 frame = regs->sp - 4; /* the handler's ret popped pretcode */

	if (copy_from_user(&uc, (const void *)(frame + __builtin_offsetof(struct rt_sigframe32, uc)),
			   sizeof(uc)))
		return bad_frame();
	set_blocked_from_frame(uc.uc_sigmask);
	if (!restore_sigcontext(regs, &uc.uc_mcontext))
		return bad_frame();
	return (long)regs->f.eax;
}

SYSCALL_DEFINE0(sigreturn, 119)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct sigcontext32 sc;
	u32 extra;
	u32 frame = regs->sp - 8; /* pretcode by ret, sig by the restorer's popl */

	if (copy_from_user(&sc, (const void *)(frame + __builtin_offsetof(struct sigframe32, sc)),
			   sizeof(sc)) ||
	    copy_from_user(&extra,
			   (const void *)(frame + __builtin_offsetof(struct sigframe32, extramask)),
			   sizeof(extra)))
		return bad_frame();
	set_blocked_from_frame(((u64)extra << 32) | sc.oldmask);
	if (!restore_sigcontext(regs, &sc))
		return bad_frame();
	return (long)regs->f.eax;
}

SYSCALL_DEFINE2(sigaltstack, 186, const u32 *, uss, u32 *, uoss)
{
	struct task *t = current;
	u32 sp = task_pt_regs(t)->sp;
	u32 old[3] = { (u32)t->sas_ss_sp,
		       t->sas_ss_size ? (on_sig_stack(t, sp) ? SS_ONSTACK : 0) : SS_DISABLE,
		       (u32)t->sas_ss_size };

	if (uss) {
		u32 n[3]; /* ss_sp, ss_flags, ss_size */
		if (copy_from_user(n, uss, sizeof(n)))
			return -EFAULT;
		if (on_sig_stack(t, sp))
			return -EPERM;
		if (n[1] != 0 && n[1] != SS_DISABLE && n[1] != SS_ONSTACK)
			return -EINVAL;
		if (n[1] == SS_DISABLE) {
			t->sas_ss_sp = t->sas_ss_size = 0;
		} else {
			if (n[2] < MINSIGSTKSZ)
				return -ENOMEM;
			t->sas_ss_sp = n[0];
			t->sas_ss_size = n[2];
		}
	}
	return uoss && copy_to_user(uoss, old, sizeof(old)) ? -EFAULT : 0;
}

/* ---- before the return to ring 3 ---- */

/* An interrupted call's -ERESTART* becomes -EINTR or a restart (the
 * int $0x80 again: eip back over it, eax the call's number). */
static void syscall_restart(struct pt_regs *regs, const struct ksignal *ks)
{
	struct task *t = current;
	long nr = t->syscall_nr;
	long ret = (long)regs->f.eax;

	if (regs->f.vector != IA32_SYSCALL_VECTOR || nr < 0)
		return;
	t->syscall_nr = -1;
	switch (ret) {
	case -ERESTART_RESTARTBLOCK:
		if (!ks) {
			regs->f.eax = 0; /* restart_syscall */
			regs->f.eip -= 2;
			return;
		}
		/* fall through */
	case -ERESTARTNOHAND:
		if (ks) {
			regs->f.eax = (u32)-EINTR;
			return;
		}
		break;
	case -ERESTARTSYS:
		if (ks && !(ks->ka.flags & SA_RESTART)) {
			regs->f.eax = (u32)-EINTR;
			return;
		}
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	regs->f.eax = (u32)nr;
	regs->f.eip -= 2; /* int $0x80 is two bytes: cd 80 */
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct task *t = current;
	struct ksignal ks;

	for (int n = 0; n < _NSIG; n++) {
		if (!get_signal(&ks))
			break;
		syscall_restart(regs, &ks);
		sigset_t old = t->restore_sigmask ? t->saved_sigmask : t->blocked;
		if (!setup_rt_frame(&ks, old, regs)) { /* no room for the frame: Linux's force_sigsegv */
			if (ks.sig == SIGSEGV && t->sighand)
				t->sighand->action[SIGSEGV - 1].handler = SIG_DFL;
			force_sig_fault(SIGSEGV, SI_KERNEL, 0);
			continue;
		}
		t->restore_sigmask = false;
		signal_delivered(&ks);
	}
	syscall_restart(regs, NULL); /* no handler ran for it: restart */
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		t->blocked = t->saved_sigmask;
	}
}
