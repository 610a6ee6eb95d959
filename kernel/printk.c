/* printk.c - the kernel log.
 *
 * Every line is stamped "[    s.uuuuuu] " (time since boot) and appended to
 * log_buf, a ring that keeps the most recent LOG_BUF_LEN bytes; `dmesg` and
 * gdb's hl-dmesg read it back. Lines whose level is below console_loglevel
 * also go to the serial console as they are printed. */
#include <stdarg.h>
#include "arch.h"
#include "cmdline.h"
#include "kstring.h"
#include "machine.h"
#include "printk.h"
#include "spinlock.h"

#define LOG_BUF_LEN (512 * 1024) /* power of two: index with a mask; room for a whole test run */

/* Read by tools/gdb (hl-dmesg): keep names and meaning stable.
 * log_head counts every byte ever stored; the ring holds the last
 * min(log_head, LOG_BUF_LEN) of them. */
char log_buf[LOG_BUF_LEN];
u32 log_head;
const u32 log_buf_len = LOG_BUF_LEN;

int console_loglevel = 7; /* print levels 0..6 (KERN_INFO and more urgent) */
/* > 0 while a report (meminfo, buddyinfo, ...) is printed on demand: its
 * lines go to the console without timestamps, as /proc files read. */
static int report_mode;

void printk_report_begin(void) { report_mode++; }
void printk_report_end(void) { report_mode--; }
static bool at_line_start = true;
static DEFINE_SPINLOCK(logbuf_lock);

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) & (LOG_BUF_LEN - 1)] = s[i];
	log_head += (u32)n;
}

static size_t format_stamp(char *buf, size_t size)
{
	u64 ns = arch_clock_ns();
	u64 us = ns / 1000;

	return (size_t)snprintf(buf, size, "[%5lu.%06lu] ", (unsigned long)(us / 1000000),
				(unsigned long)(us % 1000000));
}

static int parse_level(const char **fmt, bool *cont)
{
	int level = LOGLEVEL_DEFAULT;

	*cont = false;
	if ((*fmt)[0] == KERN_SOH[0] && (*fmt)[1]) {
		if ((*fmt)[1] == 'c')
			*cont = true;
		else if ((*fmt)[1] >= '0' && (*fmt)[1] <= '7')
			level = (*fmt)[1] - '0';
		*fmt += 2;
	}
	return level;
}

int vprintk(const char *fmt, va_list ap)
{
	static int last_level = LOGLEVEL_DEFAULT;
	char text[512], stamp[32];
	bool cont;
	int level = parse_level(&fmt, &cont);
	int len = vsnprintf(text, sizeof(text), fmt, ap);
	size_t n = (size_t)len < sizeof(text) ? (size_t)len : sizeof(text) - 1;

	unsigned long flags = spin_lock_irqsave(&logbuf_lock);
	if (cont)
		level = last_level;
	last_level = level;
	bool show = level < console_loglevel || report_mode;
	/* A new message (not KERN_CONT) after an unterminated one starts a line. */
	if (!cont && !at_line_start) {
		log_store("\n", 1);
		if (show)
			console_write("\n", 1);
		at_line_start = true;
	}
	for (size_t i = 0; i < n;) {
		if (at_line_start && !report_mode) {
			size_t sl = format_stamp(stamp, sizeof(stamp));
			log_store(stamp, sl);
			if (show)
				console_write(stamp, sl);
		}
		size_t j = i;
		while (j < n && text[j] != '\n')
			j++;
		if (j < n)
			j++; /* include the newline */
		log_store(text + i, j - i);
		if (show)
			console_write(text + i, j - i);
		at_line_start = text[j - 1] == '\n';
		i = j;
	}
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Raw console output with no timestamp or level: KTAP lines, the monitor. */
void console_printf(const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	int len = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	size_t n = (size_t)len < sizeof(text) ? (size_t)len : sizeof(text) - 1;
	unsigned long flags = spin_lock_irqsave(&logbuf_lock);
	log_store(text, n);
	console_write(text, n);
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

/* Linux's CONSOLE_LOGLEVEL_MOTORMOUTH: every level reaches the console. */
#define CONSOLE_LOGLEVEL_MOTORMOUTH 15

void console_verbose(void)
{
	console_loglevel = CONSOLE_LOGLEVEL_MOTORMOUTH;
}

void printk_setup(void)
{
	int lvl;

	if (cmdline_get_int("loglevel", &lvl) == 0) {
		if (lvl >= 0 && lvl <= 15)
			console_loglevel = lvl;
		else
			pr_warn("loglevel=%d ignored: must be 0..15\n", lvl);
	}
}

/* Copy the log, oldest byte first, into buf (size bytes); returns bytes copied. */
size_t log_read_all(char *buf, size_t size)
{
	u32 avail = log_head < LOG_BUF_LEN ? log_head : LOG_BUF_LEN;
	u32 start = log_head - avail;
	size_t n = avail < size ? avail : size;

	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(start + i) & (LOG_BUF_LEN - 1)];
	return n;
}

/* Copy the newest bytes of the log (at most size - 1) and terminate. */
size_t log_read_tail(char *buf, size_t size)
{
	u32 avail = log_head < LOG_BUF_LEN ? log_head : LOG_BUF_LEN;
	size_t n = avail < size - 1 ? avail : size - 1;
	u32 start = log_head - (u32)n;

	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(start + i) & (LOG_BUF_LEN - 1)];
	buf[n] = '\0';
	return n;
}
