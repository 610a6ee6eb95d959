/* printk.h - the kernel log: levels, timestamps, a ring buffer of everything printed.
 *
 * printk(KERN_INFO "fmt", ...) formats with the kernel's vsnprintf (which
 * understands %d %u %x %llx %lld %s %c %p %zu, widths, '0' and '-' flags),
 * stamps the line "[    s.uuuuuu] " and stores it in the log ring buffer.
 * Lines at or below the console loglevel (loglevel= on the command line)
 * also go to the console (COM1). The hosted build (tests/host) provides its
 * own printk that captures output so tests can check what was reported. */
#ifndef HL_PRINTK_H
#define HL_PRINTK_H

#include <stdarg.h>
#include "types.h"

/* Levels are a prefix "\001" + digit, as in Linux; no prefix means KERN_DEFAULT. */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c" /* continues the previous line, no timestamp */

#define LOGLEVEL_DEFAULT 4 /* messages without a level are printed as warnings */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)
#define pr_cont(...) printk(KERN_CONT __VA_ARGS__)

#ifdef HL_HOSTED
/* Hosted unit tests link libc too: give the kernel's formatter its own names. */
#include <stdio.h>
#define vsnprintf hl_vsnprintf
#define snprintf hl_snprintf
#endif

/* Formatting (kernel/vsprintf.c, also built hosted). Always NUL-terminates
 * when size > 0; returns the length the full output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Console-only output without timestamp or level (KTAP lines, the monitor);
 * it is still kept in the log buffer. */
void console_printf(const char *fmt, ...) __printf(1, 2);
/* Show every level from now on: called before an oops or panic is printed,
 * so loglevel=0 never hides why the machine stopped. (Linux's leaves a
 * console_loglevel of 0 alone; Highland's console is the only witness.) */
void console_verbose(void);
/* Apply loglevel= from the command line. */
void printk_setup(void);
/* Copy the whole log, oldest first; returns bytes copied. */
size_t log_read_all(char *buf, size_t size);
/* Copy the newest bytes of the log (at most size - 1), NUL-terminated. */
size_t log_read_tail(char *buf, size_t size);
extern int console_loglevel;
/* Between these, printk lines are reports: shown on the console whatever
 * the loglevel, without timestamps (the monitor prints /proc-style reports
 * this way). They nest. */
void printk_report_begin(void);
void printk_report_end(void);

#endif
