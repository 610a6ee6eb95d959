/* clock.c - time since boot from the TSC, calibrated once at boot against a
 * timer the machine really has, and saying which one.
 *
 * The sources, tried in order (pit.c does the PIT work):
 *  1. PIT channel 2 through its gate at port 0x61: every PC since 1981.
 *  2. PIT channel 0, its counter read back: QEMU's microvm has a PIT but no
 *     port 0x61, where method 1 used to "measure" nothing and gave a TSC rate
 *     hundreds of times too low (300 s of timestamps in a 1 s run, a 1 s
 *     timeout that lasted milliseconds).
 *  3. one second of the CMOS RTC's clock: microvm,pit=off still has an RTC.
 *  4. CPUID leaf 0x15 (crystal clock x ratio) or 0x16 (base MHz): what the
 *     CPU says about itself, when it says anything.
 * Each PIT window is timed with a known error (pit.c); windows a stalled
 * host made uncertain by more than 1% are dropped, and the median of three
 * good ones kept. A rate outside 10 MHz..50 GHz is reported as nonsense and
 * the next source tried. Under QEMU -icount shift=0 the TSC advances one tick per
 * instruction, and the calibration then measures that rate instead. */
#include "arch.h"
#include "machine.h"
#include "pit.h"
#include "printk.h"
#include "x86.h"

#define CALIBRATE_MS 10u
#define TSC_KHZ_MIN 10000u     /* 10 MHz */
#define TSC_KHZ_MAX 50000000u  /* 50 GHz */
#define TSC_KHZ_GUESS 1000000u /* no source at all: a stated guess */

static u64 tsc_at_boot;
static u32 tsc_khz;
static const char *tsc_source = "none";

u32 clock_tsc_khz(void) { return tsc_khz; }

/* kHz from one PIT window: cycles * PIT_TICK_RATE / (ticks * 1000). */
static u32 khz_from(u64 cycles, u32 ticks)
{
	u64 khz = cycles * (PIT_TICK_RATE / 1000) / ticks; /* 1193 Hz per kHz: 0.02% low */
	khz += khz * 182 / 1193000;                        /* the 0.182 left out above */
	return khz > 0xffffffffull ? 0xffffffffu : (u32)khz;
}

/* Up to 9 PIT windows; those timed to better than 1% count, the median of the
 * first three such is the result. 0 if the method is not available. */
static u32 window_khz(bool (*window)(u32, struct pit_window *), const char *name)
{
	u32 ticks = PIT_TICK_RATE * CALIBRATE_MS / 1000, r[3];
	unsigned n = 0, tried;
	struct pit_window w;

	for (tried = 0; tried < 9 && n < 3; tried++) {
		if (!window(ticks, &w))
			return 0;
		if (w.ticks && w.err * 100 < w.cycles)
			r[n++] = khz_from(w.cycles, w.ticks);
	}
	if (n < 3)
		pr_warn("tsc: %s: only %u of %u windows timed to 1%% (a busy host?)\n", name, n,
			tried);
	if (n == 0)
		return 0;
	if (n < 3)
		return r[0];
	if (r[0] > r[1]) { u32 t = r[0]; r[0] = r[1]; r[1] = t; }
	if (r[1] > r[2]) r[1] = r[2];
	return r[0] > r[1] ? r[0] : r[1]; /* the median */
}

static u32 pit_gate_khz(void) { return window_khz(pit_gate_window, "PIT channel 2"); }
static u32 pit_ch0_khz(void) { return window_khz(pit_ch0_window, "PIT channel 0"); }

/* ---- the CMOS RTC's seconds ---------------------------------------------
 * Without a PIT, the RTC still keeps time of day: the TSC cycles between two
 * changes of its seconds register are one second's worth, each change
 * bracketed by rdtsc like a PIT edge. (Its 1024 Hz periodic flag would be
 * quicker, but under a busy host QEMU fires it late and every period
 * stretches: 3.9 GHz "measured" on a 2.6 GHz host. The seconds register is
 * computed from the host clock on every read.) Costs up to 2 s of boot, so
 * it comes after the PIT methods. An absent RTC reads 0xff. */
static u8 cmos_read(u8 reg)
{
	outb(0x70, 0x80 | reg); /* bit 7: NMI stays disabled */
	return inb(0x71);
}

/* TSC at the next change of the seconds register (*err: half its bracket). */
static u64 rtc_second_edge(u64 *err)
{
	u8 sec = cmos_read(0x00);
	u64 from = rdtsc(), limit = from + (1ull << 34), t; /* > 5 s below 3 GHz */

	for (;;) {
		t = rdtsc();
		if (cmos_read(0x00) != sec)
			break;
		from = t;
		if (t > limit)
			return 0;
	}
	u64 end = rdtsc();
	*err = (end - from) / 2;
	return (from + end) / 2;
}

static u32 rtc_khz(void)
{
	u64 e0, e1, t0, t1;

	if (cmos_read(0x00) == 0xff && cmos_read(0x0a) == 0xff)
		return 0; /* nothing at ports 0x70/0x71 */
	u64 best_err = ~0ull, best = 0;

	for (int tries = 0; tries < 3; tries++) {
		if (!(t0 = rtc_second_edge(&e0)) || !(t1 = rtc_second_edge(&e1)))
			return 0;
		if ((e0 + e1) * 1000 < t1 - t0)
			return (u32)((t1 - t0) / 1000); /* cycles in 1 s / 1000 = kHz */
		if (e0 + e1 < best_err) {
			best_err = e0 + e1;
			best = t1 - t0;
		}
	}
	/* A busy host stalled every read of the seconds register: the best
	 * second within 1% still beats a guess, and says so. */
	if (best && best_err * 100 < best) {
		pr_warn("tsc: CMOS RTC: every second timed was disturbed by more than 0.1%%; "
			"using the best, within %u.%02u%%\n", (unsigned)(best_err * 100 / best),
			(unsigned)(best_err * 10000 / best % 100));
		return (u32)(best / 1000);
	}
	pr_warn("tsc: CMOS RTC: every second timed was disturbed by more than 1%%\n");
	return 0;
}

/* CPUID 0x15: TSC = crystal Hz (ECX) * EBX / EAX; 0x16: EAX = base MHz. */
static u32 cpuid_khz(void)
{
	u32 max, a, b, c, d;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (u32)((u64)c * b / a / 1000);
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a & 0xffff)
			return (a & 0xffff) * 1000;
	}
	return 0;
}

static bool plausible(const char *how, u32 khz)
{
	if (!khz) {
		pr_info("tsc: %s: not available on this machine\n", how);
		return false;
	}
	if (khz < TSC_KHZ_MIN || khz > TSC_KHZ_MAX) {
		pr_warn("tsc: %s gave %u kHz: nonsense (outside %u..%u MHz), ignored\n", how, khz,
			TSC_KHZ_MIN / 1000, TSC_KHZ_MAX / 1000);
		return false;
	}
	return true;
}

void clock_init(void)
{
	static const struct { const char *name; u32 (*fn)(void); } sources[] = {
		{ "PIT channel 2 (port 0x61 gate)", pit_gate_khz },
		{ "PIT channel 0 (counter read back)", pit_ch0_khz },
		{ "the CMOS RTC's seconds (1 s)", rtc_khz },
		{ "CPUID leaf 0x15/0x16", cpuid_khz },
	};

	tsc_at_boot = rdtsc();
	for (unsigned i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		u32 khz = sources[i].fn();
		if (plausible(sources[i].name, khz)) {
			tsc_khz = khz;
			tsc_source = sources[i].name;
			break;
		}
	}
	if (!tsc_khz) {
		tsc_khz = TSC_KHZ_GUESS;
		pr_err("tsc: no timer to calibrate against: ASSUMING %u MHz; timestamps, delays "
		       "and timeouts are only as right as that guess\n", TSC_KHZ_GUESS / 1000);
		return;
	}
	pr_info("tsc: TSC calibration using %s\n", tsc_source);
	pr_info("tsc: Detected %u.%03u MHz processor\n", tsc_khz / 1000, tsc_khz % 1000);
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
