/* pci.c - the little of PCI that Highland needs: configuration mechanism #1
 * on bus 0, to find the IDE controller's bus-master registers (BMIDE) for
 * arch/x86/ata.c's DMA and turn bus mastering on. No enumeration beyond
 * that: QEMU's pc has its PIIX on bus 0, and microvm has no PCI at all. */
#include "pci.h"
#include "x86.h"

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc
#define PCI_COMMAND 0x04
#define PCI_CMD_IO 0x0001
#define PCI_CMD_MASTER 0x0004
#define PCI_BAR4 0x20

static u32 inl_port(u16 port)
{
	u32 v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Configuration mechanism #1: a dword of bus 0's function dev.fn. */
static u32 pci_read(unsigned dev, unsigned fn, unsigned reg)
{
	outl(PCI_CONF_ADDR, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
	return inl_port(PCI_CONF_DATA);
}

static void pci_write(unsigned dev, unsigned fn, unsigned reg, u32 v)
{
	outl(PCI_CONF_ADDR, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
	outl(PCI_CONF_DATA, v);
}

/* The IDE controller (class 01, subclass 01) on bus 0 in compatibility mode
 * (the legacy ports this driver uses), bus mastering turned on: its BMIDE
 * base, or 0. Only bus 0: QEMU's pc has its PIIX there, and a machine
 * without a PCI host bridge (microvm) answers all ones. */
u16 pci_ide_bmdma(void)
{
	for (unsigned dev = 0; dev < 32; dev++)
		for (unsigned fn = 0; fn < 8; fn++) {
			u32 id = pci_read(dev, fn, 0), class = pci_read(dev, fn, 0x08);

			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			if (class >> 16 != 0x0101 || (class & 0x0500))
				continue; /* not IDE, or a channel in native-PCI mode */
			u32 bar = pci_read(dev, fn, PCI_BAR4), cmd = pci_read(dev, fn, PCI_COMMAND);

			if (!(bar & 1) || !(bar & 0xfff0))
				return 0; /* no I/O BAR assigned */
			pci_write(dev, fn, PCI_COMMAND, (cmd & 0xffff) | PCI_CMD_IO | PCI_CMD_MASTER);
			return (u16)(bar & 0xfff0);
		}
	return 0;
}
