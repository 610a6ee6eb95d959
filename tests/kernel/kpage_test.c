/* kpage_test.c - /proc/kpageflags, /proc/kpagecount, the pagemap entry and
 * the memview snapshot on the real machine: a free block's first frame has
 * KPF_BUDDY and Highland's owner "free" with its order, a slab page
 * KPF_SLAB, a HighMem frame the HighMem zone bits; a user mapping's
 * pagemap entry gives the frame its PTE maps (PTE pages in HighMem, read
 * through kmap_local) and that frame reads back as anonymous and mapped
 * once; misaligned reads are -EINVAL; the snapshot's runs cover every
 * frame once and its free frames are the zones' free counters. */
#include "gfp.h"
#include "kstring.h"
#include "kstrto.h"
#include "ktest.h"
#include "memview.h"
#include "mm_types.h"
#include "mmzone.h"
#include "printk.h"
#include "proc_fs.h"
#include "slab.h"
#include "../../fs/internal.h"

static void no_injection(struct ktest *t)
{
	ktest_suspend_injection(t, "kpage: exact page states");
}

/* The word of frame pfn in /proc/NAME, through the VFS as a reader sees it. */
static long read_word(const char *name, unsigned long pfn, u64 *w)
{
	char path[32];
	long n = do_mount("proc", "/proc", "proc");

	if (n && n != -EBUSY)
		return n;
	snprintf(path, sizeof(path), "/proc/%s", name);
	struct file *f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	loff_t pos = (loff_t)pfn * 8;
	n = kernel_read(f, w, 8, &pos);
	fput(f);
	return n;
}

static unsigned owner_of(u64 w) { return (unsigned)(w >> KPF_HL_OWNER_SHIFT) & 15; }

static void test_free_block_has_buddy(struct ktest *t)
{
	struct page *p;
	u64 w;

	no_injection(t);
	/* HighMem (DMA without it): the reads below allocate, but never slab
	 * pages from there, so the block stays free */
	KTEST_ALLOC_RETRY(t, p, alloc_pages(totalhigh_pages() ? GFP_HIGHUSER : GFP_DMA, 4));
	if (!p)
		return;
	unsigned long pfn = page_to_pfn(p);
	/* order 4, above the per-CPU lists' orders: straight to the buddy
	 * lists, maybe merged */
	__free_pages(p, 4);
	KTEST_ASSERT_EQ(t, read_word("kpageflags", pfn, &w), 8);
	KTEST_EXPECT_EQ(t, owner_of(w), PO_FREE);
	unsigned order = (unsigned)(w >> KPF_HL_ORDER_SHIFT) & 15;
	KTEST_EXPECT_GE(t, order, 4);
	unsigned long head = pfn & ~((1UL << order) - 1);
	KTEST_ASSERT_EQ(t, read_word("kpageflags", head, &w), 8);
	KTEST_EXPECT_TRUE(t, w & (1ULL << KPF_BUDDY));
	KTEST_EXPECT_FALSE(t, w & (1ULL << KPF_SLAB));
	KTEST_ASSERT_EQ(t, read_word("kpagecount", head, &w), 8);
	KTEST_EXPECT_EQ(t, w, 0);

	/* order 3 goes to this CPU's per-CPU list: head and tails are pcp
	 * frames (the read below may run on another CPU, which leaves this
	 * CPU's list alone; with fault injection or page_owner the slow path
	 * puts it there too) */
	KTEST_ALLOC_RETRY(t, p, alloc_pages(totalhigh_pages() ? GFP_HIGHUSER : GFP_DMA, 3));
	if (!p)
		return;
	pfn = page_to_pfn(p);
	__free_pages(p, 3);
	if (!PagePcp(p))
		return; /* drained already (DMA's list holds one page at a time) */
	KTEST_ASSERT_EQ(t, read_word("kpageflags", pfn + 7, &w), 8);
	KTEST_EXPECT_EQ(t, owner_of(w), PO_PCP);
}

static void test_slab_and_highmem_pages(struct ktest *t)
{
	void *obj;
	struct page *hp;
	u64 w;

	no_injection(t);
	KTEST_ALLOC_RETRY(t, obj, kmalloc(96, GFP_KERNEL));
	if (!obj)
		return;
	KTEST_EXPECT_EQ(t, read_word("kpageflags", page_to_pfn(virt_to_page(obj)), &w), 8);
	KTEST_EXPECT_TRUE(t, w & (1ULL << KPF_SLAB));
	KTEST_EXPECT_EQ(t, owner_of(w), PO_SLAB);
	kfree(obj);
	KTEST_ALLOC_RETRY(t, hp, alloc_page(GFP_HIGHUSER));
	if (!hp)
		return;
	KTEST_EXPECT_EQ(t, read_word("kpageflags", page_to_pfn(hp), &w), 8);
	KTEST_EXPECT_EQ(t, owner_of(w), PO_KERNEL);
	KTEST_EXPECT_EQ(t, (w >> KPF_HL_ZONE_SHIFT) & 3, page_zonenum(hp));
	KTEST_EXPECT_EQ(t, (w >> KPF_HL_ZONE_SHIFT) & 3, totalhigh_pages() ? ZONE_HIGHMEM : ZONE_NORMAL);
	__free_page(hp);
}

static void test_reads_refused_and_ended(struct ktest *t)
{
	u64 w[2];
	struct file *f;

	no_injection(t);
	KTEST_ASSERT_EQ(t, read_word("kpageflags", 0, w), 8); /* mounts /proc */
	f = filp_open("/proc/kpageflags", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	loff_t pos = 4;
	KTEST_EXPECT_EQ(t, kernel_read(f, w, 8, &pos), -EINVAL); /* not at a word */
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_read(f, w, 12, &pos), -EINVAL); /* not whole words */
	pos = (loff_t)max_pfn * 8 - 8;
	KTEST_EXPECT_EQ(t, kernel_read(f, w, 16, &pos), 8); /* the last frame, then the end */
	KTEST_EXPECT_EQ(t, kernel_read(f, w, 16, &pos), 0);
	fput(f);
}

#define UADDR 0x20000000UL

static void test_pagemap_names_the_frame(struct ktest *t)
{
	struct mm_struct *mm;
	struct memview_ctx *c;

	no_injection(t);
	KTEST_ALLOC_RETRY(t, mm, mm_alloc());
	if (!mm)
		return;
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	long r = do_mmap(mm, UADDR, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (!c || r != (long)UADDR || handle_mm_fault(mm, UADDR, FAULT_FLAG_WRITE)) {
		kfree(c);
		exit_mmap(mm);
		mmput(mm);
		KTEST_ALLOC_FAILED(t, "a region and its page");
	}
	pte_t *ptep = user_pte_map(mm, UADDR);
	KTEST_ASSERT_NOT_NULL(t, ptep);
	unsigned long pfn = pte_pfn(ptep_get(ptep));
	pte_unmap(ptep);
	u64 e = pagemap_entry(mm, UADDR);
	KTEST_EXPECT_TRUE(t, e & PM_PRESENT);
	KTEST_EXPECT_EQ(t, e & PM_PFRAME_MASK, pfn);
	KTEST_EXPECT_TRUE(t, e & PM_MMAP_EXCLUSIVE);
	KTEST_EXPECT_FALSE(t, e & (PM_SWAP | PM_FILE | PM_SOFT_DIRTY));
	KTEST_EXPECT_EQ(t, pagemap_entry(mm, UADDR + PAGE_SIZE), 0); /* not touched */
	KTEST_EXPECT_EQ(t, pagemap_entry(mm, UADDR + 2 * PAGE_SIZE), 0); /* no region */
	memview_ctx_init(c);
	u64 w = stable_page_flags(c, pfn);
	KTEST_EXPECT_EQ(t, owner_of(w), PO_ANON);
	KTEST_EXPECT_TRUE(t, (w & (1ULL << KPF_ANON)) && (w & (1ULL << KPF_MMAP)));
	KTEST_EXPECT_EQ(t, page_kpagecount(pfn), 1);
	/* its PTE page is a user page table */
	pmd_t *pmd = pmd_offset(pgd_offset(mm, UADDR), UADDR);
	KTEST_EXPECT_EQ(t, owner_of(stable_page_flags(c, pmd_pfn(pmdp_get(pmd)))), PO_PAGE_TABLE);
	kfree(c);
	exit_mmap(mm);
	mmput(mm);
}

/* A "run START COUNT KIND ORDER ZONE" line's fields (words split in place
 * of a copy); false if it is not one. */
static bool parse_run(const char *l, unsigned long *start, unsigned long *count, char *kind,
		      char *zone)
{
	char buf[96], *w[6];
	size_t n = 0;
	int nw = 0;

	while (l[n] && l[n] != '\n' && n < sizeof(buf) - 1) {
		buf[n] = l[n];
		n++;
	}
	buf[n] = '\0';
	for (char *p = buf; *p && nw < 6;) {
		w[nw++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (nw != 6 || strcmp(w[0], "run") || kstrtoul(w[1], kstrto_base(w[1]), start) ||
	    kstrtoul(w[2], 10, count) || strlen(w[3]) > 15 || strlen(w[5]) > 15)
		return false;
	strlcpy(kind, w[3], 16);
	strlcpy(zone, w[5], 16);
	return true;
}

/* The decimal after key in the line at l (~0 if absent). */
static unsigned long field(const char *l, const char *key)
{
	size_t k = strlen(key);

	for (; *l && *l != '\n'; l++) {
		if (strncmp(l, key, k))
			continue;
		unsigned long v = 0;
		for (l += k; *l >= '0' && *l <= '9'; l++)
			v = v * 10 + (unsigned long)(*l - '0');
		return v;
	}
	return ~0UL;
}

/* memsnap_show's runs, read back: they tile [0, max_pfn) and the free ones
 * are the free pages of the snapshot's own meminfo line, read just before
 * the walk (nothing else runs while the suite does). */
static void test_snapshot_counts(struct ktest *t)
{
	struct seq_file m = { 0 };
	unsigned long next = 0, free = 0, high_free = 0, bad = 0;

	no_injection(t);
	drain_all_pages();
	KTEST_ASSERT_EQ(t, memsnap_show(&m, 0), 0);
	KTEST_ASSERT_TRUE(t, m.buf && !m.overflow);
	unsigned long want_free = ~0UL, want_high = ~0UL;
	const char *mi = m.buf;
	while (mi && strncmp(mi, "meminfo ", 8))
		mi = strchr(mi, '\n') ? strchr(mi, '\n') + 1 : NULL;
	KTEST_ASSERT_NOT_NULL(t, mi);
	want_free = field(mi, "MemFree=");
	want_high = field(mi, "HighFree=");
	for (char *l = m.buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char kind[16], zone[16];
		unsigned long start, count;
		if (strncmp(l, "run ", 4))
			continue;
		if (!parse_run(l, &start, &count, kind, zone) || start != next) {
			bad++;
			continue;
		}
		next = start + count;
		if (!strcmp(kind, "free") || !strcmp(kind, "pcp")) {
			free += count;
			high_free += strcmp(zone, "HighMem") ? 0 : count;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, next, max_pfn);
	KTEST_EXPECT_TRUE(t, !strncmp(m.buf, "memsnap-begin v1\n", 17));
	KTEST_EXPECT_TRUE(t, m.count > 13 && !strcmp(m.buf + m.count - 13, "\nmemsnap-end\n"));
	KTEST_EXPECT_EQ(t, free, want_free);
	KTEST_EXPECT_EQ(t, high_free, want_high);
	seq_release_buf(&m);
}

static struct ktest_case cases[] = {
	KTEST_CASE(test_free_block_has_buddy),
	KTEST_CASE(test_slab_and_highmem_pages),
	KTEST_CASE(test_reads_refused_and_ended),
	KTEST_CASE(test_pagemap_names_the_frame),
	KTEST_CASE(test_snapshot_counts),
	{ 0 },
};
KTEST_SUITE(kpage, cases);
