/* early_map.h - copying from physical memory while only the provisional
 * 24 MB mapping exists (see early_map.c). */
#ifndef HL_EARLY_MAP_H
#define HL_EARLY_MAP_H

#include "types.h"

/* Copy len bytes at physical pa (< 4 GB) to dst. 0 on success, -1 if the
 * range is not addressable. Signature matches bootinfo's read_phys_fn. */
int early_read_phys(void *ctx, u64 pa, void *dst, size_t len);
/* Map the 2 MB at pa_2m (aligned, below 4 GB) at the window's address until
 * early_unmap_window; early_read_phys refuses meanwhile (it moves the window). */
void *early_map_window(u64 pa_2m);
void early_unmap_window(void);

#endif
