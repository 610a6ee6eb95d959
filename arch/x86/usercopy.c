/* usercopy.c - the kernel's only way into user memory (include/uaccess.h).
 *
 * Each copy is one string instruction (rep movsb / rep stosb) listed in the
 * exception table: if it faults on a user address that nothing can map
 * (unmapped, a kernel page, a read-only page written), the page-fault
 * handler resumes at the fixup with %ecx holding the bytes left, which is
 * exactly Linux's return value. A range that reaches past PAGE_OFFSET is
 * refused before any access (access_ok), so a user pointer can never make
 * the kernel read or write its own memory on the caller's behalf.
 *
 * Under SMAP the CPU faults on any supervisor access to a user page unless
 * EFLAGS.AC is set: stac/clac open that window around the copy only. The
 * instructions do not exist without SMAP (#UD), hence the flag test. */
#include "asm_extable.h"
#include "kstring.h"
#include "uaccess.h"

bool x86_smap_enabled, x86_smep_enabled;

static inline void user_access_begin(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("stac" : : : "memory");
}

static inline void user_access_end(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("clac" : : : "memory");
}

/* rep movsb with a fixup: returns the bytes not copied. */
static unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	user_access_begin();
	__asm__ volatile("1:	rep movsb\n"
			 "2:\n"
			 _ASM_EXTABLE(1b, 2b)
			 : "+D"(to), "+S"(from), "+c"(n)
			 :
			 : "memory");
	user_access_end();
	return n;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n))
		left = raw_copy(to, from, n);
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return raw_copy(to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	user_access_begin();
	__asm__ volatile("1:	rep stosb\n"
			 "2:\n"
			 _ASM_EXTABLE(1b, 2b)
			 : "+D"(to), "+c"(n)
			 : "a"(0)
			 : "memory");
	user_access_end();
	return n;
}

/* Byte by byte: a string's end is not known in advance, and a string that
 * ends just before an unmapped page must not fault. */
long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long i;

	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		char c;

		if ((unsigned long)src + (unsigned long)i >= PAGE_OFFSET || raw_copy(&c, src + i, 1))
			return -EFAULT;
		dst[i] = c;
		if (!c)
			return i;
	}
	return count;
}
