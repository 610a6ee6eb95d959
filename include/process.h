/* process.h - processes: entering user mode, the end of a process, and the
 * signals that end one.
 *
 * A process is a task with an mm (its user address space). It runs in ring
 * 3 and comes back into the kernel only through an interrupt, an exception
 * or int $0x80, each time on its own kernel stack (TSS esp0). A fault it
 * cannot be forgiven (a bad access, an illegal instruction) is a signal
 * whose default action ends it, with Linux's one-line report; the kernel
 * goes on. Numbers and the wait4 status encoding are Linux's. */
#ifndef HL_PROCESS_H
#define HL_PROCESS_H

#include "types.h"

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGTERM 15

/* wait4's status: exited with code (low 8 bits) or killed by sig. */
#define W_EXITCODE(code, sig) ((((code) & 0xff) << 8) | (sig))

struct page;

/* End the current process: its user memory and address space go, and the
 * task ends with wait4 status `status` (W_EXITCODE). */
__noreturn void do_exit(int status);
/* The default action of a fatal signal: end the current process with it. */
__noreturn void force_sig_exit(int sig);

/* Enter ring 3 at eip with stack pointer esp, interrupts on, every general
 * register 0 (arch/x86/user.c). The current task must have its mm loaded. */
__noreturn void start_user_thread(unsigned long eip, unsigned long esp);
/* SMEP, SMAP (when CPUID has them) and the system-call table; once, at boot
 * before the other CPUs start (they copy CR4 from the boot CPU). */
void arch_user_init(void);

/* A program given as raw position-independent i386 code (the in-kernel
 * tests' programs, until execve loads ELF files): its code is copied to a
 * read-only, executable page at USER_IMAGE_BASE, a zeroed stack page ends at
 * USER_STACK_TOP with `arg` on top ([esp] at entry), and `shared` (if not
 * NULL: the caller keeps its own reference) is mapped read-write at
 * USER_SHARED_BASE, so the caller can read what the program left there. */
struct user_image {
	const void *code;
	size_t size; /* at most a page */
	unsigned long arg;
	struct page *shared;
};
#define USER_IMAGE_BASE 0x08048000UL
#define USER_SHARED_BASE 0x00400000UL
#define USER_STACK_TOP 0xbffff000UL
/* Give the current kernel thread a new mm holding img and enter it; returns
 * only on failure (-ENOMEM, -EINVAL), with nothing left allocated. */
int exec_user_image(const struct user_image *img);

#endif
