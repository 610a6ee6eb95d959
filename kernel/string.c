/* string.c - the few libc string functions a freestanding kernel needs.
 * memset/memcpy use `rep stos`/`rep movs`: short, and under QEMU -icount one
 * repetition counts as one instruction, which is what the benchmarks show. */
#include "kstring.h"

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	u32 fill = (u8)c * 0x01010101u;

	__asm__ volatile("rep stosl" : "+D"(d), "+c"((size_t){ n >> 2 }) : "a"(fill) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"((size_t){ n & 3 }) : "a"(fill) : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	const void *s = src;
	size_t words = n >> 2, bytes = n & 3;

	__asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
