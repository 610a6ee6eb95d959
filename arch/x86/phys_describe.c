/* phys_describe.c - what lives at a physical address, in a word: RAM the
 * kernel maps permanently (lowmem) or only temporarily (highmem), a device's
 * registers (the local APIC, the I/O APIC), firmware's memory, or a hole.
 * Page walks print it next to the frame they end at, so that a frame at
 * 0xfee00000 (reached through the fixmap) reads "device (local APIC)" and
 * not "highmem": it is above max_low_pfn, but it is not RAM at all.
 * The answer comes from the e820 map the kernel uses (after sanitizing and
 * mem=) and from where the MADT (or the MSR) said the APICs are. */
#include "apic.h"
#include "bootinfo.h"
#include "e820.h"
#include "layout.h"
#include "phys_describe.h"
#include "smp.h"

extern struct boot_info boot_info;

const char *phys_describe(phys_addr_t pa)
{
	unsigned long long pfn = pa >> PAGE_SHIFT;
	u32 type;

	if (lapic_present && pfn == lapic_phys >> PAGE_SHIFT)
		return "device (local APIC)";
	if (smp_config.ioapic_phys && pfn == smp_config.ioapic_phys >> PAGE_SHIFT)
		return "device (I/O APIC)";
	if (!e820_lookup(&boot_info.map, pa, &type))
		return "hole (no RAM, no known device)";
	if (type != E820_USABLE)
		return "firmware (e820 reserved/ACPI)";
	if (pfn < max_low_pfn)
		return "RAM (lowmem)";
	if (pfn < max_pfn)
		return "RAM (highmem)";
	return "RAM (unused: beyond max_pfn)";
}
