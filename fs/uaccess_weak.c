/* uaccess_weak.c - until the processes work brings copy_from_user and
 * friends (include/uaccess.h, with the exception table), these weak
 * versions refuse every user copy: a syscall given a user pointer returns
 * -EFAULT. The real (strong) definitions replace them at link time; the
 * lead deletes this file at the merge. Nothing in ring 3 runs before then,
 * and no test relies on these. */
#include "errno.h"
#include "uaccess_decl.h"

__attribute__((weak)) unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	(void)to;
	(void)from;
	return n;
}

__attribute__((weak)) unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	(void)to;
	(void)from;
	return n;
}

__attribute__((weak)) long strncpy_from_user(char *dst, const char *src, long count)
{
	(void)dst;
	(void)src;
	(void)count;
	return -EFAULT;
}
