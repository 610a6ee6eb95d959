/* htest.h - a tiny unit-test framework for the hosted build of mm/ and friends.
 *
 * Every HTEST(name) in any tests/host/test_*.c file registers itself (a
 * constructor) and tests/host/htest_main.c runs them all (or those whose
 * name contains argv[1]). Built natively with -fsanitize=address,undefined
 * and -DHL_HOSTED. The hosted printk (tests/host/host_printk.c) appends to a
 * capture buffer that tests inspect to prove a misuse was *reported*:
 *
 *   htest_log_clear();
 *   ...do the bad thing...
 *   CHECK(htest_log_contains("double free"));
 */
#ifndef HTEST_H
#define HTEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void htest_register(const char *name, void (*fn)(void), const char *file);
void htest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define HTEST(name)                                                                \
	static void name(void);                                                    \
	__attribute__((constructor)) static void htest_reg_##name(void)            \
	{                                                                          \
		htest_register(#name, name, __FILE__);                             \
	}                                                                          \
	static void name(void)

#define CHECK(cond)                                                                \
	do {                                                                       \
		if (!(cond))                                                       \
			htest_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
	} while (0)

#define CHECK_EQ(a, b)                                                             \
	do {                                                                       \
		long long __a = (long long)(a), __b = (long long)(b);              \
		if (__a != __b)                                                    \
			htest_fail(__FILE__, __LINE__,                             \
				   "CHECK_EQ(%s, %s): %lld (0x%llx) != %lld (0x%llx)", \
				   #a, #b, __a, (unsigned long long)__a, __b,      \
				   (unsigned long long)__b);                       \
	} while (0)

#define CHECK_STREQ(a, b)                                                          \
	do {                                                                       \
		const char *__a = (a), *__b = (b);                                 \
		if (strcmp(__a, __b) != 0)                                         \
			htest_fail(__FILE__, __LINE__, "CHECK_STREQ(%s, %s): \"%s\" != \"%s\"", \
				   #a, #b, __a, __b);                              \
	} while (0)

/* Captured printk output since the last clear. */
const char *htest_log(void);
void htest_log_clear(void);
bool htest_log_contains(const char *needle);

#endif
