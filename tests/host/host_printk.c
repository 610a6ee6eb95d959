/* host_printk.c - the hosted printk: formats with the kernel's own vsnprintf
 * and appends to a capture buffer (checked by tests), echoing to stderr when
 * HTEST_VERBOSE is set in the environment. */
#include <stdarg.h>
#include <stdlib.h>
#include "htest.h"
#include "printk.h"

static char logbuf[1 << 20];
static size_t loglen;

const char *htest_log(void) { return logbuf; }

void htest_log_clear(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

bool htest_log_contains(const char *needle) { return strstr(logbuf, needle) != NULL; }

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (getenv("HTEST_VERBOSE"))
		fputs(line, stderr);
	size_t len = strlen(line);
	if (loglen + len + 1 >= sizeof(logbuf))
		loglen = 0; /* a test that logs a megabyte only needs the tail */
	memcpy(logbuf + loglen, line, len + 1);
	loglen += len;
	return n;
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
