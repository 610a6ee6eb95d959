/* pci.h - PCI configuration space, as far as the IDE driver needs it (pci.c). */
#ifndef HL_PCI_H
#define HL_PCI_H

#include "types.h"

/* The IDE controller on bus 0 in compatibility mode, with I/O decoding and
 * bus mastering turned on: its bus-master (BMIDE) I/O base, or 0 when there
 * is none (no PCI, native mode, no BAR4 assigned). */
u16 pci_ide_bmdma(void);

#endif
