/* test_bootinfo.c - hosted tests of kernel/bootinfo.c: QEMU-shaped multiboot2
 * information, every malformed tag the parser must survive, multiboot v1
 * through a fake physical memory, and a mutation fuzz of the mb2 parser. */
#include <stdlib.h>
#include "bootinfo.h"
#include "htest.h"
#include "qemu_maps.h"

/* ---- building multiboot2 information ---------------------------------- */

struct mb2 {
	_Alignas(8) u8 b[24 * (E820_MAX_ENTRIES + 128) + 4096]; /* room for an over-full map */
	u32 len;
};

static void put32(struct mb2 *m, u32 off, u32 v) { memcpy(m->b + off, &v, 4); }
static void put64(struct mb2 *m, u32 off, u64 v) { memcpy(m->b + off, &v, 8); }

static void mb2_init(struct mb2 *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

/* A tag with an explicit size field and payload (size may lie). */
static void mb2_raw_tag(struct mb2 *m, u32 type, u32 size, const void *data, u32 n)
{
	put32(m, m->len, type);
	put32(m, m->len + 4, size);
	if (n)
		memcpy(m->b + m->len + 8, data, n);
	m->len = ALIGN_UP(m->len + 8 + n, 8);
}

static void mb2_tag(struct mb2 *m, u32 type, const void *data, u32 n)
{
	mb2_raw_tag(m, type, 8 + n, data, n);
}

static void mb2_str(struct mb2 *m, u32 type, const char *s)
{
	mb2_tag(m, type, s, strlen(s) + 1);
}

static void mb2_meminfo(struct mb2 *m, u32 lower, u32 upper)
{
	u32 v[2] = { lower, upper };

	mb2_tag(m, MB2_TAG_MEMINFO, v, sizeof(v));
}

/* A memory map tag: entries of esize bytes (first 24 meaningful, the rest
 * filled with 0xee to prove they are ignored); extra bytes appended raw. */
static void mb2_mmap(struct mb2 *m, u32 esize, u32 version, const u64 (*e)[3], u32 n, u32 extra)
{
	u32 off = m->len, p = off + 16;

	put32(m, off, MB2_TAG_MMAP);
	put32(m, off + 4, 16 + n * esize + extra);
	put32(m, off + 8, esize);
	put32(m, off + 12, version);
	for (u32 i = 0; i < n; i++, p += esize) {
		memset(m->b + p, 0xee, esize);
		put64(m, p, e[i][0]);
		put64(m, p + 8, e[i][1]);
		put32(m, p + 16, (u32)e[i][2]);
		put32(m, p + 20, 0);
	}
	memset(m->b + p, 0xee, extra);
	m->len = ALIGN_UP(p + extra, 8);
}

static void mb2_end(struct mb2 *m)
{
	mb2_tag(m, MB2_TAG_END, NULL, 0);
	put32(m, 0, m->len);
}

static void build_qemu(struct mb2 *m, u32 mb)
{
	u64 e[8][3];
	u32 n = qemu_map(e, mb), elf[3] = { 0, 40, 0 };

	mb2_init(m);
	mb2_str(m, MB2_TAG_CMDLINE, "ktest=all loglevel=7");
	mb2_str(m, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	mb2_meminfo(m, 639, mb >= 4096 ? 3 * 1024 * 1024 - 1024 - 128 : mb * 1024 - 1024 - 128);
	mb2_tag(m, 9, elf, sizeof(elf));  /* ELF sections: ignored */
	mb2_tag(m, 21, elf, sizeof(elf)); /* load base address: ignored */
	mb2_tag(m, 77, elf, 5);           /* unknown: ignored silently */
	mb2_mmap(m, 24, 0, (const u64 (*)[3])e, n, 0);
	mb2_end(m);
}


static void check_qemu(u32 mb, const char *usable_line, const char *reserved_line)
{
	static struct boot_info bi;
	struct mb2 m;
	u64 e[8][3];
	u32 n = qemu_map(e, mb);

	build_qemu(&m, mb);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(htest_log()[0], '\0'); /* nothing to complain about */
	CHECK_EQ(bi.protocol, 2);
	CHECK_STREQ(bi.cmdline, "ktest=all loglevel=7");
	CHECK_STREQ(bootinfo_kernel_args(&bi), "ktest=all loglevel=7");
	CHECK_STREQ(bi.loader, "GRUB 2.06-13+deb12u1");
	CHECK(bi.have_meminfo);
	CHECK_EQ(bi.mem_lower_kb, 639);
	CHECK_EQ(bi.map.nr, n);
	for (u32 i = 0; i < n; i++)
		CHECK_ENTRY(&bi.map, i, e[i][0], e[i][1], e[i][2] == 1 ? E820_USABLE : E820_RESERVED);
	bootinfo_print(&bi);
	CHECK(htest_log_contains("Command line: ktest=all loglevel=7\n"));
	CHECK(htest_log_contains("Boot loader: GRUB 2.06-13+deb12u1"));
	CHECK(htest_log_contains("BIOS-provided physical RAM map:\n"
				 "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
				 "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
				 "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n"));
	CHECK(htest_log_contains(usable_line));
	CHECK(htest_log_contains(reserved_line));
	CHECK(htest_log_contains("BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"));
	CHECK_EQ(e820_sanitize(&bi.map), 0); /* QEMU's map is already clean */
}

HTEST(mb2_qemu_512)
{
	check_qemu(512, "BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable\n",
		   "BIOS-e820: [mem 0x000000001ffe0000-0x000000001fffffff] reserved\n");
}

HTEST(mb2_qemu_2048)
{
	check_qemu(2048, "BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable\n",
		   "BIOS-e820: [mem 0x000000007ffe0000-0x000000007fffffff] reserved\n");
}

HTEST(mb2_qemu_8192)
{
	static struct boot_info bi;
	struct mb2 m;

	check_qemu(8192, "BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable\n",
		   "BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved\n");
	CHECK(htest_log_contains("BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable\n"));
	build_qemu(&m, 8192);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(e820_end_of_ram(&bi.map), 0x240000000ULL);
	CHECK_EQ(e820_total(&bi.map, E820_USABLE), 0x9fc00 + 0xbfee0000 + 0x140000000ULL);
}

HTEST(mb2_unaligned_copy)
{
	static struct boot_info bi;
	static u8 shifted[sizeof(struct mb2) + 1];
	struct mb2 m;

	build_qemu(&m, 8192);
	memcpy(shifted + 1, m.b, m.len); /* loads must not assume alignment */
	CHECK_EQ(parse_multiboot2(shifted + 1, m.len, &bi), 0);
	CHECK_EQ(bi.map.nr, 7);
}

HTEST(mb2_too_short)
{
	static struct boot_info bi;
	struct mb2 m;

	CHECK_EQ(parse_multiboot2(NULL, 100, &bi), -1);
	CHECK(htest_log_contains("multiboot2: only 100 bytes"));
	mb2_init(&m);
	CHECK_EQ(parse_multiboot2(m.b, 7, &bi), -1);
	CHECK(htest_log_contains("multiboot2: only 7 bytes of boot information"));
	put32(&m, 0, 8);
	CHECK_EQ(parse_multiboot2(m.b, sizeof(m.b), &bi), -1);
	CHECK(htest_log_contains("multiboot2: total_size 8 < 16"));
	CHECK(htest_log_contains("no memory map and no basic meminfo"));
}

HTEST(mb2_total_size_past_buffer)
{
	static struct boot_info bi;
	struct mb2 m;

	build_qemu(&m, 512);
	put32(&m, 0, m.len + 4096);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0); /* everything is there */
	CHECK(htest_log_contains("multiboot2: total_size"));
	CHECK(htest_log_contains("> the"));
	CHECK_EQ(bi.map.nr, 6);

	/* the copy was cut inside the memory map: that tag is rejected */
	htest_log_clear();
	build_qemu(&m, 512);
	CHECK_EQ(parse_multiboot2(m.b, m.len - 24, &bi), 0); /* meminfo fallback */
	CHECK(htest_log_contains("tag type 6 at offset"));
	CHECK(htest_log_contains("runs past total_size"));
	CHECK(htest_log_contains("synthesizing one from mem_lower=639KB mem_upper=523136KB"));
	CHECK_EQ(bi.map.nr, 2);
	CHECK_ENTRY(&bi.map, 0, 0, 639 * 1024, E820_USABLE);
	CHECK_ENTRY(&bi.map, 1, MB(1), KB(523136), E820_USABLE);
}

HTEST(mb2_tag_size_below_8)
{
	static struct boot_info bi;
	struct mb2 m;
	u64 e[1][3] = { { 0, MB(1), 1 } };

	for (u32 bad = 0; bad < 8; bad++) {
		htest_log_clear();
		mb2_init(&m);
		mb2_mmap(&m, 24, 0, (const u64 (*)[3])e, 1, 0);
		mb2_raw_tag(&m, 1, bad, "x\0\0\0\0\0\0", 8); /* size 0 would loop forever */
		mb2_str(&m, MB2_TAG_LOADER_NAME, "never reached");
		mb2_end(&m);
		CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
		CHECK(htest_log_contains("tag type 1 at offset 48: size"));
		CHECK(htest_log_contains("< 8, cannot find the next tag"));
		CHECK_STREQ(bi.loader, "");
		CHECK_EQ(bi.map.nr, 1);
	}
}

HTEST(mb2_tag_runs_past_end)
{
	static struct boot_info bi;
	struct mb2 m;

	mb2_init(&m);
	mb2_meminfo(&m, 600, 1024);
	mb2_raw_tag(&m, MB2_TAG_CMDLINE, 0xfffffff0u, "abc", 4);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK(htest_log_contains("multiboot2: tag type 1 at offset 24: size 4294967280 runs past total_size 48, skipped"));
	CHECK_STREQ(bi.cmdline, "");
	CHECK(htest_log_contains("synthesizing"));
	CHECK_EQ(bi.map.nr, 2);
}

HTEST(mb2_missing_end_tag)
{
	static struct boot_info bi;
	struct mb2 m;

	build_qemu(&m, 2048);
	put32(&m, 0, m.len - 8); /* the end tag falls outside total_size */
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK(htest_log_contains("multiboot2: no end tag within total_size"));
	CHECK_EQ(bi.map.nr, 6);
}

HTEST(mb2_no_memory_information)
{
	static struct boot_info bi;
	struct mb2 m;

	mb2_init(&m);
	mb2_str(&m, MB2_TAG_CMDLINE, "quiet");
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), -1);
	CHECK(htest_log_contains("multiboot2: no memory map and no basic meminfo"));

	htest_log_clear(); /* meminfo saying "no memory" is no better */
	mb2_init(&m);
	mb2_meminfo(&m, 0, 0);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), -1);
	CHECK(htest_log_contains("basic meminfo reports no memory at all"));
}

HTEST(mb2_short_meminfo_and_mmap_headers)
{
	static struct boot_info bi;
	struct mb2 m;
	u32 v = 640;

	mb2_init(&m);
	mb2_tag(&m, MB2_TAG_MEMINFO, &v, 4);
	mb2_tag(&m, MB2_TAG_MMAP, &v, 4);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), -1);
	CHECK(htest_log_contains("tag type 4 (basic meminfo) at offset 8: size 12 < 16, skipped"));
	CHECK(htest_log_contains("tag type 6 (memory map) at offset 24: size 12 < 16, skipped"));
	CHECK(!bi.have_meminfo);
}

static void try_entry_size(u32 esize, bool accepted)
{
	static struct boot_info bi;
	struct mb2 m;
	u64 e[2][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(15), 5 } };
	char msg[128];

	htest_log_clear();
	mb2_init(&m);
	mb2_meminfo(&m, 1, 1);
	mb2_mmap(&m, esize, 0, (const u64 (*)[3])e, esize >= 24 ? 2 : 0, esize < 24 ? 48 : 0);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	snprintf(msg, sizeof(msg), "tag type 6 (memory map) at offset 24: entry_size %u is not", esize);
	CHECK_EQ(htest_log_contains(msg), !accepted);
	if (accepted) {
		CHECK_EQ(bi.map.nr, 2);
		CHECK_ENTRY(&bi.map, 0, 0, 0x9fc00, E820_USABLE);
		CHECK_ENTRY(&bi.map, 1, 0x100000, MB(15), E820_UNUSABLE);
	} else {
		CHECK(htest_log_contains("synthesizing"));
		CHECK_ENTRY(&bi.map, 0, 0, 1024, E820_USABLE);
	}
}

HTEST(mb2_mmap_entry_sizes)
{
	try_entry_size(0, false);
	try_entry_size(8, false);
	try_entry_size(20, false);
	try_entry_size(28, false);
	try_entry_size(24, true);
	try_entry_size(32, true); /* bigger entries are legal */
	try_entry_size(64, true);
}

HTEST(mb2_mmap_partial_entry_and_version)
{
	static struct boot_info bi;
	struct mb2 m;
	u64 e[2][3] = { { 0, 0x9fc00, 1 }, { 0x100000, MB(15), 1 } };

	mb2_init(&m);
	mb2_mmap(&m, 24, 1, (const u64 (*)[3])e, 2, 20); /* 20 stray bytes */
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK(htest_log_contains("tag type 6 (memory map) at offset 8: entry_version 1, expected 0"));
	CHECK(htest_log_contains("68 bytes of entries is not a multiple of entry_size 24, using 2 whole entries"));
	CHECK_EQ(bi.map.nr, 2);
	CHECK_ENTRY(&bi.map, 1, 0x100000, MB(15), E820_USABLE);
}

HTEST(mb2_mmap_types_and_second_map)
{
	static struct boot_info bi;
	static const u32 in[] = { 1, 2, 3, 4, 5, 0, 6, 7, 12, 0xffffffffu };
	static const u32 out[] = { 1, 2, 3, 4, 5, 2, 2, 2, 2, 2 };
	u64 e[ARRAY_SIZE(in)][3];
	struct mb2 m;

	for (u32 i = 0; i < ARRAY_SIZE(in); i++)
		e[i][0] = (u64)i << 12, e[i][1] = 0x1000, e[i][2] = in[i];
	mb2_init(&m);
	mb2_mmap(&m, 24, 0, (const u64 (*)[3])e, ARRAY_SIZE(in), 0);
	mb2_mmap(&m, 24, 0, (const u64 (*)[3])e, 1, 0);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK(htest_log_contains("a second memory map, ignored"));
	CHECK_EQ(bi.map.nr, ARRAY_SIZE(in));
	for (u32 i = 0; i < ARRAY_SIZE(in); i++)
		CHECK_EQ(bi.map.map[i].type, out[i]);
}

/* More entries than the table holds (an mb2 map with 40-byte entries can
 * carry them): parsing goes on after the first drop, every later entry that
 * continues the last kept one is merged, and the loss is counted exactly. */
HTEST(mb2_mmap_too_many_entries)
{
	enum { N = E820_MAX_ENTRIES + 100 };
	static struct boot_info bi;
	static u64 e[N][3];
	static struct mb2 m;
	char want[200];

	for (u32 i = 0; i < N; i++)
		e[i][0] = (u64)i << 12, e[i][1] = 0x1000, e[i][2] = 1 + (i & 1);
	e[N - 1][0] = 0x40000000, e[N - 1][1] = MB(512), e[N - 1][2] = 1; /* a big usable one */
	mb2_init(&m);
	mb2_mmap(&m, 24, 0, (const u64 (*)[3])e, N, 0);
	mb2_end(&m);
	htest_log_clear();
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(bi.map.nr, E820_MAX_ENTRIES);
	snprintf(want, sizeof(want), "e820: table full (%d entries), dropping [mem 0x%016llx-0x%016llx]",
		 E820_MAX_ENTRIES, (unsigned long long)E820_MAX_ENTRIES << 12,
		 ((unsigned long long)E820_MAX_ENTRIES << 12) + 0xfff);
	CHECK(htest_log_contains(want));
	CHECK_ENTRY(&bi.map, E820_MAX_ENTRIES - 1, (u64)(E820_MAX_ENTRIES - 1) << 12, 0x1000,
		    E820_RESERVED);
	CHECK_EQ(bi.map.dropped, 100);
	CHECK_EQ(bi.map.dropped_usable, 50 * 0x1000 + MB(512)); /* 50 usable pages + the big one */
	CHECK(htest_log_contains("e820: 100 entries did not fit"));
	CHECK(htest_log_contains("537075712 bytes (512MB) of usable RAM among them will not be used"));
}

/* The probe's map: GRUB's `badram 0x40500000,0xc0700000,0x80500000,0xc0700000`
 * at -m 3000 marks 1 MB of every 8 MB from 1 GB to 3 GB bad: about 520
 * alternating entries. The old 128-entry table stopped there and lost every
 * usable range after entry 128 (about 850 MB). Every usable byte must stay. */
HTEST(mb2_mmap_grub_badram_map_kept_whole)
{
	static u64 e[600][3];
	static struct boot_info bi;
	static struct mb2 m;
	u32 n = 0;
	u64 usable = 0, end_ram = 0xbb800000ULL; /* -m 3000: RAM below 4 GB ends here */

	e[n][0] = 0, e[n][1] = 0x9fc00, e[n][2] = 1, usable += 0x9fc00, n++;
	e[n][0] = 0x9fc00, e[n][1] = 0x400, e[n][2] = 2, n++;
	e[n][0] = 0xf0000, e[n][1] = 0x10000, e[n][2] = 2, n++;
	u64 at = 0x100000;
	for (u64 blk = 0x40000000; blk < 0xc0000000 && blk < end_ram; blk += MB(8)) {
		u64 bad = blk + 0x500000; /* (addr & 0xc0700000) == 0x40500000 / 0x80500000 */
		if (bad >= end_ram)
			break;
		e[n][0] = at, e[n][1] = bad - at, e[n][2] = 1, usable += bad - at, n++;
		e[n][0] = bad, e[n][1] = MB(1), e[n][2] = 5, n++;
		at = bad + MB(1);
	}
	e[n][0] = at, e[n][1] = end_ram - at, e[n][2] = 1, usable += end_ram - at, n++;
	e[n][0] = 0xfffc0000, e[n][1] = 0x40000, e[n][2] = 2, n++;
	CHECK(n > 450); /* 247 bad megabytes: 499 entries */
	mb2_init(&m);
	mb2_mmap(&m, 24, 0, (const u64 (*)[3])e, n, 0);
	mb2_end(&m);
	htest_log_clear();
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(bi.map.nr, n);
	CHECK_EQ(bi.map.dropped, 0);
	CHECK(!htest_log_contains("table full"));
	CHECK_EQ(e820_sanitize(&bi.map), 0);
	CHECK_EQ(e820_total(&bi.map, E820_USABLE), usable);
	CHECK_EQ(e820_total(&bi.map, E820_UNUSABLE), (u64)(n - 5) / 2 * MB(1));
}

HTEST(mb2_strings_unterminated_or_long)
{
	static struct boot_info bi;
	char longname[200];
	struct mb2 m;

	memset(longname, 'L', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	mb2_init(&m);
	mb2_meminfo(&m, 639, 1024);
	mb2_raw_tag(&m, MB2_TAG_CMDLINE, 8 + 5, "abcdeXYZ", 8); /* no NUL within size */
	mb2_str(&m, MB2_TAG_LOADER_NAME, longname);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_STREQ(bi.cmdline, "abcde");
	CHECK(htest_log_contains("tag type 1 (command line) at offset 24: not NUL-terminated within its 13 bytes, truncated"));
	CHECK_EQ(strlen(bi.loader), 63);
	CHECK(strspn(bi.loader, "L") == 63);
	CHECK(htest_log_contains("tag type 2 (boot loader name) at offset 40: longer than 63 bytes, truncated"));
}

/* Mutate a valid buffer at random: the parser must never read outside it
 * (ASan watches), always terminate its strings and keep nr in range. */
HTEST(mb2_mutation_fuzz)
{
	static struct boot_info bi;
	static struct mb2 base, m;
	static u8 *heap;
	u64 s = 0x9e3779b97f4a7c15ULL;

	build_qemu(&base, 8192);
	for (int iter = 0; iter < 5000; iter++) {
		u32 len;

		m = base;
		for (int k = 0; k < 1 + iter % 4; k++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			u32 off = (u32)(s % base.len);
			if (s >> 60 < 8)
				m.b[off] = (u8)(s >> 32);
			else /* a plausible-looking small or huge u32 */
				put32(&m, off & ~3u, (s >> 63) ? (u32)(s >> 40) % 64 : (u32)(s >> 32));
		}
		len = (u32)((s >> 20) % (base.len + 1));
		heap = malloc(len ? len : 1); /* exact size: overreads are caught */
		memcpy(heap, m.b, len);
		int r = parse_multiboot2(heap, len, &bi);
		free(heap);
		CHECK(r == 0 || r == -1);
		CHECK(bi.map.nr <= E820_MAX_ENTRIES);
		CHECK(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
		CHECK(memchr(bi.loader, 0, sizeof(bi.loader)) != NULL);
		if (r == 0)
			CHECK(bi.map.nr > 0);
	}
}

/* ---- boot modules (the initramfs) ---------------------------------------- */

static void mb2_module(struct mb2 *m, u32 start, u32 end, const char *s, u32 slen)
{
	u8 p[8 + 64];

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, slen);
	mb2_tag(m, MB2_TAG_MODULE, p, 8 + slen);
}

HTEST(mb2_modules)
{
	static struct mb2 m;
	static struct boot_info bi;

	mb2_init(&m);
	mb2_meminfo(&m, 639, 1024);
	mb2_module(&m, 0x200000, 0x234567, "/boot/initrd.cpio", 18);
	mb2_module(&m, 0x300000, 0x300000, "empty", 6);        /* refused */
	mb2_module(&m, 0x234000, 0x240000, "overlap", 8);      /* refused */
	mb2_module(&m, 0x400000, 0x401000, "nonul", 5);        /* kept, said */
	mb2_raw_tag(&m, MB2_TAG_MODULE, 12, "\0\0\0\0", 4);    /* too short */
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(bi.nr_modules, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x234567);
	CHECK_STREQ(bi.modules[0].name, "/boot/initrd.cpio");
	CHECK_EQ(bi.modules[1].start, 0x400000);
	CHECK_STREQ(bi.modules[1].name, "nonul");
	CHECK(htest_log_contains("module [0x300000, 0x300000) is empty or reversed, ignored"));
	CHECK(htest_log_contains("module [0x234000, 0x240000) overlaps module 0"));
	CHECK(htest_log_contains("not NUL-terminated"));
	CHECK(htest_log_contains("tag type 3 (module) at offset"));
	bootinfo_print(&bi);
	CHECK(htest_log_contains("Boot module 0: [mem 0x00200000-0x00234566] 214375 bytes \"/boot/initrd.cpio\""));
}

HTEST(mb2_modules_too_many)
{
	static struct mb2 m;
	static struct boot_info bi;

	mb2_init(&m);
	mb2_meminfo(&m, 639, 1024);
	for (u32 i = 0; i < BOOT_MODULES_MAX + 2; i++)
		mb2_module(&m, 0x100000 * (i + 1), 0x100000 * (i + 1) + 10, "m", 2);
	mb2_end(&m);
	CHECK_EQ(parse_multiboot2(m.b, m.len, &bi), 0);
	CHECK_EQ(bi.nr_modules, BOOT_MODULES_MAX);
	CHECK(htest_log_contains("more than 8 modules"));
}
