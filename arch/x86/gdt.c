/* gdt.c - flat segments and the two TSSes.
 *
 * The kernel runs flat (base 0, limit 4 GB). A TSS is needed for one reason
 * here: a double fault is delivered through a task gate onto a TSS with its
 * own stack, so a kernel stack overflow (a #PF on the guard page, which then
 * cannot push its frame) is reported instead of triple-faulting. */
#include "kstring.h"
#include "traps.h"
#include "x86.h"

struct tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
} __attribute__((packed));

#define GDT_TSS 5
#define GDT_DF_TSS 6
#define SEL_DF_TSS (GDT_DF_TSS << 3)

static u64 gdt[7];
struct tss main_tss;
struct tss df_tss;
static u8 df_stack[8192] __attribute__((aligned(16)));

extern void double_fault_task(void);

static u64 seg_desc(u32 base, u32 limit, u8 access, u8 flags)
{
	return (limit & 0xffffULL) | ((u64)(base & 0xffffff) << 16) | ((u64)access << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | ((u64)(flags & 0xf) << 52) |
	       ((u64)(base >> 24) << 56);
}

void tss_set_df_cr3(u32 cr3) { df_tss.cr3 = cr3; }

void gdt_init(void)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } desc;

	gdt[0] = 0;
	gdt[1] = seg_desc(0, 0xfffff, 0x9a, 0xc); /* 0x08 kernel code */
	gdt[2] = seg_desc(0, 0xfffff, 0x92, 0xc); /* 0x10 kernel data */
	gdt[3] = seg_desc(0, 0xfffff, 0xfa, 0xc); /* 0x1b user code (unused yet) */
	gdt[4] = seg_desc(0, 0xfffff, 0xf2, 0xc); /* 0x23 user data (unused yet) */
	gdt[GDT_TSS] = seg_desc((u32)&main_tss, sizeof(main_tss) - 1, 0x89, 0);
	gdt[GDT_DF_TSS] = seg_desc((u32)&df_tss, sizeof(df_tss) - 1, 0x89, 0);

	memset(&df_tss, 0, sizeof(df_tss));
	df_tss.eip = (u32)double_fault_task;
	df_tss.esp = (u32)(df_stack + sizeof(df_stack));
	df_tss.cs = 0x08;
	df_tss.ds = df_tss.es = df_tss.ss = 0x10;
	df_tss.eflags = 0x2; /* interrupts off */
	df_tss.cr3 = read_cr3();
	df_tss.iomap = sizeof(struct tss);
	main_tss.iomap = sizeof(struct tss);
	main_tss.ss0 = 0x10;

	desc.limit = sizeof(gdt) - 1;
	desc.base = (u32)gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp $0x08, $1f\n1:\n\t"
			 "mov $0x10, %%ax\n\t"
			 "mov %%ax, %%ds\n\tmov %%ax, %%es\n\tmov %%ax, %%ss\n\t"
			 "xor %%ax, %%ax\n\tmov %%ax, %%fs\n\tmov %%ax, %%gs\n\t"
			 "ltr %w1"
			 : : "m"(desc), "r"(GDT_TSS << 3) : "eax", "memory");
}

u16 gdt_df_selector(void) { return SEL_DF_TSS; }
