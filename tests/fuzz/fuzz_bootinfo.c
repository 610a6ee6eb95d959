/* fuzz_bootinfo.c - the boot-map parsers and the e820 sanitizer on arbitrary
 * bytes (kernel/bootinfo.c, mm/e820.c).
 *
 * The first byte picks the mode:
 *   0  the rest is multiboot2 information (parse_multiboot2, len = bytes left)
 *   1  the rest is physical memory at FAKE_BASE holding multiboot v1 info at
 *      FAKE_BASE + (a u16 from the input); parse_multiboot1 reads it through
 *      a callback that refuses anything outside the input
 *   2  the rest is raw (addr, size, type) triples straight into e820_sanitize
 * Whatever the parser produced is sanitized and checked against everything
 * include/e820.h promises: sorted, non-overlapping, no empty entries, nothing
 * at or above 64 GB, touching entries of one type merged, a second sanitize
 * finds nothing to fix, and at every interesting address the type is the
 * strictest of the raw entries covering it (usable weakest, then the larger
 * type number), or nothing if no raw entry covers it. */
#include "bootinfo.h"
#include "e820.h"
#include "fuzz_common.h"

#define FAKE_BASE 0x100000ull

struct fake {
	const uint8_t *mem;
	size_t len;
};

static int fake_read(void *ctx, u64 pa, void *dst, size_t len)
{
	struct fake *f = ctx;

	if (pa < FAKE_BASE || pa - FAKE_BASE > f->len || len > f->len - (pa - FAKE_BASE))
		return -1;
	memcpy(dst, f->mem + (pa - FAKE_BASE), len);
	return 0;
}

/* Boot modules: at most BOOT_MODULES_MAX, each non-empty, none overlapping,
 * names terminated. */
static void check_modules(const struct boot_info *bi)
{
	FZ_ASSERT(bi->nr_modules <= BOOT_MODULES_MAX, "too many modules");
	for (unsigned i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		FZ_ASSERT(m->start < m->end, "empty or reversed module kept");
		FZ_ASSERT(memchr(m->name, 0, sizeof(m->name)), "module name unterminated");
		for (unsigned j = 0; j < i; j++)
			FZ_ASSERT(m->end <= bi->modules[j].start || bi->modules[j].end <= m->start,
				  "overlapping modules kept");
	}
}

static u64 rank(u32 type) { return type == E820_USABLE ? 0 : (u64)type + 1; }

/* The strictest raw type covering addr (addr < the PAE limit). */
static bool raw_type_at(const struct e820_table *raw, u64 addr, u32 *type)
{
	bool found = false;

	for (u32 i = 0; i < raw->nr; i++) {
		const struct e820_entry *e = &raw->map[i];
		u64 end = e->addr + e->size;

		if (!e->size)
			continue;
		if (end < e->addr) /* wraps: clipped at 2^64 */
			end = ~0ull;
		if (addr < e->addr || addr >= end)
			continue;
		if (!found || rank(e->type) > rank(*type))
			*type = e->type;
		found = true;
	}
	return found;
}

static void check_point(const struct e820_table *raw, const struct e820_table *t, u64 addr)
{
	u32 want = 0, got = 0;
	bool w, g;

	if (addr >= E820_PHYS_LIMIT)
		return;
	w = raw_type_at(raw, addr, &want);
	g = e820_lookup(t, addr, &got);
	FZ_ASSERT(w == g && (!w || want == got),
		  "at 0x%llx: raw %s type %u, sanitized %s type %u", (unsigned long long)addr,
		  w ? "has" : "has no", want, g ? "has" : "has no", got);
}

static void check_sanitized(const struct e820_table *raw)
{
	static struct e820_table t, t2;

	FZ_ASSERT(raw->nr <= E820_MAX_ENTRIES, "raw nr %u", raw->nr);
	t = *raw;
	e820_sanitize(&t);
	FZ_ASSERT(t.nr <= E820_MAX_ENTRIES, "nr %u", t.nr);
	for (u32 i = 0; i < t.nr; i++) {
		const struct e820_entry *e = &t.map[i];

		FZ_ASSERT(e->size > 0, "entry %u empty", i);
		FZ_ASSERT(e->addr < E820_PHYS_LIMIT && e->size <= E820_PHYS_LIMIT - e->addr,
			  "entry %u [0x%llx +0x%llx] reaches past 64 GB", i,
			  (unsigned long long)e->addr, (unsigned long long)e->size);
		if (i) {
			const struct e820_entry *p = &t.map[i - 1];

			FZ_ASSERT(p->addr + p->size <= e->addr, "entries %u and %u overlap or unsorted",
				  i - 1, i);
			FZ_ASSERT(!(p->addr + p->size == e->addr && p->type == e->type),
				  "entries %u and %u touch with type %u, not merged", i - 1, i, e->type);
		}
	}
	/* idempotent */
	t2 = t;
	FZ_ASSERT(e820_sanitize(&t2) == 0, "second sanitize found problems");
	FZ_ASSERT(t2.nr == t.nr && !memcmp(t2.map, t.map, t.nr * sizeof(t.map[0])),
		  "second sanitize changed the map");
	/* the types: at every raw boundary (and the byte before it), every
	 * sanitized boundary, and the middle of every raw entry */
	for (u32 i = 0; i < raw->nr; i++) {
		u64 a = raw->map[i].addr, end = a + raw->map[i].size;

		check_point(raw, &t, a);
		if (a)
			check_point(raw, &t, a - 1);
		check_point(raw, &t, end);
		if (end)
			check_point(raw, &t, end - 1);
		check_point(raw, &t, a + raw->map[i].size / 2);
	}
	for (u32 i = 0; i < t.nr; i++) {
		check_point(raw, &t, t.map[i].addr);
		check_point(raw, &t, t.map[i].addr + t.map[i].size - 1);
		check_point(raw, &t, t.map[i].addr + t.map[i].size);
	}
	/* the totals agree with the entries */
	u64 usable = 0;
	for (u32 i = 0; i < t.nr; i++)
		if (t.map[i].type == E820_USABLE)
			usable += t.map[i].size;
	FZ_ASSERT(e820_total(&t, E820_USABLE) == usable, "e820_total");
	FZ_ASSERT(e820_end_of_ram(&t) <= E820_PHYS_LIMIT, "end of ram");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static _Alignas(8) uint8_t buf[1 << 16];
	struct fz f = { data, size };

	if (size < 1 || size > sizeof(buf))
		return 0;
	htest_log_clear();
	uint8_t mode = fz_u8(&f) % 3;
	memset(&bi, 0, sizeof(bi));
	if (mode == 0) {
		memcpy(buf, f.p, f.n); /* the kernel parses an aligned copy */
		if (parse_multiboot2(buf, f.n, &bi) == 0)
			FZ_ASSERT(bi.map.nr > 0, "mb2 parse succeeded with an empty map");
		FZ_ASSERT(memchr(bi.cmdline, 0, sizeof(bi.cmdline)), "cmdline unterminated");
		FZ_ASSERT(memchr(bi.loader, 0, sizeof(bi.loader)), "loader unterminated");
		check_modules(&bi);
		(void)bootinfo_kernel_args(&bi);
		check_sanitized(&bi.map);
	} else if (mode == 1) {
		u32 off = fz_u8(&f);

		off |= (u32)fz_u8(&f) << 8;
		struct fake fk = { f.p, f.n };
		if (parse_multiboot1((u32)FAKE_BASE + off, fake_read, &fk, &bi) == 0)
			FZ_ASSERT(bi.map.nr > 0, "mb1 parse succeeded with an empty map");
		FZ_ASSERT(memchr(bi.cmdline, 0, sizeof(bi.cmdline)), "cmdline unterminated");
		FZ_ASSERT(memchr(bi.loader, 0, sizeof(bi.loader)), "loader unterminated");
		check_modules(&bi);
		(void)bootinfo_kernel_args(&bi);
		check_sanitized(&bi.map);
	} else {
		static struct e820_table raw;

		raw.nr = 0;
		while (f.n >= 17 && raw.nr < E820_MAX_ENTRIES) {
			u64 a = fz_u64(&f), s = fz_u64(&f);
			u8 t = fz_u8(&f);
			/* small types mostly, and the odd huge one */
			u32 type = t < 0xf0 ? t % 8 : 0xffffff00u | t;

			e820_add(&raw, a, s, type);
		}
		check_sanitized(&raw);
	}
	return 0;
}
