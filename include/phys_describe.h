/* phys_describe.h - one word on what a physical address is (for page walks
 * and the monitor): RAM (lowmem or highmem), a device, firmware, or a hole. */
#ifndef HL_PHYS_DESCRIBE_H
#define HL_PHYS_DESCRIBE_H

#include "types.h"

/* "RAM (lowmem)", "RAM (highmem)", "device (local APIC)", "device (I/O
 * APIC)", "firmware (e820 reserved/ACPI)" or "hole (...)": from the e820
 * map in use and the APIC addresses. A static string. */
const char *phys_describe(phys_addr_t pa);

#endif
