/* i8259.c - the two cascaded 8259A interrupt controllers of the PC ("the
 * legacy PIC"). The BIOS leaves their 16 lines on vectors 8-15 and 0x70-0x77,
 * on top of the CPU's exceptions (IRQ0, the timer, would arrive as a double
 * fault), so they are always re-programmed: lines 0-15 on vectors 0x30-0x3f,
 * where Linux puts them too (ISA_IRQ_VECTOR), all masked.
 *
 * With a local APIC they stay masked. Without one (`-cpu max,-apic`) the
 * PIT's IRQ0 comes through here and is the scheduler's tick (pit.c), which
 * is why the EOI goes to this chip for these vectors (irq.c).
 *
 * Some machines (QEMU's microvm with pic=off) have no 8259 at all: a write
 * to its mask register reads back as 0xff there, which i8259_init() detects
 * instead of assuming. */
#include "i8259.h"
#include "printk.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11 /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI 0x20       /* non-specific end of interrupt */
#define OCW3_READ_ISR 0x0b
#define CASCADE_IRQ 2

bool i8259_present;
static u16 cached_mask = 0xffff; /* bit n set: line n masked */

static void write_masks(void)
{
	outb(PIC1_DATA, (u8)cached_mask);
	outb(PIC2_DATA, (u8)(cached_mask >> 8));
}

void i8259_init(void)
{
	/* Probe: a real mask register keeps what is written to it. */
	outb(PIC1_DATA, 0x5a);
	i8259_present = inb(PIC1_DATA) == 0x5a;
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, ISA_IRQ_VECTOR(0));  /* ICW2: vector base */
	outb(PIC2_DATA, ISA_IRQ_VECTOR(8));
	outb(PIC1_DATA, 1u << CASCADE_IRQ);  /* ICW3: slave on line 2 */
	outb(PIC2_DATA, CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	cached_mask = 0xffff;
	write_masks();
}

void i8259_unmask_irq(unsigned irq)
{
	cached_mask &= (u16)~(1u << irq);
	if (irq >= 8)
		cached_mask &= (u16)~(1u << CASCADE_IRQ);
	write_masks();
}

void i8259_mask_irq(unsigned irq)
{
	cached_mask |= (u16)(1u << irq);
	write_masks();
}

/* A line that fell before the CPU acknowledged it shows up as IRQ 7 (or 15)
 * with its in-service bit clear: no handler, and no EOI to the chip that did
 * not set one (the master still needs its EOI for a slave's spurious 15). */
bool i8259_spurious(unsigned irq)
{
	if (irq != 7 && irq != 15)
		return false;
	u16 cmd = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(cmd, OCW3_READ_ISR);
	if (inb(cmd) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1_CMD, OCW2_EOI);
	return true;
}

void i8259_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}
