/* panic.c - the end of the line. panic() depends on nothing parsed late: it
 * prints through printk (which only needs the UART) and exits QEMU with the
 * FAIL status at once. */
#include <stdarg.h>
#include "arch.h"
#include "ksyms.h"
#include "machine.h"
#include "panic.h"
#include "printk.h"

__noreturn void panic(const char *fmt, ...)
{
	static int in_panic;
	char msg[256];
	va_list ap;

	arch_irq_save();
	if (in_panic++) /* a panic while panicking: stop now */
		machine_exit(QEMU_EXIT_FAIL);
	console_verbose(); /* whatever loglevel= said */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	machine_exit(QEMU_EXIT_FAIL);
}

void warn_at(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_WARNING "WARNING: at %s:%d: %s\n", file, line, msg);
	dump_stack();
}
