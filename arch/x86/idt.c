/* idt.c - the interrupt descriptor table: the 32 CPU exceptions go to the
 * stubs in entry.asm, except the double fault, which switches task. */
#include "traps.h"

static u64 idt[256];
extern const u32 trap_stubs[32];
u16 gdt_df_selector(void);

static u64 gate(u32 handler, u16 sel, u8 type)
{
	return (handler & 0xffffULL) | ((u64)sel << 16) | ((u64)type << 40) |
	       ((u64)(handler >> 16) << 48);
}

void idt_init(void)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } desc;

	for (u32 v = 0; v < 32; v++)
		idt[v] = gate(trap_stubs[v], 0x08, 0x8e); /* present, ring 0, 32-bit interrupt gate */
	idt[8] = gate(0, gdt_df_selector(), 0x85);         /* task gate */
	desc.limit = sizeof(idt) - 1;
	desc.base = (u32)idt;
	__asm__ volatile("lidt %0" : : "m"(desc));
}
