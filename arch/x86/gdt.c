/* gdt.c - flat segments, and per CPU: a %fs segment for its cpu_local,
 * a TSS, and a double-fault TSS.
 *
 * The kernel runs flat (base 0, limit 4 GB). A TSS is needed for one reason
 * here: a double fault is delivered through a task gate onto a TSS with its
 * own stack, so a kernel stack overflow (a #PF on the guard page, which then
 * cannot push its frame) is reported instead of triple-faulting.
 *
 *   0 null | 1 kernel code 0x08 | 2 kernel data 0x10 | 3, 4 user code/data
 *   5 + 3c: CPU c's %fs segment | 6 + 3c: its TSS | 7 + 3c: its #DF TSS
 *   GDT_ENTRY_TLS_MIN..+2: the running task's three TLS segments
 *
 * Each CPU has its own copy of the table: the same entries, except the TLS
 * ones, which hold the descriptors of the task running there (set_thread_area;
 * reloaded at every switch). A process may run on any CPU, and its %gs
 * selector (what glibc loads once) must mean its own segment on each.
 */
#include "arch.h"
#include "highmem.h"
#include "kstring.h"
#include "percpu.h"
#include "traps.h"
#include "x86.h"

struct tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
} __attribute__((packed));

#define GDT_PERCPU(c) (5 + 3 * (c))
#define GDT_TSS(c) (6 + 3 * (c))
#define GDT_DF_TSS(c) (7 + 3 * (c))

#define GDT_ENTRIES (GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
static u64 gdt[NR_CPUS][GDT_ENTRIES];
struct tss main_tss[NR_CPUS];
struct tss df_tss[NR_CPUS];
struct cpu_local cpu_locals[NR_CPUS];
static u8 df_stack[NR_CPUS][8192] __attribute__((aligned(16)));

extern void double_fault_task(void);

static u64 seg_desc(u32 base, u32 limit, u8 access, u8 flags)
{
	return (limit & 0xffffULL) | ((u64)(base & 0xffffff) << 16) | ((u64)access << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | ((u64)(flags & 0xf) << 52) |
	       ((u64)(base >> 24) << 56);
}

/* The stack the CPU switches to on an interrupt from ring 3 (the running
 * task's kernel stack top: set at every switch, task.c). */
void tss_set_esp0(unsigned cpu, u32 esp0) { main_tss[cpu].esp0 = esp0; }

void load_TLS(const u64 tls[GDT_ENTRY_TLS_ENTRIES], unsigned cpu)
{
	for (unsigned i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt[cpu][GDT_ENTRY_TLS_MIN + i] = tls[i];
}

u16 gdt_percpu_selector(unsigned cpu) { return (u16)(GDT_PERCPU(cpu) << 3); }
u16 gdt_df_selector(unsigned cpu) { return (u16)(GDT_DF_TSS(cpu) << 3); }

void tss_set_df_cr3(u32 cr3)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		df_tss[c].cr3 = cr3;
}

static void setup_cpu_entries(unsigned c)
{
	struct tss *df = &df_tss[c];

	cpu_locals[c].self = &cpu_locals[c];
	cpu_locals[c].cpu = c;
	/* Each CPU's kmap_atomic stack, reached in one %fs load by the fast path. */
	cpu_locals[c].kmap = &kmap_ctrl[c];
	kmap_ctrl[c].slot_base = c * KM_MAX_IDX;
	cpu_locals[c].preempt_count = PREEMPT_NEED_RESCHED; /* count 0, nothing pending */
	for (unsigned g = 0; g < NR_CPUS; g++) { /* in every CPU's copy */
		gdt[g][GDT_PERCPU(c)] = seg_desc((u32)&cpu_locals[c], sizeof(struct cpu_local) - 1, 0x92, 0x4);
		gdt[g][GDT_TSS(c)] = seg_desc((u32)&main_tss[c], sizeof(struct tss) - 1, 0x89, 0);
		gdt[g][GDT_DF_TSS(c)] = seg_desc((u32)df, sizeof(struct tss) - 1, 0x89, 0);
	}
	memset(df, 0, sizeof(*df));
	df->eip = (u32)double_fault_task;
	df->esp = (u32)(df_stack[c] + sizeof(df_stack[c]));
	df->cs = 0x08;
	df->ds = df->es = df->ss = 0x10;
	df->fs = gdt_percpu_selector(c); /* arch_cpu_id() works in the #DF task */
	df->eflags = 0x2;                /* interrupts off */
	df->cr3 = read_cr3();
	df->iomap = sizeof(struct tss);
	main_tss[c].iomap = sizeof(struct tss);
	main_tss[c].ss0 = 0x10;
}

void gdt_load_cpu(unsigned cpu)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } desc;

	desc.limit = sizeof(gdt[cpu]) - 1;
	desc.base = (u32)gdt[cpu];
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp $0x08, $1f\n1:\n\t"
			 "mov $0x10, %%ax\n\t"
			 "mov %%ax, %%ds\n\tmov %%ax, %%es\n\tmov %%ax, %%ss\n\t"
			 "xor %%ax, %%ax\n\tmov %%ax, %%gs\n\t"
			 "mov %w1, %%fs\n\t"
			 "ltr %w2"
			 : : "m"(desc), "r"(gdt_percpu_selector(cpu)), "r"(GDT_TSS(cpu) << 3)
			 : "eax", "memory");
}

void gdt_init(void)
{
	for (unsigned g = 0; g < NR_CPUS; g++) {
		gdt[g][0] = 0;
		gdt[g][1] = seg_desc(0, 0xfffff, 0x9a, 0xc); /* 0x08 kernel code */
		gdt[g][2] = seg_desc(0, 0xfffff, 0x92, 0xc); /* 0x10 kernel data */
		gdt[g][3] = seg_desc(0, 0xfffff, 0xfa, 0xc); /* 0x1b user code */
		gdt[g][4] = seg_desc(0, 0xfffff, 0xf2, 0xc); /* 0x23 user data */
	}
	for (unsigned c = 0; c < NR_CPUS; c++)
		setup_cpu_entries(c);
	gdt_load_cpu(0);
}
