/* test_bootinfo_mb1.c - hosted tests of kernel/bootinfo.c's multiboot v1
 * parser (QEMU's -kernel boots), read through a fake physical memory whose
 * reads can fail: QEMU-shaped maps, odd entry sizes, entries past the
 * length, failed reads, bounded strings, the mem_lower/upper fallback, an
 * over-full map, the kernel's arguments, and boot modules. The multiboot2
 * tests are in test_bootinfo.c. */
#include <stdlib.h>
#include <string.h>
#include "bootinfo.h"
#include "htest.h"
#include "qemu_maps.h"

/* ---- multiboot v1 over a fake physical memory ------------------------- */

#define FAKE_BASE 0x10000u
#define INFO_PA 0x10000u
#define CMD_PA 0x10100u
#define NAME_PA (CMD_PA + BOOT_CMDLINE_MAX)
#define MMAP_PA (NAME_PA + 0x200)

struct fakemem {
	u8 mem[0x4000 + 24 * (E820_MAX_ENTRIES + 64)]; /* FAKE_BASE up: room for a huge map */
	u64 bad_lo, bad_hi; /* reads touching [bad_lo, bad_hi) fail */
	unsigned long calls;
};

static int fake_read(void *ctx, u64 pa, void *dst, size_t len)
{
	struct fakemem *f = ctx;

	f->calls++;
	if (pa < FAKE_BASE || pa - FAKE_BASE > sizeof(f->mem) ||
	    len > sizeof(f->mem) - (pa - FAKE_BASE))
		return -1;
	if (pa < f->bad_hi && pa + len > f->bad_lo)
		return -1;
	memcpy(dst, f->mem + (pa - FAKE_BASE), len);
	return 0;
}

static void fput32(struct fakemem *f, u32 pa, u32 v) { memcpy(f->mem + pa - FAKE_BASE, &v, 4); }
static void fput64(struct fakemem *f, u32 pa, u64 v) { memcpy(f->mem + pa - FAKE_BASE, &v, 8); }

/* Info with mem, cmdline, mmap (n entries of 4 + esize bytes) and loader. */
static void fake_info(struct fakemem *f, const char *cmd, const u64 (*e)[3], u32 n, u32 esize)
{
	u32 p = MMAP_PA;

	memset(f, 0, sizeof(*f));
	fput32(f, INFO_PA, MB1_FLAG_MEM | MB1_FLAG_CMDLINE | MB1_FLAG_MMAP | MB1_FLAG_LOADER_NAME);
	fput32(f, INFO_PA + 4, 639);
	fput32(f, INFO_PA + 8, 7 * 1024 * 1024);
	fput32(f, INFO_PA + 16, CMD_PA);
	fput32(f, INFO_PA + 64, NAME_PA);
	strcpy((char *)f->mem + CMD_PA - FAKE_BASE, cmd);
	strcpy((char *)f->mem + NAME_PA - FAKE_BASE, "qemu");
	for (u32 i = 0; i < n; i++, p += 4 + esize) {
		fput32(f, p, esize);
		fput64(f, p + 4, e[i][0]);
		fput64(f, p + 12, e[i][1]);
		fput32(f, p + 20, (u32)e[i][2]);
	}
	fput32(f, INFO_PA + 44, p - MMAP_PA);
	fput32(f, INFO_PA + 48, MMAP_PA);
}

static struct fakemem fm;
static struct boot_info bi1;

HTEST(mb1_qemu_8192)
{
	u64 e[8][3];
	u32 n = qemu_map(e, 8192);

	fake_info(&fm, "/tmp/build/kernel.elf ktest=all  loglevel=7", (const u64 (*)[3])e, n, 20);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(htest_log()[0], '\0');
	CHECK_EQ(bi1.protocol, 1);
	CHECK_STREQ(bi1.cmdline, "/tmp/build/kernel.elf ktest=all  loglevel=7");
	CHECK_STREQ(bootinfo_kernel_args(&bi1), "ktest=all  loglevel=7");
	CHECK_STREQ(bi1.loader, "qemu");
	CHECK(bi1.have_meminfo);
	CHECK_EQ(bi1.mem_upper_kb, 7 * 1024 * 1024);
	CHECK_EQ(bi1.map.nr, n);
	for (u32 i = 0; i < n; i++)
		CHECK_ENTRY(&bi1.map, i, e[i][0], e[i][1], e[i][2] == 1 ? E820_USABLE : E820_RESERVED);
	CHECK_EQ(e820_end_of_ram(&bi1.map), 0x240000000ULL);
	bootinfo_print(&bi1);
	CHECK(htest_log_contains("Boot loader: qemu (multiboot v1)"));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable\n"));
}

HTEST(mb1_bigger_entries_and_stray_bytes)
{
	u64 e[2][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(31), 4 } };

	fake_info(&fm, "k", (const u64 (*)[3])e, 2, 28); /* legal: advance by size + 4 */
	fput32(&fm, INFO_PA + 44, 2 * 32 + 3);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(bi1.map.nr, 2);
	CHECK_ENTRY(&bi1.map, 1, 0x100000, MB(31), E820_NVS);
	CHECK(htest_log_contains("multiboot v1: mmap: 3 stray bytes at offset 64"));
}

HTEST(mb1_mmap_entry_size_0)
{
	u64 e[3][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(31), 1 }, { MB(64), MB(1), 1 } };

	fake_info(&fm, "k", (const u64 (*)[3])e, 3, 20);
	fput32(&fm, MMAP_PA + 24, 0); /* would never advance */
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("multiboot v1: mmap entry at offset 24: size 0 < 20"));
	CHECK_EQ(bi1.map.nr, 1);
	CHECK(fm.calls < 100);

	htest_log_clear();
	fake_info(&fm, "k", (const u64 (*)[3])e, 3, 20);
	fput32(&fm, MMAP_PA + 48, 19);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("multiboot v1: mmap entry at offset 48: size 19 < 20"));
	CHECK_EQ(bi1.map.nr, 2);
}

HTEST(mb1_mmap_entry_past_length)
{
	u64 e[2][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(31), 1 } };

	fake_info(&fm, "k", (const u64 (*)[3])e, 2, 20);
	fput32(&fm, MMAP_PA + 24, 0xfffffff0u);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("multiboot v1: mmap entry at offset 24: size 4294967280 runs past mmap_length 48"));
	CHECK_EQ(bi1.map.nr, 1);
}

HTEST(mb1_read_failures)
{
	u64 e[3][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(31), 1 }, { MB(64), MB(1), 1 } };

	fake_info(&fm, "k", (const u64 (*)[3])e, 3, 20);
	fm.bad_lo = MMAP_PA + 48 + 8, fm.bad_hi = fm.bad_lo + 1; /* inside entry 3 */
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("multiboot v1: mmap entry at 0x11330 (offset 48) unreadable"));
	CHECK_EQ(bi1.map.nr, 2);

	htest_log_clear(); /* huge mmap_length over readable memory: stops at the end */
	fake_info(&fm, "k", (const u64 (*)[3])e, 3, 20);
	fput32(&fm, INFO_PA + 44, 0xffffffffu);
	memset(fm.mem + MMAP_PA + 72 - FAKE_BASE, 0x14, 0x4000 - (MMAP_PA + 72 - FAKE_BASE));
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("unreadable"));
	CHECK(bi1.map.nr <= E820_MAX_ENTRIES);

	htest_log_clear();
	CHECK_EQ(parse_multiboot1(0x1000, fake_read, &fm, &bi1), -1);
	CHECK(htest_log_contains("multiboot v1: info structure at 0x00001000 is unreadable"));
	CHECK_EQ(parse_multiboot1(INFO_PA, NULL, &fm, &bi1), -1);

	htest_log_clear(); /* the command line crosses into unreadable memory */
	fake_info(&fm, "0123456789", (const u64 (*)[3])e, 3, 20);
	fm.bad_lo = CMD_PA + 4, fm.bad_hi = CMD_PA + 5;
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_STREQ(bi1.cmdline, "0123");
	CHECK(htest_log_contains("multiboot v1: command line at 0x00010100: byte 4 unreadable, truncated"));
	CHECK(!htest_log_contains("no NUL"));
}

HTEST(mb1_strings_bounded)
{
	u64 e[1][3] = { { 0, 0x9fc00, 1 } };
	char *cmd = (char *)fm.mem + CMD_PA - FAKE_BASE;

	fake_info(&fm, "", (const u64 (*)[3])e, 1, 20);
	memset(cmd, 'a', BOOT_CMDLINE_MAX - 1); /* exactly fits: no warning */
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(strlen(bi1.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(!htest_log_contains("truncated"));

	memset(cmd, 'a', BOOT_CMDLINE_MAX + 100); /* runs over the name too: both truncated */
	memset(fm.mem + NAME_PA - FAKE_BASE, 'n', 0x100);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(strlen(bi1.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK_EQ(strlen(bi1.loader), 63);
	CHECK(htest_log_contains("multiboot v1: command line at 0x00010100: no NUL within 4095 bytes, truncated"));
	CHECK(htest_log_contains("multiboot v1: boot loader name at 0x00011100: no NUL within 63 bytes, truncated"));
}

HTEST(mb1_meminfo_fallback_and_no_flags)
{
	fake_info(&fm, "k", NULL, 0, 20);
	fput32(&fm, INFO_PA, MB1_FLAG_MEM); /* no mmap */
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK(htest_log_contains("multiboot v1: no memory map, synthesizing one from mem_lower=639KB mem_upper=7340032KB"));
	CHECK_EQ(bi1.map.nr, 2);
	CHECK_ENTRY(&bi1.map, 1, MB(1), KB(7 * 1024 * 1024), E820_USABLE);
	CHECK_STREQ(bi1.cmdline, ""); /* flag 2 clear: cmdline ignored */

	htest_log_clear();
	fput32(&fm, INFO_PA, 0);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), -1);
	CHECK(htest_log_contains("multiboot v1: no memory map and no basic meminfo"));
}

HTEST(mb1_too_many_entries)
{
	enum { N = E820_MAX_ENTRIES + 50 };
	static u64 e[N][3];

	for (u32 i = 0; i < N; i++) /* alternating types: nothing merges */
		e[i][0] = (u64)i << 12, e[i][1] = 0x1000, e[i][2] = 1 + (i & 1);
	e[N - 1][0] = (u64)(N - 2) << 12, e[N - 1][1] = 0x1000, e[N - 1][2] = 2;
	fake_info(&fm, "k", (const u64 (*)[3])e, N, 20);
	htest_log_clear();
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(bi1.map.nr, E820_MAX_ENTRIES);
	CHECK(htest_log_contains("e820: table full"));
	CHECK_EQ(bi1.map.dropped, 50); /* read to the end, every loss counted */
	CHECK_EQ(bi1.map.dropped_usable, 25 * 0x1000);
	CHECK(htest_log_contains("e820: 50 entries did not fit"));
}

HTEST(kernel_args)
{
	static const char *const cases[][3] = { /* protocol, cmdline, args */
		{ "1", "/boot/kernel.elf ktest=all", "ktest=all" },
		{ "1", "kernel.elf   a  b", "a  b" },
		{ "1", "build/kernel", "" },
		{ "1", "kernel.elf", "" },
		{ "1", "ktest=all loglevel=7", "ktest=all loglevel=7" },
		{ "1", "elf x", "elf x" },
		{ "1", " /boot/k x", " /boot/k x" },
		{ "1", "", "" },
		{ "2", "/boot/kernel.elf x", "/boot/kernel.elf x" },
		{ "2", "", "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&bi1, 0, sizeof(bi1));
		bi1.protocol = cases[i][0][0] - '0';
		strcpy(bi1.cmdline, cases[i][1]);
		CHECK_STREQ(bootinfo_kernel_args(&bi1), cases[i][2]);
	}
}

#define MODS_PA (MMAP_PA + 0x400)
#define MODSTR_PA (MODS_PA + 0x100)

HTEST(mb1_modules)
{
	u64 e[8][3];
	u32 n = qemu_map(e, 512);

	fake_info(&fm, "k.elf", (const u64 (*)[3])e, n, 20);
	fput32(&fm, INFO_PA, MB1_FLAG_MEM | MB1_FLAG_MMAP | MB1_FLAG_MODS);
	fput32(&fm, INFO_PA + 20, 2);
	fput32(&fm, INFO_PA + 24, MODS_PA);
	fput32(&fm, MODS_PA, 0x10b000);
	fput32(&fm, MODS_PA + 4, 0x10b800);
	fput32(&fm, MODS_PA + 8, MODSTR_PA);
	strcpy((char *)fm.mem + MODSTR_PA - FAKE_BASE, "build/initramfs.cpio");
	fput32(&fm, MODS_PA + 16, 0x10c000);
	fput32(&fm, MODS_PA + 20, 0x10bfff); /* reversed */
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(bi1.nr_modules, 1);
	CHECK_EQ(bi1.modules[0].start, 0x10b000);
	CHECK_EQ(bi1.modules[0].end, 0x10b800);
	CHECK_STREQ(bi1.modules[0].name, "build/initramfs.cpio");
	CHECK(htest_log_contains("multiboot v1 module 1: module [0x10c000, 0x10bfff) is empty or reversed"));
	/* an unreadable entry table ends the list with a message */
	fput32(&fm, INFO_PA + 24, 0xfff00000u);
	CHECK_EQ(parse_multiboot1(INFO_PA, fake_read, &fm, &bi1), 0);
	CHECK_EQ(bi1.nr_modules, 0);
	CHECK(htest_log_contains("module 0 entry at 0xfff00000 unreadable"));
}
