/* apic.c - the local APIC, through its registers at 0xFEE00000 (mapped
 * uncached at a fixmap slot). */
#include "apic.h"
#include "arch.h"
#include "cpu.h"
#include "layout.h"
#include "machine.h"
#include "percpu.h"
#include "pgtable.h"
#include "printk.h"
#include "x86.h"

#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100 /* 8 registers, 0x10 apart: 32 vectors each */
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define ICR_BUSY (1u << 12)
#define LVT_MASKED (1u << 16)
#define MSR_APIC_BASE 0x1b

phys_addr_t lapic_phys = 0xfee00000;
bool lapic_present;
static volatile u8 *lapic;
static u32 timer_ticks_per_ms;

static inline u32 rd(u32 reg) { return *(volatile u32 *)(lapic + reg); }
static inline void wr(u32 reg, u32 v) { *(volatile u32 *)(lapic + reg) = v; }

void udelay(unsigned long us)
{
	u64 end = rdtsc() + (u64)us * clock_tsc_khz() / 1000;

	while (rdtsc() < end)
		__asm__ volatile("pause");
}

void lapic_init(void)
{
	if (!boot_cpu.apic) {
		lapic_present = false;
		return;
	}
	if (!lapic) {
		lapic = set_fixmap(FIX_APIC_BASE, lapic_phys, PAGE_KERNEL_NOCACHE);
		lapic_present = true;
	}
	/* The global enable bit lives in an MSR; a CPU without rdmsr (CPUID says)
	 * has its APIC enabled by reset and no way to turn it off. */
	u64 base = boot_cpu.msr ? rdmsr(MSR_APIC_BASE) : (1u << 11);
	if (!(base & (1u << 11)))
		wrmsr(MSR_APIC_BASE, base | (1u << 11));
	wr(APIC_TPR, 0);
	wr(APIC_LVT_LINT0, LVT_MASKED);
	wr(APIC_LVT_LINT1, LVT_MASKED);
	wr(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
	wr(APIC_ESR, 0);
	wr(APIC_SVR, 0x100 | SPURIOUS_APIC_VECTOR); /* software-enable */
	this_cpu()->apic_id = lapic_id();
}

unsigned lapic_id(void) { return lapic ? rd(APIC_ID) >> 24 : 0; }

void lapic_eoi(void)
{
	if (lapic)
		wr(APIC_EOI, 0);
}

unsigned lapic_in_service(u8 *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned r = 0; lapic && r < 8; r++) {
		u32 bits = rd(APIC_ISR + 0x10 * r);
		for (unsigned b = 0; b < 32 && n < max; b++)
			if (bits & (1u << b))
				out[n++] = (u8)(32 * r + b);
	}
	return n;
}

static void icr_wait(void)
{
	for (int i = 0; i < 1000000 && (rd(APIC_ICR_LO) & ICR_BUSY); i++)
		__asm__ volatile("pause");
}

static void send_icr(u32 hi, u32 lo)
{
	if (!lapic) {
		pr_warn("apic: IPI %#x asked for without a local APIC: not sent\n", lo);
		return;
	}
	unsigned long f = arch_irq_save();

	icr_wait();
	wr(APIC_ICR_HI, hi);
	wr(APIC_ICR_LO, lo);
	icr_wait();
	arch_irq_restore(f);
}

void lapic_send_ipi(unsigned apic_id, u8 vector) { send_icr(apic_id << 24, vector); }

/* Destination shorthand 11: all excluding self. */
void lapic_send_ipi_allbutself(u8 vector) { send_icr(0, (3u << 18) | vector); }

int lapic_start_ap(unsigned apic_id, u8 page)
{
	send_icr(apic_id << 24, 0x4500); /* INIT, level assert */
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		send_icr(apic_id << 24, 0x4600 | page); /* STARTUP */
		udelay(200);
	}
	return (rd(APIC_ESR) & 0xef) ? -1 : 0;
}

/* One 10 ms window of TSC time: the timer's counts per ms, or 0 when a
 * stalled host made the window uncertain by 1% or more (the register
 * accesses at both ends are bracketed by rdtsc, as clock.c's windows are). */
static u32 timer_window(void)
{
	u64 cycles = 10ull * clock_tsc_khz();
	u64 a0 = rdtsc();
	wr(APIC_TIMER_INIT, 0xffffffffu);
	u64 a1 = rdtsc();
	while (rdtsc() < a1 + cycles)
		__asm__ volatile("pause");
	u64 b0 = rdtsc();
	u32 counted = 0xffffffffu - rd(APIC_TIMER_CUR);
	u64 b1 = rdtsc();
	wr(APIC_TIMER_INIT, 0);
	u64 took = (b0 + b1) / 2 - (a0 + a1) / 2, err = (a1 - a0 + b1 - b0) / 2;
	if (!took || err * 100 >= took)
		return 0;
	return (u32)((u64)counted * clock_tsc_khz() / took);
}

/* The timer's rate, once (BSP): the median of three good windows. */
static void calibrate_timer(void)
{
	u32 r[3];
	unsigned n = 0;

	wr(APIC_TIMER_DIV, 0x3); /* divide by 16 */
	wr(APIC_LVT_TIMER, LVT_MASKED);
	for (int tries = 0; tries < 9 && n < 3; tries++)
		if ((r[n] = timer_window()))
			n++;
	if (n == 3) {
		if (r[0] > r[1]) { u32 t = r[0]; r[0] = r[1]; r[1] = t; }
		if (r[1] > r[2]) r[1] = r[2];
		timer_ticks_per_ms = r[0] > r[1] ? r[0] : r[1];
	} else {
		timer_ticks_per_ms = n ? r[0] : 62500; /* QEMU's 1 GHz bus / 16: a stated guess */
		pr_warn("apic: only %u of 9 timer calibration windows were undisturbed%s\n", n,
			n ? "" : ": assuming 62500 counts per ms");
	}
	pr_info("apic: timer counts %u per ms (bus clock / 16, measured against the TSC)\n",
		timer_ticks_per_ms);
}

void lapic_timer_start(unsigned hz)
{
	if (!lapic)
		return;
	if (!timer_ticks_per_ms)
		calibrate_timer();
	wr(APIC_TIMER_DIV, 0x3);
	wr(APIC_LVT_TIMER, (1u << 17) | LOCAL_TIMER_VECTOR); /* periodic */
	wr(APIC_TIMER_INIT, timer_ticks_per_ms * 1000 / hz);
}
