/* ioapic.c - the I/O APIC: routing a device's interrupt line to a CPU.
 *
 * Why: with the 8259 masked (Highland delivers everything through the
 * local APICs), a device interrupt reaches a CPU only through the I/O
 * APIC, the chipset's router (QEMU's i440fx and q35 have one at
 * 0xFEC00000; the ACPI MADT, or the MP table, says where). Each input pin
 * has a 64-bit redirection entry: the vector, polarity, trigger mode, a
 * mask bit and the destination local APIC. The ISA IRQs arrive at the
 * global system interrupt (GSI) of the same number unless the firmware
 * lists an interrupt source override (QEMU: IRQ 0 -> GSI 2, and the PCI
 * lines 5, 9, 10, 11 level-triggered); acpi.c collects them. An
 * edge-triggered interrupt is ended by the local APIC's EOI alone
 * (irq_dispatch does it), which is all Highland routes so far.
 *
 * Registers are reached through an index (IOREGSEL, +0x00) and a window
 * (IOWIN, +0x10): 0x00 ID, 0x01 version (bits 16-23: the last entry's
 * number), 0x10 + 2n / 0x11 + 2n the low / high half of entry n. */
#include "apic.h"
#include "arch.h"
#include "errno.h"
#include "ioapic.h"
#include "layout.h"
#include "pgtable.h"
#include "printk.h"
#include "smp.h"
#include "spinlock.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_ID 0x00
#define IOAPIC_VER 0x01
#define IOREDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)       /* trigger: 1 level, 0 edge */
#define RTE_ACTIVE_LOW (1u << 13)  /* polarity */

/* MADT/MP flags: bits 0-1 polarity (1 high, 3 low), bits 2-3 trigger (1 edge, 3 level) */
#define FLAGS_POLARITY(f) ((f) & 3)
#define FLAGS_TRIGGER(f) (((f) >> 2) & 3)

static volatile u32 *regs;
static unsigned nr_pins;
static bool probed, present;
static spinlock_t ioapic_lock = SPINLOCK_INIT("ioapic");

static u32 io_read(u8 reg)
{
	regs[IOREGSEL / 4] = reg;
	return regs[IOWIN / 4];
}

static void io_write(u8 reg, u32 v)
{
	regs[IOREGSEL / 4] = reg;
	regs[IOWIN / 4] = v;
}

bool ioapic_init(void)
{
	unsigned long f = spin_lock_irqsave(&ioapic_lock);

	if (probed)
		goto out;
	probed = true;
	if (!lapic_present || !smp_config.ioapic_phys)
		goto out;
	regs = set_fixmap(FIX_IO_APIC, smp_config.ioapic_phys, PAGE_KERNEL_NOCACHE);
	u32 ver = io_read(IOAPIC_VER);
	/* I/O APICs are versions 0x11 (82093AA) to 0x20 (ICH and later, QEMU's);
	 * 0 or all ones is no device (QEMU's isapc lists one in its MP table) */
	if ((ver & 0xff) < 0x10 || ver == 0xffffffffu) {
		pr_info("ioapic: nothing answers at %#llx (version register %#x): not used\n",
			(unsigned long long)smp_config.ioapic_phys, ver);
		goto out;
	}
	nr_pins = ((ver >> 16) & 0xff) + 1;
	for (unsigned pin = 0; pin < nr_pins; pin++) {
		io_write(IOREDTBL(pin) + 1, 0);
		io_write(IOREDTBL(pin), RTE_MASKED);
	}
	present = true;
	pr_info("ioapic: I/O APIC id %u at %#llx, version %#x, %u pins from GSI %u, all masked\n",
		(io_read(IOAPIC_ID) >> 24) & 0xf, (unsigned long long)smp_config.ioapic_phys,
		ver & 0xff, nr_pins, smp_config.ioapic_gsi_base);
out:
	spin_unlock_irqrestore(&ioapic_lock, f);
	return present;
}

int ioapic_isa_pin(unsigned irq)
{
	if (!present || irq >= 16)
		return -1;
	u32 gsi = smp_config.isa_gsi[irq];
	if (gsi < smp_config.ioapic_gsi_base || gsi - smp_config.ioapic_gsi_base >= nr_pins)
		return -1;
	return (int)(gsi - smp_config.ioapic_gsi_base);
}

int ioapic_route_isa_irq(unsigned irq, u8 vector, unsigned apic_id)
{
	if (!present)
		return -ENODEV;
	int pin = ioapic_isa_pin(irq);
	if (pin < 0)
		return -EINVAL;
	u16 fl = smp_config.isa_flags[irq];
	u32 lo = vector; /* fixed delivery, physical destination */
	if (FLAGS_POLARITY(fl) == 3)
		lo |= RTE_ACTIVE_LOW; /* ISA's default (0) is active high */
	if (FLAGS_TRIGGER(fl) == 3)
		lo |= RTE_LEVEL;      /* ... and edge */
	unsigned long f = spin_lock_irqsave(&ioapic_lock);
	io_write(IOREDTBL(pin), RTE_MASKED); /* masked while half written */
	io_write(IOREDTBL(pin) + 1, (apic_id & 0xff) << 24);
	io_write(IOREDTBL(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, f);
	return 0;
}

void ioapic_mask_isa_irq(unsigned irq)
{
	int pin = ioapic_isa_pin(irq);

	if (pin < 0)
		return;
	unsigned long f = spin_lock_irqsave(&ioapic_lock);
	io_write(IOREDTBL(pin), io_read(IOREDTBL(pin)) | RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, f);
}
