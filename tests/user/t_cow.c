/*
 * t_cow.c - fork is copy-on-write: after fork, parent and child each see
 * the memory as it was at fork and their own later writes only, across a
 * tree of processes three generations deep; MAP_SHARED memory stays shared.
 *
 * Why a tree: a COW page may be shared by many processes at once (mapcount
 * above 2); the last sharer must reuse it, every other writer must copy.
 * On Highland the RSS lines of /proc/self/status are checked exactly too
 * (elsewhere they would describe qemu-i386, not this program).
 */
#include "ut.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 32

static unsigned *region;

static void *map_pages(int npages, int flags)
{
	void *p = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS,
		       -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static unsigned *word(int page)
{
	return region + page * (PAGE / sizeof(unsigned));
}

/* Every page's first word is v; else the first page that is not, or -1. */
static int all_are(unsigned v)
{
	for (int i = 0; i < NPAGES; i++)
		if (*word(i) != v)
			return i;
	return -1;
}

static void set_all(unsigned v)
{
	for (int i = 0; i < NPAGES; i++)
		*word(i) = v;
}

/* Wait for pid; 1 if it exited 0. */
static int reaped_ok(pid_t pid)
{
	int st;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int test_child_sees_old_and_private_writes(void)
{
	int sync[2];
	char c;

	region = map_pages(NPAGES, MAP_PRIVATE);
	KT_EXPECT(region, "mmap: %s", strerror(errno));
	set_all(1);
	KT_EXPECT(pipe(sync) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	KT_EXPECT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (all_are(1) != -1)
			_exit(10);                       /* did not see the value at fork */
		set_all(2);                              /* private: parent keeps 1 */
		if (read(sync[0], &c, 1) != 1)           /* parent wrote 3 meanwhile */
			_exit(11);
		_exit(all_are(2) == -1 ? 0 : 12);        /* and we do not see it */
	}
	int bad = all_are(1);
	set_all(3);
	KT_EXPECT(write(sync[1], "g", 1) == 1, "write: %s", strerror(errno));
	int st;
	char d[96];
	KT_EXPECT(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	KT_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "child %s (10: old value not seen, 12: saw the parent's write)",
		  describe_status(st, d, sizeof(d)));
	KT_EXPECT(bad == -1, "parent saw the child's write on page %d", bad);
	KT_EXPECT(all_are(3) == -1, "parent lost its own write");
	close(sync[0]);
	close(sync[1]);
	munmap(region, NPAGES * PAGE);
	return KT_PASS;
}

/* Generation g checks the values of every ancestor, writes its own, forks two. */
static int tree(int gen, unsigned expect)
{
	if (all_are(expect) != -1)
		return 20 + gen;
	unsigned mine = expect * 3 + 1;
	set_all(mine);
	if (gen == 3)
		return 0;
	pid_t kids[2];
	unsigned cur = mine;
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] < 0)
			return 30;
		if (kids[k] == 0)
			_exit(tree(gen + 1, cur));
		if (k == 0)
			set_all(cur = mine + 1000);   /* after the first fork: only the second child sees it */
	}
	/* siblings wrote their own values; ours is intact */
	int ok = reaped_ok(kids[0]) && reaped_ok(kids[1]);
	return !ok ? 40 : all_are(mine + 1000) == -1 ? 0 : 50;
}

static int test_fork_tree(void)
{
	region = map_pages(NPAGES, MAP_PRIVATE);
	KT_EXPECT(region, "mmap: %s", strerror(errno));
	set_all(7);
	pid_t pid = fork();
	KT_EXPECT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(tree(0, 7));
	int st;
	char d[96];
	KT_EXPECT(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	KT_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the tree's root %s (2x: a generation saw a wrong value, 40: a child failed, "
		  "50: a sibling's write leaked)", describe_status(st, d, sizeof(d)));
	KT_EXPECT(all_are(7) == -1, "the tree's writes reached the original parent");
	munmap(region, NPAGES * PAGE);
	return KT_PASS;
}

static int test_shared_mapping_stays_shared(void)
{
	region = map_pages(NPAGES, MAP_SHARED);
	KT_EXPECT(region, "mmap MAP_SHARED: %s", strerror(errno));
	set_all(5);
	pid_t pid = fork();
	KT_EXPECT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		set_all(6);
		_exit(0);
	}
	KT_EXPECT(reaped_ok(pid), "child failed");
	int bad = all_are(6);
	KT_EXPECT(bad == -1, "page %d of a MAP_SHARED mapping did not show the child's write", bad);
	munmap(region, NPAGES * PAGE);
	return KT_PASS;
}

/* A "Key:   N kB" line of /proc/self/status, or -1. */
static long status_kb(const char *key)
{
	char buf[4096];
	if (read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strstr(buf, key);
	return p && p[strlen(key)] == ':' ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

static int test_rss_counts_exact(void)
{
	if (!hl_is_highland())
		KT_SKIP("not Highland: /proc/self/status describes qemu-i386 or the host's process");
	long before = status_kb("RssAnon");
	if (before < 0)
		KT_SKIP("no RssAnon in /proc/self/status");
	region = map_pages(NPAGES, MAP_PRIVATE);
	KT_EXPECT(region, "mmap: %s", strerror(errno));
	long after_map = status_kb("RssAnon");
	set_all(9);
	long after_touch = status_kb("RssAnon");
	KT_EXPECT(after_map == before, "RssAnon %ld -> %ld kB by mmap alone", before, after_map);
	KT_EXPECT(after_touch - after_map == NPAGES * 4, "touching %d pages: RssAnon %ld -> %ld kB",
		  NPAGES, after_map, after_touch);
	munmap(region, NPAGES * PAGE);
	long after_unmap = status_kb("RssAnon");
	KT_EXPECT(after_unmap == before, "after munmap RssAnon %ld kB, was %ld", after_unmap, before);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "child_sees_old_and_private_writes", test_child_sees_old_and_private_writes },
		{ "fork_tree_three_generations", test_fork_tree },
		{ "shared_mapping_stays_shared", test_shared_mapping_stays_shared },
		{ "rss_counts_exact", test_rss_counts_exact },
	};
	return kt_run("cow", cases, 4);
}
