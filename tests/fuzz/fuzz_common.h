/* fuzz_common.h - what the libFuzzer targets in tests/fuzz/ share: a reader
 * that turns the fuzzer's bytes into small numbers (zeros once the input is
 * used up), and an assertion that stops the run with a message (libFuzzer
 * then saves the input as a crash-* file). */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_u8(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)fz_u8(f) << (8 * i);
	return v;
}

static inline uint64_t fz_u64(struct fz *f)
{
	uint64_t lo = fz_u32(f);

	return lo | (uint64_t)fz_u32(f) << 32;
}

#define FZ_ASSERT(cond, ...)                                                        \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "%s:%d: FZ_ASSERT(%s) failed: ", __FILE__,  \
				__LINE__, #cond);                                   \
			fprintf(stderr, __VA_ARGS__);                               \
			fputc('\n', stderr);                                        \
			abort();                                                    \
		}                                                                   \
	} while (0)

/* Hosted printk appends to a capture buffer; the targets clear it now and
 * then so a long run does not spend its time in the wrap-around. */
const char *htest_log(void);
void htest_log_clear(void);

#endif
