/* qemu_maps.h - the memory maps QEMU gives a kernel, for the boot-info
 * tests (test_bootinfo.c: multiboot2, test_bootinfo_mb1.c: multiboot v1). */
#ifndef QEMU_MAPS_H
#define QEMU_MAPS_H

#include <string.h>
#include "types.h"

/* QEMU's maps (platform.md, plus the 128 KB SeaBIOS reserves at the top of
 * low RAM, which QEMU 7.2 really reports): {base, length, multiboot type}. */
static const u64 qemu_low[][3] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
};
static const u64 qemu_top[3] = { 0xfffc0000, 0x40000, 2 };

static u32 qemu_map(u64 (*e)[3], u32 mb)
{
	u64 low_end = mb >= 4096 ? 0xc0000000 : MB(mb);
	u32 n = 0;

	for (; n < 3; n++)
		memcpy(e[n], qemu_low[n], sizeof(e[n]));
	e[n][0] = 0x100000, e[n][1] = low_end - 0x20000 - 0x100000, e[n++][2] = 1;
	e[n][0] = low_end - 0x20000, e[n][1] = 0x20000, e[n++][2] = 2;
	memcpy(e[n++], qemu_top, sizeof(e[0]));
	if (mb > 3072)
		e[n][0] = GB(4), e[n][1] = MB(mb) - 0xc0000000, e[n++][2] = 1;
	return n;
}

/* One entry of a parsed map, checked against {addr, size, type}. */
#define CHECK_ENTRY(t, i, a, s, ty)                                            \
	do {                                                                   \
		CHECK_EQ((t)->map[i].addr, a);                                 \
		CHECK_EQ((t)->map[i].size, s);                                 \
		CHECK_EQ((t)->map[i].type, ty);                                \
	} while (0)

#endif
