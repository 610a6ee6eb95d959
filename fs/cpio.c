/* cpio.c - walk a cpio "newc" archive (the initramfs format), trusting nothing.
 *
 * An entry is the ASCII magic "070701" (or "070702", the same with a
 * checksum we do not verify), 13 fields of 8 hex digits (ino, mode, uid,
 * gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
 * namesize counting its NUL, check), the name, padding so that header and
 * name end on a multiple of 4, the data, padding to 4. "TRAILER!!!" ends an
 * archive; another may follow after zero padding (Linux accepts
 * concatenated archives: a distribution's early microcode + main image).
 *
 * This file knows nothing about filesystems: it hands each entry to an
 * actor, so it builds hosted, where tests and the fuzzer feed it garbage.
 * Every size is checked against the bytes left before anything is read.
 */
#include "errno.h"
#include "fs.h"
#include "kstring.h"
#include "printk.h"

#define CPIO_HDR 110 /* 6 magic + 13 * 8 */

/* Eight hex digits; false if any is not hex. */
static bool hex8(const char *p, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = (u32)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (u32)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (u32)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Decode the header at off into e; the name's size in *namesize. */
static int cpio_header(const char *b, size_t off, struct cpio_entry *e, u32 *namesize)
{
	static const char *const names[13] = { "ino", "mode", "uid", "gid", "nlink", "mtime",
		"filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check" };
	u32 f[13];

	if (memcmp(b + off, "07070", 5) != 0 || (b[off + 5] != '1' && b[off + 5] != '2')) {
		pr_err("initramfs: offset %zu: no cpio newc magic (070701): not an uncompressed newc archive%s\n",
		       off, (u8)b[off] == 0x1f && (u8)b[off + 1] == 0x8b ? " (it is gzip: compressed archives are not supported)" : "");
		return -EINVAL;
	}
	for (int i = 0; i < 13; i++)
		if (!hex8(b + off + 6 + 8 * i, &f[i])) {
			pr_err("initramfs: offset %zu: field %s is not 8 hex digits\n", off, names[i]);
			return -EINVAL;
		}
	*e = (struct cpio_entry){ .ino = f[0], .mode = f[1], .uid = f[2], .gid = f[3],
				  .nlink = f[4], .mtime = f[5], .filesize = f[6], .devmajor = f[7],
				  .devminor = f[8], .rdevmajor = f[9], .rdevminor = f[10],
				  .offset = off };
	*namesize = f[11];
	return 0;
}

/* One entry at *off: fill e and move *off past it. 1 if it was the trailer. */
static int cpio_entry_at(const char *b, size_t len, size_t *off, struct cpio_entry *e)
{
	size_t o = *off, name_end, data_end;
	u32 namesize;
	int err = cpio_header(b, o, e, &namesize);

	if (err)
		return err;
	if (namesize == 0 || namesize > len - o - CPIO_HDR) {
		pr_err("initramfs: offset %zu: namesize %u does not fit the %zu bytes left\n", o,
		       namesize, len - o - CPIO_HDR);
		return -EINVAL;
	}
	e->name = b + o + CPIO_HDR;
	if (e->name[namesize - 1] != '\0' || strlen(e->name) != namesize - 1) {
		pr_err("initramfs: offset %zu: name of %u bytes is not one NUL-terminated string\n",
		       o, namesize);
		return -EINVAL;
	}
	name_end = ALIGN_UP(o + CPIO_HDR + namesize, (size_t)4);
	if (name_end > len || e->filesize > len - name_end) {
		pr_err("initramfs: offset %zu (\"%s\"): filesize %u runs past the archive's end\n",
		       o, e->name, e->filesize);
		return -EINVAL;
	}
	e->data = b + name_end;
	data_end = name_end + e->filesize;
	*off = data_end > len - 3 ? len : ALIGN_UP(data_end, (size_t)4);
	return strcmp(e->name, "TRAILER!!!") == 0;
}

int cpio_parse(const void *buf, size_t len,
	       int (*actor)(void *ctx, const struct cpio_entry *e), void *ctx)
{
	const char *b = buf;
	size_t off = 0;
	int count = 0;
	bool in_archive = false;

	for (;;) {
		struct cpio_entry e;
		int r;

		if (!in_archive) { /* between archives: zero padding, or the end */
			while (off < len && b[off] == '\0')
				off++;
			if (off == len)
				break;
		}
		if (len - off < CPIO_HDR) {
			pr_err("initramfs: offset %zu: %zu bytes left, a header needs %d%s\n", off,
			       len - off, CPIO_HDR, in_archive ? " (no TRAILER!!!)" : "");
			return -EINVAL;
		}
		r = cpio_entry_at(b, len, &off, &e);
		if (r < 0)
			return r;
		if (r == 1) {
			in_archive = false;
			continue;
		}
		in_archive = true;
		r = actor(ctx, &e);
		if (r < 0)
			return r;
		count++;
	}
	return count;
}
