/* pit.c - the 8253/8254 programmable interval timer: three 16-bit counters
 * that count down at 1.193182 MHz on every PC-compatible machine.
 *
 * Two uses here:
 *  - measuring a known interval to calibrate the TSC (clock.c). Channel 2
 *    has a gate and an output readable at port 0x61 (the PC speaker port),
 *    the classic way. QEMU's microvm has the PIT but no port 0x61, so there
 *    the running channel 0 counter is latched and read back instead.
 *  - the scheduler's tick when the CPU has no local APIC: channel 0 as a
 *    rate generator, its output on IRQ0 through the 8259 (i8259.c).
 *
 * Nothing is assumed: a missing PIT reads 0xff on every port, a missing
 * gate leaves bit 5 of port 0x61 high before the count ends; both are
 * detected and reported as "no answer" (0), never turned into a number. */
#include "apic.h"
#include "i8259.h"
#include "pit.h"
#include "printk.h"
#include "x86.h"

#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE_PORT 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2 */

static volatile unsigned long pit_ticks;
static irq_handler_t tick_fn;

unsigned long pit_tick_count(void) { return pit_ticks; }

/* ---- calibration: TSC cycles over a PIT interval ------------------------
 * Each PIT access is bracketed by two rdtsc: the PIT was sampled somewhere
 * in between. A window's cycles run from the middle of its first bracket to
 * the middle of its last; err is half of both brackets. A vCPU that the host
 * stalls during an access shows up as a wide bracket (clock.c drops such
 * windows) instead of as a silently wrong rate. */

/* Channel 2, mode 0 (OUT2 goes low when programmed, high at the end of
 * `count`), gated through port 0x61. False if the gate or the PIT is missing. */
bool pit_gate_window(u32 count, struct pit_window *w)
{
	outb(PIT_GATE_PORT, (inb(PIT_GATE_PORT) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_MODE, 0xb0);                                     /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	u64 s0 = rdtsc();
	outb(PIT_CH2, (count >> 8) & 0xff); /* the count starts here */
	u64 s1 = rdtsc();
	if (inb(PIT_GATE_PORT) & 0x20)
		return false; /* OUT2 high before the count ran: no gate here (reads 0xff) */
	u64 limit = s1 + (1ull << 36); /* ~20 s even at 3 GHz: never wait forever */
	u64 low_from = s1, t;
	for (;;) {
		t = rdtsc();
		if (inb(PIT_GATE_PORT) & 0x20)
			break;
		low_from = t; /* still low when this read began */
		if (t > limit)
			return false;
	}
	u64 e1 = rdtsc();
	w->cycles = (low_from + e1) / 2 - (s0 + s1) / 2;
	w->err = (e1 - low_from + s1 - s0) / 2;
	w->ticks = count;
	return true;
}

struct ch0_sample { u16 val; u64 mid, width; };

static u16 ch0_read(void)
{
	outb(PIT_MODE, 0x00); /* latch channel 0 */
	u8 lo = inb(PIT_CH0);
	return (u16)(lo | (inb(PIT_CH0) << 8));
}

static struct ch0_sample ch0_sample(void)
{
	u64 a = rdtsc();
	u16 v = ch0_read();
	u64 b = rdtsc();
	return (struct ch0_sample){ v, (a + b) / 2, b - a };
}

/* Channel 0 free-running (mode 2, reload 65536, about 55 ms per turn), its
 * counter latched and read back until at least `count` ticks have gone by.
 * The interrupt line is masked (or interrupts are off): IRQ0 fires unseen.
 * False if the counter does not move (no PIT). */
bool pit_ch0_window(u32 count, struct pit_window *w)
{
	outb(PIT_MODE, 0x34); /* ch0, lo/hi, mode 2, binary */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);
	u16 first = ch0_read();
	u32 still = 0;

	while (first == ch0_read()) /* the counter must move */
		if (++still > 100000)
			return false;
	struct ch0_sample s = ch0_sample(), prev = s, now;
	u32 elapsed = 0;
	still = 0;
	while (elapsed < count) {
		now = ch0_sample();
		if (now.val == prev.val && ++still > 1000000)
			return false; /* the counter stopped */
		elapsed += (u16)(prev.val - now.val); /* counts down, wraps at 65536 */
		prev = now;
	}
	w->cycles = now.mid - s.mid;
	w->err = (now.width + s.width) / 2;
	w->ticks = elapsed;
	return true;
}

/* ---- the tick without a local APIC -------------------------------------- */

static void pit_irq(struct trap_frame *f)
{
	pit_ticks++;
	tick_fn(f);
}

void pit_timer_start(unsigned hz, irq_handler_t fn)
{
	u32 latch = (PIT_TICK_RATE + hz / 2) / hz;

	tick_fn = fn;
	set_irq_handler(IRQ0_VECTOR, pit_irq);
	outb(PIT_MODE, 0x34); /* ch0, lo/hi, mode 2 (rate generator) */
	outb(PIT_CH0, latch & 0xff);
	outb(PIT_CH0, latch >> 8);
	i8259_unmask_irq(0);
	pr_info("timer: no local APIC: the tick comes from the PIT (channel 0, IRQ0 through the "
		"8259%s, vector %#x) at %u Hz\n", i8259_present ? "" : " - which did not answer",
		IRQ0_VECTOR, hz);
}
