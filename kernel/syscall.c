/* syscall.c - the system-call table: built once at boot from the entries
 * that SYSCALL_DEFINEn put into the .syscalls section (include/syscalls.h),
 * so a subsystem adds a call without touching a central list.
 *
 * The table is indexed by Linux's i386 number; a hole is -ENOSYS, as in
 * Linux (sys_ni_syscall). Two definitions of one number are a build mistake
 * that would silently pick one: the boot stops and names both. */
#include "errno.h"
#include "panic.h"
#include "printk.h"
#include "syscalls.h"

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static const struct syscall_entry *table[NR_syscalls];

void syscall_table_init(void)
{
	unsigned count = 0;

	for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++) {
		if (e->nr >= NR_syscalls)
			panic("syscall %s: number %u is beyond NR_syscalls (%u)", e->name, e->nr,
			      NR_syscalls);
		if (table[e->nr])
			panic("syscall number %u defined twice: %s and %s", e->nr,
			      table[e->nr]->name, e->name);
		table[e->nr] = e;
		count++;
	}
	pr_info("syscalls: %u defined (int $0x80, Linux i386 numbers; the rest are -ENOSYS)\n",
		count);
}

long syscall_dispatch(unsigned nr, const struct syscall_args *args)
{
	if (nr >= NR_syscalls || !table[nr])
		return -ENOSYS;
	return table[nr]->fn(args);
}

const char *syscall_name(unsigned nr)
{
	return nr < NR_syscalls && table[nr] ? table[nr]->name : NULL;
}
