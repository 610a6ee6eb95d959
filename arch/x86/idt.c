/* idt.c - the interrupt descriptor table, shared by every CPU: all 256
 * vectors go to the stubs in entry.asm (exceptions below 32, interrupts
 * above), except the double fault, which switches task. */
#include "arch.h"
#include "extable.h"
#include "percpu.h"
#include "traps.h"

static u64 idt[NR_CPUS][256]; /* per CPU: only the #DF task gate differs */
extern const u32 trap_stubs[256];

static u64 gate(u32 handler, u16 sel, u8 type)
{
	return (handler & 0xffffULL) | ((u64)sel << 16) | ((u64)type << 40) |
	       ((u64)(handler >> 16) << 48);
}

void idt_load(void)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } desc;

	unsigned cpu = arch_cpu_id();
	u64 *t = idt[cpu];

	for (u32 v = 0; v < 256; v++)
		t[v] = gate(trap_stubs[v], 0x08, 0x8e); /* present, ring 0, 32-bit interrupt gate */
	/* int $0x80 from ring 3: DPL 3, an interrupt gate (interrupts off
	 * until the entry code has saved the frame; the handler turns them on). */
	t[IA32_SYSCALL_VECTOR] = gate(trap_stubs[IA32_SYSCALL_VECTOR], 0x08, 0xee);
	/* Each CPU's double fault goes to its own TSS (its own stack). */
	t[8] = gate(0, gdt_df_selector(cpu), 0x85); /* task gate */
	desc.limit = sizeof(idt[0]) - 1;
	desc.base = (u32)t;
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void idt_init(void)
{
	sort_main_extable(); /* now, while the image is still writable (paging_init maps rodata RO) */
	idt_load();
}
