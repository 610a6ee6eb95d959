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
/* The current kernel thread becomes a process running the program at path
 * (kernel/execve.c: ELF or "#!"), with kernel-memory argv and envp; its
 * files must be set up (console_setup_init_files). Returns only on failure,
 * -errno, with nothing changed: the first user process (init). */
int kernel_execve(const char *path, const char *const *argv, const char *const *envp);

/* ---- the process family (kernel/fork.c) ---- */
struct task;
/* t becomes a process, child of parent (NULL: the kernel thread that
 * created it joins it itself). Before t first runs. */
void process_init(struct task *t, struct task *parent);
/* t is off its CPU for good (kthread_task_gone): wake its parent's wait4,
 * or queue it for reap_orphans if its parent is gone. */
void exit_notify_parent(struct task *t);
/* t is ending: its children become orphans. */
void forget_children(struct task *t);
/* Is there a live process with this pid? */
bool process_exists(int pid);
/* Send sig to the live process pid (send_signal_locked: it acts on it before
 * ring 3); false if none. */
bool signal_process(int pid, int sig);
/* fn for every live process, tasklist_lock held (fn must not sleep). */
void for_each_process(void (*fn)(struct task *t, void *arg), void *arg);
/* The same with tasklist_lock already held. */
void for_each_process_locked(void (*fn)(struct task *t, void *arg), void *arg);
/* fn for every ended process its parent has not reaped yet (a zombie: it
 * keeps its process group and session, as in Linux); tasklist_lock held. */
void for_each_zombie_locked(void (*fn)(struct task *t, void *arg), void *arg);
/* Does a process of group pgid exist in session sid (-1: any), zombies
 * included (kernel/pgrp.c)? Takes tasklist_lock. */
bool pgrp_exists(int pgid, int sid);
/* The user init (pid 1) once it runs: orphans become its children. */
extern struct task *child_reaper;
/* Join the orphans that have ended. */
void reap_orphans(void);

/* ---- finding a process by pid (kernel/pid.c) ---- */
#include "spinlock.h"
/* Guards the list of live processes and their parent/children links
 * (kernel/fork.c). A process leaves the list (do_exit) before its address
 * space goes, and its struct task is freed only after that. */
extern spinlock_t tasklist_lock;
/* The live process with this pid, or the current task if it has that pid
 * (a kernel thread), else NULL. The rule: the caller holds tasklist_lock,
 * and the task may be used only until it drops it (Linux's
 * find_task_by_vpid under rcu_read_lock). */
struct task *find_task_by_pid(int pid);
/* The live process with this pid (kernel/fork.c); tasklist_lock held. */
struct task *find_process(int pid);
/* Is there a task find_task_by_pid would find? (takes the lock) */
bool pid_task_exists(int pid);
/* For readers that may sleep (/proc): a private copy of the task's fields,
 * taken under tasklist_lock, whose mm (if any) holds a user reference
 * (mm_users), so the page tables and struct stay until
 * put_task_snapshot, even if the process exits meanwhile. NULL if there is
 * no such task or no memory. Only the copy's scalar fields, name and mm
 * may be used (its list links are stale). */
struct task *get_task_snapshot(int pid);
void put_task_snapshot(struct task *copy);

/* ---- saved user registers (arch/x86/user.c) ---- */
/* What the CPU and entry.asm saved at the top of a process's kernel stack
 * when it entered the kernel from ring 3 (Linux's struct pt_regs). */
struct pt_regs;
#define PT_REGS_SIZE 76
struct pt_regs *task_pt_regs(struct task *t);
/* Set the user stack pointer in regs (clone with a new stack). */
void pt_regs_set_sp(struct pt_regs *regs, unsigned long sp);
/* execve: regs (the current task's, task_pt_regs) return to ring 3 at eip
 * with stack pointer sp, the other registers 0; the task's TLS is cleared. */
void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long sp);
/* AT_HWCAP for the auxiliary vector: CPUID leaf 1's EDX, as Linux i386. */
unsigned long arch_elf_hwcap(void);
/* Return to ring 3 with regs, eax 0: a fork child's first return. */
__noreturn void ret_from_fork_user(const struct pt_regs *regs);
/* The scheduler's step (interrupts off): save prev's x87/SSE registers if
 * it is a process, load next's if it is one. */
void arch_fpu_switch(struct task *prev, struct task *next);
/* A clean FPU for t (a new program), loaded now: t is current, preemption off. */
void arch_fpu_init_current(struct task *t);
/* Copy the running process's live FPU registers into child (fork). */
void arch_fpu_copy_current(struct task *child);
/* Before the return to ring 3: handlers, default actions of pending signals,
 * restarts of interrupted calls (arch/x86/signal.c). */
void exit_to_user_mode(void);

/* ---- time and randomness (arch/x86/rtc.c) ---- */
/* Seconds since 1970 from the CMOS RTC (0 without one); slow: once at boot. */
u64 arch_rtc_epoch_seconds(void);
/* CLOCK_REALTIME in seconds (kernel/time.c): file times, utimensat. */
u64 ktime_get_real_seconds(void);
/* 32 random bits: rdrand if the CPU has it, else a TSC-seeded generator. */
u32 arch_random_u32(void);

/* ---- reports (kernel/monitor_proc.c) ---- */
struct mm_struct;
struct vm_area_struct;
/* v as one line of /proc/PID/maps (Linux 6.1's format), into buf; its length. */
size_t format_map_line(char *buf, size_t size, struct mm_struct *mm, struct vm_area_struct *v);

#endif
