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

/* The hosted panic: print what the kernel would, then abort (a test that
 * must see a panic forks and checks the child died of SIGABRT). */
#include "panic.h"

__noreturn void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("Kernel panic - not syncing: %s\n", msg);
	fprintf(stderr, "Kernel panic - not syncing: %s\n", msg);
	abort();
}

void warn_at(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("WARNING: at %s:%d: %s\n", file, line, msg);
}

void dump_stack(void) {}

/* The hosted build has no symbol table: %pS prints the address. */
void ksym_format(u32 addr, char *buf, size_t size) { hl_snprintf(buf, size, "0x%08x", addr); }

/* No symbol table in the hosted build: name lookups find nothing. */
u32 ksym_address(const char *name) { (void)name; return 0; }
const char *ksym_lookup(u32 addr, u32 *offset, u32 *size)
{
	(void)addr, (void)offset, (void)size;
	return NULL;
}
