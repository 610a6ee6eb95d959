/* clock.c - time since boot from the TSC, calibrated once against the PIT.
 *
 * PIT channel 2 counts down at 1.193182 MHz with its gate under our control
 * (port 0x61) and its output readable there, so we can time a known interval
 * without interrupts. Under QEMU -icount shift=0 the TSC advances one tick per
 * instruction, and the calibration then measures that rate instead. */
#include "arch.h"
#include "machine.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define CALIBRATE_MS 10u

static u64 tsc_at_boot;
static u32 tsc_khz;

u32 clock_tsc_khz(void) { return tsc_khz; }

void clock_init(void)
{
	u32 ticks = PIT_HZ * CALIBRATE_MS / 1000;

	tsc_at_boot = rdtsc();
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);                        /* ch2, lo/hi, mode 0, binary */
	outb(0x42, ticks & 0xff);
	outb(0x42, ticks >> 8);
	u64 t0 = rdtsc();
	u32 spins = 0;
	while (!(inb(0x61) & 0x20) && ++spins < 100000000u)
		;
	u64 dt = rdtsc() - t0;
	tsc_khz = (u32)(dt / CALIBRATE_MS);
	if (!tsc_khz)
		tsc_khz = 1000000; /* no PIT answer: assume 1 GHz, timestamps are only informative */
}

/* ns = ticks * 1e6 / khz, in two 32-bit-friendly steps to avoid overflow. */
u64 arch_clock_ns(void)
{
	if (!tsc_khz)
		return 0;
	u64 ticks = rdtsc() - tsc_at_boot;
	u64 ms = ticks / tsc_khz;
	u64 rem = ticks - ms * tsc_khz;
	return ms * 1000000u + rem * 1000000u / tsc_khz;
}
