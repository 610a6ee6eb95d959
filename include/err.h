/* err.h - an error number inside a pointer, as Linux's ERR_PTR: the top
 * 4095 addresses are never valid kernel pointers, so a function returning
 * a pointer can return -errno there instead. */
#ifndef HL_ERR_H
#define HL_ERR_H

#include "types.h"

#define MAX_ERRNO 4095

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO; }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

#endif
