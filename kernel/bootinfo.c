/* bootinfo.c - parse the multiboot2 and multiboot v1 boot information.
 *
 * The loader's data is input like any other: sizes may be zero, huge, or
 * inconsistent with each other, strings may lack their NUL. Every length is
 * checked against what is really there before a byte is read, loops always
 * advance, and each problem is reported naming the tag (or field), where it
 * is and what is wrong, so a bad loader can be diagnosed from the log.
 */
#include "bootinfo.h"
#include "kstring.h"
#include "printk.h"

typedef unsigned long long ull; /* what %llx wants on both builds */

/* The multiboot2 copy may sit at any alignment: load through memcpy. */
static u32 ld32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 ld64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

u32 multiboot_mem_type(u32 mb_type)
{
	switch (mb_type) {
	case 1: return E820_USABLE;
	case 3: return E820_ACPI;
	case 4: return E820_NVS;
	case 5: return E820_UNUSABLE;
	default: return E820_RESERVED; /* unknown: assume someone owns it */
	}
}

/* No memory map: build one from the basic meminfo if the loader gave it,
 * since a kernel without any idea of its RAM cannot go on. */
static int finish_map(struct boot_info *bi, const char *proto)
{
	e820_report_dropped(&bi->map);
	if (bi->map.nr)
		return 0;
	if (!bi->have_meminfo) {
		pr_err("%s: no memory map and no basic meminfo: cannot tell where RAM is\n", proto);
		return -1;
	}
	pr_warn("%s: no memory map, synthesizing one from mem_lower=%uKB mem_upper=%uKB\n",
		proto, bi->mem_lower_kb, bi->mem_upper_kb);
	if (bi->mem_lower_kb)
		e820_add(&bi->map, 0, KB(bi->mem_lower_kb), E820_USABLE);
	if (bi->mem_upper_kb)
		e820_add(&bi->map, MB(1), KB(bi->mem_upper_kb), E820_USABLE);
	if (!bi->map.nr) {
		pr_err("%s: basic meminfo reports no memory at all\n", proto);
		return -1;
	}
	return 0;
}

/* ---- multiboot2 ---------------------------------------------------------- */

struct mb2_tag {
	u32 type, size, off; /* off: from the start of the information */
	const u8 *p;         /* the tag header; size bytes are readable */
};

/* A string tag: the payload must contain its NUL. If it does not, or the
 * string is longer than dst, keep what fits and say so. */
static void mb2_string(char *dst, size_t dstsize, const struct mb2_tag *tag, const char *what)
{
	const u8 *s = tag->p + 8;
	size_t max = tag->size - 8, n = 0;

	while (n < max && s[n])
		n++;
	if (n == max)
		pr_warn("multiboot2: tag type %u (%s) at offset %u: not NUL-terminated within its %u bytes, truncated\n",
			tag->type, what, tag->off, tag->size);
	if (n >= dstsize) {
		pr_warn("multiboot2: tag type %u (%s) at offset %u: longer than %zu bytes, truncated\n",
			tag->type, what, tag->off, dstsize - 1);
		n = dstsize - 1;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void mb2_meminfo(struct boot_info *bi, const struct mb2_tag *tag)
{
	if (tag->size < 16) {
		pr_err("multiboot2: tag type 4 (basic meminfo) at offset %u: size %u < 16, skipped\n",
		       tag->off, tag->size);
		return;
	}
	bi->mem_lower_kb = ld32(tag->p + 8);
	bi->mem_upper_kb = ld32(tag->p + 12);
	bi->have_meminfo = true;
}

/* Header: type, size, entry_size, entry_version; then entries of entry_size
 * bytes whose first 24 are {u64 base, u64 length, u32 type, u32 reserved}.
 * Larger entries are legal (future fields): only the first 24 are read. */
static void mb2_mmap(struct boot_info *bi, const struct mb2_tag *tag)
{
	u32 esize, version, count;

	if (tag->size < 16) {
		pr_err("multiboot2: tag type 6 (memory map) at offset %u: size %u < 16, skipped\n",
		       tag->off, tag->size);
		return;
	}
	esize = ld32(tag->p + 8);
	version = ld32(tag->p + 12);
	if (esize < 24 || (esize & 7)) {
		pr_err("multiboot2: tag type 6 (memory map) at offset %u: entry_size %u is not a multiple of 8 >= 24, skipped\n",
		       tag->off, esize);
		return;
	}
	if (version != 0)
		pr_warn("multiboot2: tag type 6 (memory map) at offset %u: entry_version %u, expected 0; reading it anyway\n",
			tag->off, version);
	count = (tag->size - 16) / esize;
	if ((tag->size - 16) % esize)
		pr_warn("multiboot2: tag type 6 (memory map) at offset %u: %u bytes of entries is not a multiple of entry_size %u, using %u whole entries\n",
			tag->off, tag->size - 16, esize, count);
	for (u32 i = 0; i < count; i++) {
		const u8 *e = tag->p + 16 + (size_t)i * esize;

		/* a full table drops (and counts) this one: the next may still merge */
		e820_add(&bi->map, ld64(e), ld64(e + 8), multiboot_mem_type(ld32(e + 16)));
	}
}

/* {type, size, mod_start, mod_end, string...}: the string may lack its NUL. */
static void mb2_module(struct boot_info *bi, const struct mb2_tag *tag)
{
	char name[BOOT_MODULE_NAME_MAX] = "";
	char what[48];

	if (tag->size < 16) {
		pr_err("multiboot2: tag type 3 (module) at offset %u: size %u < 16, skipped\n",
		       tag->off, tag->size);
		return;
	}
	if (tag->size > 16) {
		struct mb2_tag str = *tag;

		str.p += 8; /* the string starts 8 bytes later than a string tag's */
		str.size -= 8;
		mb2_string(name, sizeof(name), &str, "module string");
	}
	snprintf(what, sizeof(what), "multiboot2 tag at offset %u", tag->off);
	bootinfo_add_module(bi, ld32(tag->p + 8), ld32(tag->p + 12), name, what);
}

static void mb2_tag(struct boot_info *bi, const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		mb2_string(bi->cmdline, sizeof(bi->cmdline), tag, "command line");
		break;
	case MB2_TAG_LOADER_NAME:
		mb2_string(bi->loader, sizeof(bi->loader), tag, "boot loader name");
		break;
	case MB2_TAG_MODULE:
		mb2_module(bi, tag);
		break;
	case MB2_TAG_MEMINFO:
		mb2_meminfo(bi, tag);
		break;
	case MB2_TAG_MMAP:
		if (bi->map.nr)
			pr_warn("multiboot2: tag type 6 (memory map) at offset %u: a second memory map, ignored\n",
				tag->off);
		else
			mb2_mmap(bi, tag);
		break;
	default:
		break; /* ELF sections, framebuffer, ACPI...: not ours */
	}
}

/* Walk the tags in [8, total). A tag whose size cannot be trusted ends the
 * walk: the position of the next tag depends on it. */
static void mb2_walk(const u8 *b, u32 total, struct boot_info *bi)
{
	u64 off = 8;

	while (off + 8 <= total) {
		struct mb2_tag tag = { ld32(b + off), ld32(b + off + 4), (u32)off, b + off };

		if (tag.size < 8) {
			pr_err("multiboot2: tag type %u at offset %u: size %u < 8, cannot find the next tag\n",
			       tag.type, tag.off, tag.size);
			return;
		}
		if (tag.size > total - off) {
			pr_err("multiboot2: tag type %u at offset %u: size %u runs past total_size %u, skipped\n",
			       tag.type, tag.off, tag.size, total);
			return;
		}
		if (tag.type == MB2_TAG_END)
			return;
		mb2_tag(bi, &tag);
		off += ALIGN_UP((u64)tag.size, 8);
	}
	pr_err("multiboot2: no end tag within total_size %u\n", total);
}

int parse_multiboot2(const void *buf, size_t len, struct boot_info *bi)
{
	const u8 *b = buf;
	u32 total;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = 2;
	if (!buf || len < 8) {
		pr_err("multiboot2: only %zu bytes of boot information\n", len);
		return -1;
	}
	total = ld32(b);
	if (total < 16) {
		pr_err("multiboot2: total_size %u < 16: not even an end tag fits\n", total);
		return finish_map(bi, "multiboot2");
	}
	if (total > len) {
		pr_err("multiboot2: total_size %u > the %zu bytes available, reading only those\n",
		       total, len);
		total = (u32)len;
	}
	mb2_walk(b, total, bi);
	return finish_map(bi, "multiboot2");
}

/* ---- multiboot v1 -------------------------------------------------------- */

/* Offsets in the v1 info structure (all fields u32). */
#define MB1_FLAGS 0
#define MB1_MEM_LOWER 4
#define MB1_MEM_UPPER 8
#define MB1_CMDLINE 16
#define MB1_MODS_COUNT 20
#define MB1_MODS_ADDR 24
#define MB1_MMAP_LENGTH 44
#define MB1_MMAP_ADDR 48
#define MB1_LOADER_NAME 64
#define MB1_INFO_READ 68 /* enough for every field above */

struct mb1_src {
	read_phys_fn read;
	void *ctx;
};

/* Read a string byte by byte (the next byte may be unreadable even when
 * this one is fine), never more than dstsize - 1 characters. */
static void mb1_string(const struct mb1_src *src, u32 pa, char *dst, size_t dstsize,
		       const char *what)
{
	size_t n = 0;
	char c = 1;

	while (n < dstsize) {
		if (src->read(src->ctx, (u64)pa + n, &c, 1)) {
			pr_err("multiboot v1: %s at 0x%08x: byte %zu unreadable, truncated\n",
			       what, pa, n);
			c = '\0'; /* reported: no second message below */
			break;
		}
		if (c == '\0' || n == dstsize - 1)
			break;
		dst[n++] = c;
	}
	dst[n] = '\0';
	if (c != '\0' && n == dstsize - 1)
		pr_warn("multiboot v1: %s at 0x%08x: no NUL within %zu bytes, truncated\n",
			what, pa, dstsize - 1);
}

/* Entries: u32 size (not counting itself), u64 base, u64 length, u32 type.
 * A size below 20 would not hold an entry (and 0 would never advance). */
static void mb1_mmap(const struct mb1_src *src, u32 addr, u32 length, struct boot_info *bi)
{
	u64 pos = 0;
	u8 raw[24];

	while (pos < length) {
		u32 size;

		if (length - pos < 4) {
			pr_err("multiboot v1: mmap: %u stray bytes at offset %u\n",
			       (u32)(length - pos), (u32)pos);
			return;
		}
		if (src->read(src->ctx, (u64)addr + pos, raw, 4))
			goto unreadable;
		size = ld32(raw);
		if (size < 20) {
			pr_err("multiboot v1: mmap entry at offset %u: size %u < 20, map truncated here\n",
			       (u32)pos, size);
			return;
		}
		if (size > length - pos - 4) {
			pr_err("multiboot v1: mmap entry at offset %u: size %u runs past mmap_length %u\n",
			       (u32)pos, size, length);
			return;
		}
		if (src->read(src->ctx, (u64)addr + pos + 4, raw + 4, 20))
			goto unreadable;
		e820_add(&bi->map, ld64(raw + 4), ld64(raw + 12),
			 multiboot_mem_type(ld32(raw + 20))); /* full: counted, go on */
		pos += (u64)size + 4;
	}
	return;
unreadable:
	pr_err("multiboot v1: mmap entry at 0x%llx (offset %u) unreadable, map truncated here\n",
	       (ull)addr + pos, (u32)pos);
}

/* mods_count entries of {mod_start, mod_end, string, reserved} at mods_addr. */
static void mb1_modules(const struct mb1_src *src, u32 addr, u32 count, struct boot_info *bi)
{
	if (count > BOOT_MODULES_MAX) {
		pr_err("multiboot v1: mods_count %u: only the first %u modules are used\n", count,
		       BOOT_MODULES_MAX);
		count = BOOT_MODULES_MAX;
	}
	for (u32 i = 0; i < count; i++) {
		u8 raw[16];
		char name[BOOT_MODULE_NAME_MAX] = "", what[40];
		u64 pa = (u64)addr + 16 * i;

		if (src->read(src->ctx, pa, raw, sizeof(raw))) {
			pr_err("multiboot v1: module %u entry at 0x%llx unreadable, modules end here\n",
			       i, (ull)pa);
			return;
		}
		if (ld32(raw + 8))
			mb1_string(src, ld32(raw + 8), name, sizeof(name), "module string");
		snprintf(what, sizeof(what), "multiboot v1 module %u", i);
		bootinfo_add_module(bi, ld32(raw), ld32(raw + 4), name, what);
	}
}

int parse_multiboot1(u32 info_pa, read_phys_fn read, void *ctx, struct boot_info *bi)
{
	struct mb1_src src = { read, ctx };
	u8 info[MB1_INFO_READ];
	u32 flags;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = 1;
	if (!read || read(ctx, info_pa, info, sizeof(info))) {
		pr_err("multiboot v1: info structure at 0x%08x is unreadable\n", info_pa);
		return -1;
	}
	flags = ld32(info + MB1_FLAGS);
	if (flags & MB1_FLAG_MEM) {
		bi->mem_lower_kb = ld32(info + MB1_MEM_LOWER);
		bi->mem_upper_kb = ld32(info + MB1_MEM_UPPER);
		bi->have_meminfo = true;
	}
	if (flags & MB1_FLAG_CMDLINE)
		mb1_string(&src, ld32(info + MB1_CMDLINE), bi->cmdline, sizeof(bi->cmdline),
			   "command line");
	if (flags & MB1_FLAG_MODS)
		mb1_modules(&src, ld32(info + MB1_MODS_ADDR), ld32(info + MB1_MODS_COUNT), bi);
	if (flags & MB1_FLAG_MMAP)
		mb1_mmap(&src, ld32(info + MB1_MMAP_ADDR), ld32(info + MB1_MMAP_LENGTH), bi);
	if (flags & MB1_FLAG_LOADER_NAME)
		mb1_string(&src, ld32(info + MB1_LOADER_NAME), bi->loader, sizeof(bi->loader),
			   "boot loader name");
	return finish_map(bi, "multiboot v1");
}

/* ---- common -------------------------------------------------------------- */

int bootinfo_add_module(struct boot_info *bi, u32 start, u32 end, const char *name,
			const char *what)
{
	if (end <= start) {
		pr_err("%s: module [%#x, %#x) is empty or reversed, ignored\n", what, start, end);
		return -1;
	}
	for (unsigned i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (start < m->end && m->start < end) {
			pr_err("%s: module [%#x, %#x) overlaps module %u [%#x, %#x), ignored\n",
			       what, start, end, i, m->start, m->end);
			return -1;
		}
	}
	if (bi->nr_modules == BOOT_MODULES_MAX) {
		pr_err("%s: more than %u modules, [%#x, %#x) ignored\n", what, BOOT_MODULES_MAX,
		       start, end);
		return -1;
	}
	struct boot_module *m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->end = end;
	strlcpy(m->name, name, sizeof(m->name));
	return 0;
}

static bool looks_like_path(const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (word[i] == '/')
			return true;
	return n >= 4 && memcmp(word + n - 4, ".elf", 4) == 0;
}

const char *bootinfo_kernel_args(const struct boot_info *bi)
{
	const char *s = bi->cmdline;
	size_t n = 0;

	if (bi->protocol != 1)
		return s;
	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	if (!looks_like_path(s, n))
		return s;
	while (s[n] == ' ' || s[n] == '\t')
		n++;
	return s + n;
}

void bootinfo_print(const struct boot_info *bi)
{
	pr_info("Command line: %s\n", bi->cmdline);
	pr_info("Boot loader: %s (%s)\n", bi->loader[0] ? bi->loader : "unknown",
		bi->protocol == 1 ? "multiboot v1" : "multiboot2");
	pr_info("BIOS-provided physical RAM map:\n");
	e820_print(&bi->map, "BIOS-e820");
	for (unsigned i = 0; i < bi->nr_modules; i++)
		pr_info("Boot module %u: [mem %#010x-%#010x] %u bytes \"%s\"\n", i,
			bi->modules[i].start, bi->modules[i].end - 1,
			bi->modules[i].end - bi->modules[i].start, bi->modules[i].name);
}
