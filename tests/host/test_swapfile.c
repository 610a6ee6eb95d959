/* test_swapfile.c - mm/swapfile.c and mm/page_io.c hosted, over RAM block
 * devices on the simulated 2 GB machine: the header util-linux's mkswap
 * really writes (the tool is run here), every refusal with its message, the
 * allocator until full, priorities and their round robin, swapoff, a random
 * walk of alloc/dup/free checked against a model after every step (counts
 * past the swap_map byte included), and page I/O of a HighMem page with a
 * disk that fails on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "blkdev.h"
#include "errno.h"
#include "highmem.h"
#include "htest.h"
#include "mm.h"
#include "proc_fs.h"
#include "sim_mm.h"
#include "slab.h"
#include "swap.h"
#include "vmstat.h"

struct ramdisk {
	struct block_device bdev;
	unsigned char *data;
	bool fail; /* every transfer fails with -EIO */
};

static int ram_rw(struct block_device *b, u64 sector, unsigned count, void *buf, bool write)
{
	struct ramdisk *r = b->bd_private;

	if (r->fail)
		return -EIO;
	if (write)
		memcpy(r->data + sector * 512, buf, count * 512ul);
	else
		memcpy(buf, r->data + sector * 512, count * 512ul);
	return 0;
}

static const struct block_device_operations ram_ops = { .rw_sectors = ram_rw };

static struct ramdisk *ramdisk_new(const char *name, size_t bytes)
{
	struct ramdisk *r = calloc(1, sizeof(*r));

	r->data = calloc(1, bytes);
	snprintf(r->bdev.bd_name, sizeof(r->bdev.bd_name), "%s", name);
	r->bdev.nr_sectors = bytes / 512;
	r->bdev.ops = &ram_ops;
	r->bdev.bd_private = r;
	return r;
}

static void ramdisk_free(struct ramdisk *r)
{
	free(r->data);
	free(r);
}

static void put32(unsigned char *p, u32 v) { memcpy(p, &v, 4); } /* x86: little-endian */

/* A header as mkswap lays it out (used where a case needs what mkswap won't make). */
static void make_header(unsigned char *h, u32 version, u32 last_page, const u32 *bad, u32 nbad,
			unsigned page_size, const char *magic)
{
	memset(h, 0, 65536);
	put32(h + 1024, version);
	put32(h + 1028, last_page);
	put32(h + 1032, nbad);
	for (u32 i = 0; i < nbad && i < 700; i++)
		put32(h + 1536 + 4 * i, bad[i]);
	memcpy(h + page_size - 10, magic, 10);
}

static void swap_boot(void)
{
	sim_boot(&sim_2g);
	kmem_cache_init();
	htest_log_clear();
}

/* util-linux's mkswap on a sparse file of `size`, read back: the image, or NULL. */
static unsigned char *real_mkswap(const char *size, const char *opts, size_t *len)
{
	char path[] = "/tmp/hl-swapXXXXXX", cmd[256];
	int fd = mkstemp(path);
	unsigned char *buf = NULL;

	if (fd < 0)
		return NULL;
	close(fd);
	snprintf(cmd, sizeof(cmd), "truncate -s %s %s && /sbin/mkswap -q %s %s >/dev/null 2>&1",
		 size, path, opts, path);
	if (system(cmd) == 0) {
		FILE *f = fopen(path, "rb");
		fseek(f, 0, SEEK_END);
		*len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(*len);
		if (fread(buf, 1, *len, f) != *len) {
			free(buf);
			buf = NULL;
		}
		fclose(f);
	}
	unlink(path);
	return buf;
}

HTEST(swapfile_header_of_the_real_mkswap)
{
	struct swap_header_info h;
	size_t len = 0;
	unsigned char *img = real_mkswap("16M", "-L hl", &len);

	swap_boot();
	CHECK(img != NULL); /* /sbin/mkswap: tools/install-deps.sh installs util-linux */
	if (!img)
		return;
	CHECK_EQ(len, 16u << 20);
	CHECK_EQ(parse_swap_header(img, 65536, len / 4096, "img", &h), 0);
	CHECK_EQ(h.last_page, 4095);
	CHECK_EQ(h.nr_badpages, 0);
	free(img);
	img = real_mkswap("16M", "-p 8192", &len); /* made for 8 KB pages */
	CHECK(img != NULL);
	if (img) {
		htest_log_clear();
		CHECK_EQ(parse_swap_header(img, 65536, len / 4096, "img", &h), -EINVAL);
		CHECK(htest_log_contains("made for 8192-byte pages"));
		free(img);
	}
}

HTEST(swapfile_header_refusals_say_why)
{
	static const struct {
		u32 version, last_page, nbad, bad0;
		unsigned page_size;
		const char *magic, *msg;
	} cases[] = {
		{ 1, 100, 0, 0, 4096, "SWAP-SPACE", "old version 0 swap area" },
		{ 1, 100, 0, 0, 4096, "NOTASWAP!!", "Unable to find swap-space signature" },
		{ 1, 100, 0, 0, 16384, "SWAPSPACE2", "made for 16384-byte pages" },
		{ 2, 100, 0, 0, 4096, "SWAPSPACE2", "Unable to handle swap header version 2" },
		{ 0x01000000, 100, 0, 0, 4096, "SWAPSPACE2", "byte-swapped" },
		{ 1, 0, 0, 0, 4096, "SWAPSPACE2", "Empty swap-file" },
		{ 1, 4096, 0, 0, 4096, "SWAPSPACE2", "Swap area shorter than signature indicates" },
		{ 1, 100, 638, 5, 4096, "SWAPSPACE2", "at most 637 fit" },
		{ 1, 100, 1, 0, 4096, "SWAPSPACE2", "bad page 0" },
		{ 1, 100, 1, 101, 4096, "SWAPSPACE2", "bad page 101" },
	};
	unsigned char *h = malloc(65536);
	struct swap_header_info info;

	swap_boot();
	CHECK_EQ(MAX_SWAP_BADPAGES, 637);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 bad[700];
		for (int j = 0; j < 700; j++)
			bad[j] = cases[i].bad0;
		make_header(h, cases[i].version, cases[i].last_page, bad, cases[i].nbad,
			    cases[i].page_size, cases[i].magic);
		htest_log_clear();
		CHECK_EQ(parse_swap_header(h, 65536, 4096, "d", &info), -EINVAL);
		if (!htest_log_contains(cases[i].msg))
			htest_fail(__FILE__, __LINE__, "case %zu: no '%s' in: %s", i, cases[i].msg,
				   htest_log());
	}
	make_header(h, 1, 4095, (const u32[]){ 1, 4095 }, 2, 4096, "SWAPSPACE2");
	CHECK_EQ(parse_swap_header(h, 4096, 4096, "d", &info), 0); /* the limits themselves */
	CHECK_EQ(parse_swap_header(h, 4096, 1, "d", &info), -EINVAL); /* a one-page device */
	CHECK_EQ(parse_swap_header(h, 100, 4096, "d", &info), -EINVAL); /* less than a page */
	free(h);
}

/* A RAM disk of pages pages with a valid header (bad pages listed), swapped on. */
static struct ramdisk *swap_ram(const char *name, unsigned pages, const u32 *bad, u32 nbad,
				int flags)
{
	struct ramdisk *r = ramdisk_new(name, (size_t)pages * 4096);
	unsigned char *h = malloc(65536);

	make_header(h, 1, pages - 1, bad, nbad, 4096, "SWAPSPACE2");
	memcpy(r->data, h, 4096);
	free(h);
	CHECK_EQ(swapon_bdev(&r->bdev, name, flags), 0);
	return r;
}

HTEST(swapfile_alloc_until_full_then_free)
{
	swap_boot();
	struct ramdisk *r = swap_ram("/dev/ram0", 1024, (const u32[]){ 5, 700 }, 2, 0);
	struct swap_info_struct *si = r->bdev.bd_holder;
	unsigned char seen[1024] = { 0 };
	swp_entry_t got[1024];
	unsigned n = 0;

	CHECK(htest_log_contains("Adding 4084k swap on /dev/ram0.  Priority:-2 extents:1 "
				 "across:4084k \n"));
	CHECK_EQ(si->pages, 1021);
	CHECK_EQ(total_swap_pages, 1021);
	CHECK_EQ(nr_swap_pages, 1021);
	for (swp_entry_t e; (e = get_swap_page()).val && n < 1024;) {
		unsigned off = (unsigned)swp_offset(e);
		CHECK(off >= 1 && off < 1024 && off != 5 && off != 700 && !seen[off]);
		CHECK_EQ(off, n + 1 + (n + 1 >= 5) + (n + 2 >= 700)); /* next fit: in order */
		seen[off] = 1;
		got[n++] = e;
	}
	CHECK_EQ(n, 1021);
	CHECK_EQ(nr_swap_pages, 0);
	CHECK_EQ(get_swap_page().val, 0);
	/* Free one in the middle: the search wraps round and finds it. */
	swap_free(got[400]);
	CHECK_EQ(get_swap_page().val, got[400].val);
	for (unsigned i = 0; i < n; i++)
		swap_free(got[i]);
	CHECK_EQ(nr_swap_pages, 1021);
	CHECK_EQ(swap_inuse_pages(si->type), 0);
	struct seq_file m = { 0 };
	swap_show(&m);
	CHECK_STREQ(m.buf, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			   "/dev/ram0                               partition\t4084\t\t0\t\t-2\n");
	seq_release_buf(&m);
	CHECK_EQ(swapoff_bdev(&r->bdev), 0);
	CHECK_EQ(total_swap_pages, 0);
	CHECK_EQ(nr_swap_pages, 0);
	ramdisk_free(r);
}

HTEST(swapfile_priorities_and_round_robin)
{
	swap_boot();
	struct ramdisk *a = swap_ram("/dev/a", 64, NULL, 0, 0);                    /* -2 */
	struct ramdisk *b = swap_ram("/dev/b", 64, NULL, 0, 0);                    /* -3 */
	struct ramdisk *c = swap_ram("/dev/c", 64, NULL, 0, SWAP_FLAG_PREFER | 7); /* 7 */
	struct ramdisk *d = swap_ram("/dev/d", 64, NULL, 0, SWAP_FLAG_PREFER | 7); /* 7 */
	struct swap_info_struct *sa = a->bdev.bd_holder, *sb = b->bdev.bd_holder;
	struct swap_info_struct *sc = c->bdev.bd_holder, *sd = d->bdev.bd_holder;
	swp_entry_t e[4];

	CHECK_EQ(sa->prio, -2);
	CHECK_EQ(sb->prio, -3);
	CHECK_EQ(sc->prio, 7);
	for (int i = 0; i < 4; i++)
		e[i] = get_swap_page(); /* c and d, taking turns */
	CHECK_EQ(swp_type(e[0]), sc->type);
	CHECK_EQ(swp_type(e[1]), sd->type);
	CHECK_EQ(swp_type(e[2]), sc->type);
	CHECK_EQ(swp_type(e[3]), sd->type);
	for (int i = 0; i < 4; i++)
		swap_free(e[i]);
	CHECK_EQ(swapon_bdev(&a->bdev, "/dev/a", 0), -EBUSY);
	CHECK_EQ(swapon_bdev(&a->bdev, "/dev/a", 0x100000), -EINVAL);
	CHECK_EQ(swapoff_bdev(&c->bdev), 0);
	CHECK_EQ(swapoff_bdev(&d->bdev), 0);
	CHECK_EQ(swp_type(get_swap_page()), sa->type); /* -2 before -3 */
	swap_free(swp_entry(sa->type, 1));
	CHECK_EQ(swapoff_bdev(&a->bdev), 0);
	CHECK_EQ(sb->prio, -2); /* moved up, as Linux */
	struct ramdisk *e2 = swap_ram("/dev/e", 64, NULL, 0, 0);
	CHECK_EQ(((struct swap_info_struct *)e2->bdev.bd_holder)->prio, -3);
	CHECK_EQ(swapoff_bdev(&b->bdev), 0);
	CHECK_EQ(swapoff_bdev(&e2->bdev), 0);
	CHECK_EQ(swapoff_bdev(&e2->bdev), -EINVAL);
	CHECK_EQ(total_swap_pages, 0);
	ramdisk_free(a);
	ramdisk_free(b);
	ramdisk_free(c);
	ramdisk_free(d);
	ramdisk_free(e2);
}

HTEST(swapfile_swapoff_refuses_an_area_in_use)
{
	swap_boot();
	struct ramdisk *r = swap_ram("/dev/r", 64, NULL, 0, 0);
	swp_entry_t e = get_swap_page();

	htest_log_clear();
	CHECK_EQ(swapoff_bdev(&r->bdev), -EBUSY);
	/* a count no PTE and no cached page explains: try_to_unuse cannot
	 * bring it back, and says so (mm/swap_state.c) */
	CHECK(htest_log_contains("1 pages of area"));
	CHECK(htest_log_contains("could not be brought back"));
	CHECK_EQ(total_swap_pages, 63);
	CHECK_EQ(nr_swap_pages, 62);
	CHECK_EQ(__swap_count(e), 1);
	CHECK_EQ(get_swap_page().val, swp_entry(swp_type(e), 2).val); /* still hands out */
	swap_free(swp_entry(swp_type(e), 2));
	swap_free(e);
	CHECK_EQ(swapoff_bdev(&r->bdev), 0);
	ramdisk_free(r);
}

/* A random walk of get/dup/free against a model of every slot's count. */
HTEST(swapfile_random_ops_match_a_model)
{
	swap_boot();
	enum { PAGES = 512 };
	struct ramdisk *r = swap_ram("/dev/m", PAGES, (const u32[]){ 17 }, 1, 0);
	struct swap_info_struct *si = r->bdev.bd_holder;
	unsigned model[PAGES] = { 0 }, used = 0;
	unsigned long seed = 12345;

	for (int step = 0; step < 40000; step++) {
		unsigned op = sim_rand(&seed) % 10, off = 1 + sim_rand(&seed) % (PAGES - 1);
		swp_entry_t e = swp_entry(si->type, off);

		if (off % 97 == 3 && model[off]) /* a few slots get hundreds of users */
			op = 5;
		if (op < 3) {
			e = get_swap_page();
			if (used == PAGES - 2) {
				CHECK_EQ(e.val, 0);
				continue;
			}
			off = (unsigned)swp_offset(e);
			CHECK(e.val && model[off] == 0 && off != 17);
			model[off] = 1;
			used++;
		} else if (op < 7) {
			CHECK_EQ(swap_duplicate(e), model[off] ? 0 : -EINVAL);
			model[off] += model[off] != 0;
		} else if (model[off]) {
			swap_free(e);
			used -= --model[off] == 0;
		}
		if ((unsigned)__swap_count(e) != model[off]) {
			htest_fail(__FILE__, __LINE__, "step %d: slot %u count %d, model %u", step,
				   off, __swap_count(e), model[off]);
			break;
		}
		if (si->inuse_pages != used || nr_swap_pages != (long)(si->pages - used)) {
			htest_fail(__FILE__, __LINE__, "step %d: inuse %u free %ld, model %u", step,
				   si->inuse_pages, nr_swap_pages, used);
			break;
		}
	}
	unsigned big = 0;
	for (unsigned off = 1; off < PAGES; off++) {
		big += model[off] > SWAP_MAP_MAX;
		CHECK_EQ(__swap_count(swp_entry(si->type, off)), model[off]);
		while (model[off]--)
			swap_free(swp_entry(si->type, off));
	}
	CHECK(big > 0); /* the walk did go past the byte */
	CHECK(si->overflow == NULL);
	CHECK_EQ(si->inuse_pages, 0);
	CHECK_EQ(swapoff_bdev(&r->bdev), 0);
	ramdisk_free(r);
}

HTEST(swapfile_page_io_highmem_and_errors)
{
	swap_boot();
	struct ramdisk *r = swap_ram("/dev/io", 64, NULL, 0, 0);
	struct page *pg = alloc_page(GFP_HIGHUSER);
	swp_entry_t e = get_swap_page();
	unsigned long out0 = global_vm_event(PSWPOUT), in0 = global_vm_event(PSWPIN);

	CHECK(PageHighMem(pg));
	unsigned char *v = kmap_local_page(pg);
	for (int i = 0; i < 4096; i++)
		v[i] = (unsigned char)(i * 13);
	kunmap_local(v);
	pg->private = (u32)e.val;
	SetPageLocked(pg);
	SetPageSwapCache(pg);
	SetPageDirty(pg);
	r->fail = true;
	CHECK_EQ(swap_writepage(pg), -EIO);
	CHECK(PageDirty(pg));
	CHECK(!PageWriteback(pg));
	CHECK(htest_log_contains("Write-error on swap-device (0:0:8)"));
	CHECK_EQ(global_vm_event(PSWPOUT), out0);
	r->fail = false;
	CHECK_EQ(swap_writepage(pg), 0);
	CHECK(!PageDirty(pg));
	CHECK_EQ(global_vm_event(PSWPOUT), out0 + 1);
	CHECK_EQ(r->data[swp_offset(e) * 4096 + 100], (unsigned char)(100 * 13));
	v = kmap_local_page(pg);
	memset(v, 0, 4096);
	kunmap_local(v);
	r->fail = true;
	CHECK_EQ(swap_readpage(pg), -EIO);
	CHECK(!PageUptodate(pg));
	r->fail = false;
	CHECK_EQ(swap_readpage(pg), 0);
	CHECK(PageUptodate(pg));
	CHECK_EQ(global_vm_event(PSWPIN), in0 + 1);
	v = kmap_local_page(pg);
	CHECK_EQ(v[4095], (unsigned char)(4095 * 13));
	kunmap_local(v);
	swap_free(e);
	CHECK_EQ(swap_writepage(pg), -EINVAL); /* its slot is free now */
	pg->private = 0;
	pg->flags &= ~((1u << PG_locked) | (1u << PG_swapcache) | (1u << PG_uptodate));
	__free_page(pg);
	CHECK_EQ(swapoff_bdev(&r->bdev), 0);
	ramdisk_free(r);
}
