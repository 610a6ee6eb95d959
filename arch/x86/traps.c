/* traps.c - what happens on a CPU exception: a page fault goes to the
 * dispatcher (fault.c); an exception at an instruction in the exception
 * table resumes at its fixup; anything else is an oops: name the exception,
 * decode its error code, dump registers and a symbolized backtrace, then
 * panic. */
#include "apic.h"
#include "ksyms.h"
#include "panic.h"
#include "printk.h"
#include "process.h"
#include "arch.h"
#include "traps.h"
#include "uaccess.h"
#include "vmalloc.h"
#include "x86.h"

static const char *const names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range exceeded", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack-segment fault", "#GP general protection fault",
	"#PF page fault", "reserved (15)", "#MF x87 floating-point error", "#AC alignment check",
	"#MC machine check", "#XM SIMD floating-point error", "#VE virtualization exception",
	"#CP control protection", "reserved (22)", "reserved (23)", "reserved (24)",
	"reserved (25)", "reserved (26)", "reserved (27)", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security exception", "reserved (31)",
};

const char *trap_name(u32 vector) { return vector < 32 ? names[vector] : "interrupt"; }

static void explain_page_fault(u32 err, u32 cr2)
{
	if (cr2 < 0x1000)
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, address: %08x\n", cr2);
	else
		printk(KERN_EMERG "BUG: unable to handle page fault for address: %08x\n", cr2);
	printk(KERN_EMERG "#PF: %s %s access in %s mode\n",
	       err & X86_PF_USER ? "user" : "supervisor",
	       err & X86_PF_INSTR ? "instruction fetch" : err & X86_PF_WRITE ? "write" : "read",
	       err & X86_PF_USER ? "user" : "kernel");
	vmalloc_explain_fault(cr2); /* "in the guard page of area ... allocated by ..." */
	printk(KERN_EMERG "#PF: error_code(0x%04x) - %s%s\n", err,
	       err & X86_PF_RSVD ? "reserved bit violation" :
	       err & X86_PF_PROT ? "permissions violation" : "not-present page",
	       err & X86_PF_RSVD ? " (a page-table entry sets a bit beyond the CPU's physical address width, or NX without EFER.NXE)" : "");
}

void oops_print(const struct trap_frame *f, u32 cr2)
{
	static int oops_count;
	char sym[96];

	console_verbose(); /* an oops prints whatever loglevel= said */
	if (f->vector == 14)
		explain_page_fault(f->error, cr2);
	printk(KERN_EMERG "Oops: %s, error 0x%04x [#%d]\n", trap_name(f->vector), f->error,
	       ++oops_count);
	ksym_format(f->eip, sym, sizeof(sym));
	printk(KERN_EMERG "EIP: %04x:%08x %s\n", f->cs, f->eip, sym);
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", f->eax, f->ebx, f->ecx, f->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", f->esi, f->edi, f->ebp,
	       trap_frame_esp(f));
	printk(KERN_EMERG "DS: %04x ES: %04x FS: %04x GS: %04x EFLAGS: %08x\n", f->ds & 0xffff,
	       f->es & 0xffff, f->fs & 0xffff, f->gs & 0xffff, f->eflags);
	printk(KERN_EMERG "CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n", read_cr0(), cr2, read_cr3(),
	       read_cr4());
	dump_backtrace(f->eip, f->ebp);
}

static void handle_trap(struct trap_frame *f);

void trap_handler(struct trap_frame *f)
{
	if (f->cs & 3) {
		if (x86_smap_enabled)
			__asm__ volatile("clac" : : : "memory"); /* ring 3 may have set EFLAGS.AC */
		handle_trap(f);
		exit_to_user_mode(); /* a signal sent meanwhile (kill) */
		return;
	}
	handle_trap(f);
}

static void handle_trap(struct trap_frame *f)
{
	if (f->vector >= 32) {
		irq_dispatch(f);
		return;
	}
	u32 cr2 = read_cr2();

	if (f->vector == 14) {
		do_page_fault(f, cr2);
		return;
	}
	if ((f->cs & 3) && f->vector != 2 && f->vector != 18) {
		do_user_trap(f); /* the process's fault: a signal, never an oops */
		return;
	}
	if (f->vector != 2 && f->vector != 8 && f->vector != 18 && fixup_exception(f, 0))
		return; /* an instruction that may fault on purpose (extable.h) */
	oops_print(f, cr2);
	panic("Fatal exception: %s", trap_name(f->vector));
}

/* Runs as its own task (TSS with its own stack) after a double fault; the
 * state of the faulting code was saved in main_tss by the task switch. */
struct tss_regs { u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
		  u32 eax, ecx, edx, ebx, esp, ebp, esi, edi, es, cs, ss, ds, fs, gs, ldt;
		  u16 trap, iomap; } __attribute__((packed));
extern struct tss_regs main_tss[];

void double_fault_task(void)
{
	char sym[96];
	struct tss_regs *t = &main_tss[arch_cpu_id()];
	u32 esp = t->esp;

	console_verbose(); /* an oops prints whatever loglevel= said */
	ksym_format(t->eip, sym, sizeof(sym));
	printk(KERN_EMERG "Oops: #DF double fault on CPU %u at EIP %08x %s, ESP %08x CR2 %08x\n",
	       arch_cpu_id(), t->eip, sym, esp, read_cr2());
	if ((esp & 0xfff) < 0x100 || read_cr2() == (esp & ~0xfffu) - 4 || (read_cr2() >> 12) == ((esp - 4) >> 12))
		printk(KERN_EMERG "double fault: the stack pointer is at a page edge: probably a kernel stack overflow into its guard page\n");
	/* What was being delivered: the saved segments and flags (IF set means
	 * an interrupt may have arrived) and the interrupts in service. */
	printk(KERN_EMERG "#DF: CS %04x SS %04x DS %04x ES %04x FS %04x GS %04x EFLAGS %08x CR3 %08x\n",
	       t->cs & 0xffff, t->ss & 0xffff, t->ds & 0xffff, t->es & 0xffff, t->fs & 0xffff,
	       t->gs & 0xffff, t->eflags, t->cr3);
	u8 vec[8];
	unsigned n = lapic_in_service(vec, 8);
	printk(KERN_EMERG "#DF: local APIC vectors in service:%s", n ? "" : " none");
	for (unsigned i = 0; i < n; i++)
		printk(KERN_CONT " 0x%02x", vec[i]);
	printk(KERN_CONT "\n");
	dump_backtrace(0, t->ebp);
	panic("Fatal exception: #DF double fault");
}
