/* setup.h - x86 early setup called from start_kernel. */
#ifndef HL_SETUP_H
#define HL_SETUP_H

#include "types.h"

struct boot_info;

/* Console, clock, GDT/TSS, IDT, PIC masked: enough to print and to oops. */
void arch_early_setup(void);
/* Copy and parse the boot loader's information (v1 or multiboot2). */
int arch_read_boot_info(u32 magic, u32 info_pa, struct boot_info *bi);

#endif
