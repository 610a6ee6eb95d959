/* traps.h - CPU exceptions: the saved frame, setup, and the oops report. */
#ifndef HL_TRAPS_H
#define HL_TRAPS_H

#include "layout.h"
#include "types.h"

/* What entry.asm leaves on the stack, lowest address first. */
struct trap_frame {
	u32 gs, fs, es, ds;
	u32 edi, esi, ebp, esp_pushad, ebx, edx, ecx, eax;
	u32 vector, error;
	u32 eip, cs, eflags; /* pushed by the CPU; from ring 3 it pushes esp, ss too */
};

/* A frame from ring 3, with the user stack the CPU pushed too: what sits
 * at the top of a process's kernel stack while it is in the kernel. */
struct pt_regs {
	struct trap_frame f;
	u32 sp, ss;
};
_Static_assert(sizeof(struct pt_regs) == 76, "PT_REGS_SIZE in process.h");

/* The stack pointer at the moment of the exception (just above the CPU's push). */
static inline u32 trap_frame_esp(const struct trap_frame *f) { return (u32)&f->eflags + 4; }

#define X86_PF_PROT (1u << 0)  /* 0: not-present page, 1: protection violation */
#define X86_PF_WRITE (1u << 1)
#define X86_PF_USER (1u << 2)
#define X86_PF_RSVD (1u << 3)  /* a reserved bit was set in a paging entry */
#define X86_PF_INSTR (1u << 4) /* instruction fetch (NX) */

void gdt_init(void);
/* The kernel stack top ring-3 interrupts and system calls arrive on (TSS esp0). */
void tss_set_esp0(unsigned cpu, u32 esp0);
/* int $0x80 (arch/x86/user.c, from entry.asm's entry_INT80_32): run the
 * call, result in f->eax, then the exit work (signals, restarts). */
void do_int80_syscall_32(struct trap_frame *f);
/* Every other vector (traps.c, from entry.asm's trap_common). */
void trap_handler(struct trap_frame *f);
/* Any exception but #PF from ring 3: the process gets its signal (user.c). */
void do_user_trap(struct trap_frame *f);
/* The user stack pointer of a frame from ring 3. */
u32 trap_frame_user_sp(const struct trap_frame *f);
/* The TLS entries of every CPU's GDT (after the per-CPU ones, gdt.c). */
#define GDT_ENTRY_TLS_MIN (5 + 3 * NR_CPUS)
#define GDT_ENTRY_TLS_ENTRIES 3
/* Put a task's TLS descriptors into cpu's GDT (at a switch, set_thread_area). */
void load_TLS(const u64 tls[GDT_ENTRY_TLS_ENTRIES], unsigned cpu);
/* The vector of int $0x80, the i386 system call. */
#define IA32_SYSCALL_VECTOR 0x80
void idt_init(void);
/* The double-fault task's page tables: call again after switching CR3. */
void tss_set_df_cr3(u32 cr3);
/* Print the oops for this frame (registers, decoded error, backtrace). */
void oops_print(const struct trap_frame *f, u32 cr2);
const char *trap_name(u32 vector);
/* The page-fault dispatcher (fault.c): user mode, exception table, oops. */
void do_page_fault(struct trap_frame *f, unsigned long addr);
/* Resume at the exception-table fixup of f's instruction; false if none. */
bool fixup_exception(struct trap_frame *f, unsigned long addr);

#endif
