/* smp.h - finding the processors (ACPI MADT, else the MP table) and
 * bringing them up (INIT-SIPI-SIPI through a real-mode trampoline). */
#ifndef HL_SMP_H
#define HL_SMP_H

#include "arch.h"
#include "types.h"

#define MAX_APICS 256

struct smp_config {
	const char *source;         /* "ACPI MADT", "MP table", or "none" */
	unsigned nr_cpus;           /* enabled processors kept (at most NR_CPUS) */
	u8 apic_ids[NR_CPUS];       /* index = our CPU number */
	unsigned described;         /* enabled processors the table lists (may exceed NR_CPUS) */
	unsigned ignored;           /* described beyond NR_CPUS: not started */
	phys_addr_t lapic_phys;
	phys_addr_t ioapic_phys;    /* 0: none */
	u32 ioapic_gsi_base;        /* the first global system interrupt (GSI) on its pins */
	/* ISA IRQ n arrives at GSI isa_gsi[n] with MADT-style flags isa_flags[n]
	 * (bits 0-1 polarity, 2-3 trigger; 0: the ISA default, active high, edge):
	 * identity unless the MADT's interrupt source overrides or the MP table's
	 * interrupt entries say otherwise */
	u32 isa_gsi[16];
	u16 isa_flags[16];
};

/* smpboot_test=late_ap (boot/trampoline.asm holds CPU 1 until the boot CPU
 * has given up on it) and what came of it; given_up counts every AP left out. */
struct smpboot_late_ap {
	bool requested;
	unsigned given_up;  /* APs given up on (withdrawn or never reported) */
	bool parked;        /* the held AP reported that it parked */
	bool reused;        /* its freed stack was allocated again and filled */
	bool untouched;     /* ... and still held the fill after the AP parked */
};

extern struct smp_config smp_config;
extern struct smpboot_late_ap smpboot_late_ap;
extern unsigned nr_cpus_online;

/* Fill smp_config from the firmware tables; false if none describes CPUs. */
bool smp_find_config(void);
/* Start every application processor; prints "smp: Brought up 1 node, N CPUs". */
void smp_boot_cpus(void);
/* Run fn(arg) on cpu (an IPI) and wait until it returns; -1 if cpu is offline. */
int smp_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg);
void smp_call_init(void);
/* Wait until answered() is true, calling serve() meanwhile (this CPU's own
 * requests from others). With interrupts on, the wait is `hlt`: whoever
 * answers last sends this CPU an IPI (smp_answer_ipi), so the host can run
 * the very vCPU being waited for instead of this one spinning. */
void smp_wait_answers(bool (*answered)(void), void (*serve)(void));
/* How many times a waiter went into hlt (the smp tests check the path runs). */
extern unsigned long smp_answer_halts;
/* The APIC id to wake when the last answer is in, for a waiter on this CPU
 * with interrupts on; -1 when it spins (interrupts off: no IPI can end a hlt). */
int smp_waker_id(void);
/* Wake the waiter (apic_id from smp_waker_id; -1: nothing to do) with an IPI
 * on vector: a request-less IPI whose handler finds nothing to serve. */
void smp_answer_ipi(int apic_id, u8 vector);

#endif
