/* rtc.c - the CMOS real-time clock's date and time, read once at boot for
 * CLOCK_REALTIME, and the CPU's random numbers (rdrand) for getrandom and
 * AT_RANDOM.
 *
 * The RTC keeps calendar fields (BCD or binary, status register B says
 * which) that change once a second; reading while they change (status A
 * bit 7) can mix two seconds, so the fields are read until two reads agree. */
#include "arch.h"
#include "cpu.h"
#include "process.h"
#include "x86.h"

static u8 cmos(u8 reg)
{
	outb(0x70, 0x80 | reg); /* bit 7: NMI stays disabled */
	return inb(0x71);
}

static unsigned bcd(u8 v, bool binary) { return binary ? v : (v & 0xf) + (v >> 4) * 10; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_since_epoch(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

u64 arch_rtc_epoch_seconds(void)
{
	u8 a[7], b[7];

	for (int tries = 0; tries < 1000; tries++) {
		while (cmos(0x0a) & 0x80)
			;
		u8 regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };
		for (int i = 0; i < 7; i++)
			a[i] = cmos(regs[i]);
		for (int i = 0; i < 7; i++)
			b[i] = cmos(regs[i]);
		if (__builtin_memcmp(a, b, sizeof(a)) == 0)
			break;
	}
	if (a[0] == 0xff && a[5] == 0xff)
		return 0; /* no RTC */
	u8 status_b = cmos(0x0b);
	bool binary = status_b & 4, h24 = status_b & 2;
	unsigned hour = bcd(a[2] & 0x7f, binary);
	if (!h24 && (a[2] & 0x80))
		hour = (hour % 12) + 12;
	else if (!h24 && hour == 12)
		hour = 0;
	unsigned century = a[6] && a[6] != 0xff ? bcd(a[6], binary) : 20;
	long year = (long)century * 100 + bcd(a[5], binary);
	long days = days_since_epoch(year, bcd(a[4], binary), bcd(a[3], binary));
	return (u64)days * 86400 + hour * 3600 + bcd(a[1], binary) * 60 + bcd(a[0], binary);
}

/* rdrand when CPUID.1:ECX bit 30 says it exists (retried as Intel advises),
 * else a xorshift generator seeded from the TSC. */
u32 arch_random_u32(void)
{
	static int has_rdrand = -1;
	static u32 state;

	if (has_rdrand < 0) {
		u32 a, b, c, d;
		cpuid(1, 0, &a, &b, &c, &d);
		has_rdrand = (c >> 30) & 1;
	}
	if (has_rdrand) {
		for (int i = 0; i < 10; i++) {
			u32 v;
			unsigned char ok;
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
			if (ok)
				return v;
		}
	}
	u32 x = __atomic_load_n(&state, __ATOMIC_RELAXED);
	if (!x)
		x = (u32)arch_cycles() | 1;
	x ^= x << 13; /* xorshift32 */
	x ^= x >> 17;
	x ^= x << 5;
	x ^= (u32)arch_cycles() & 0xff00; /* a little of the TSC each time */
	if (!x)
		x = 1;
	__atomic_store_n(&state, x, __ATOMIC_RELAXED);
	return x;
}
