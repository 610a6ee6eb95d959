/* test_reports.c - the reports print Linux's formats exactly:
 * /proc/buddyinfo, /proc/zoneinfo (main lines) and /proc/meminfo. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

/* Boot blocks of the 4 MB layout: [1, 0x9f) gives two each of orders 0-4
 * and one of 5 and 6; [0x180, 0x400) one of order 7 and one of order 9. */
HTEST(report_buddyinfo_format)
{
	sim_boot(&sim_tiny);
	htest_log_clear();
	show_buddyinfo();
	CHECK_STREQ(htest_log(), "Node 0, zone      DMA      2      2      2      2      2      1"
				 "      1      1      0      1      0 \n");
	sim_boot(&sim_2g);
	htest_log_clear();
	show_buddyinfo();
	CHECK(htest_log_contains("Node 0, zone      DMA "));
	CHECK(htest_log_contains("\nNode 0, zone   Normal "));
	CHECK(htest_log_contains("\nNode 0, zone  HighMem "));
	/* HighMem 0x38000-0x7ffe0: 287 blocks of 4 MB, then 0x7fc00-0x7ffe0 */
	CHECK(htest_log_contains("zone  HighMem      0      0      0      0      0      1      1"
				 "      1      1      1    287 \n"));
}

HTEST(report_zoneinfo_format)
{
	sim_boot(&sim_2g);
	htest_log_clear();
	show_zoneinfo();
	CHECK(htest_log_contains("Node 0, zone   Normal\n"
				 "  pages free     221184\n"
				 "        min      935\n"
				 "        low      1168\n"
				 "        high     1401\n"
				 "        spanned  225280\n"
				 "        present  225280\n"
				 "        managed  221184\n"
				 "        protection: (0, 0, 9215, 9215)\n"
				 "      nr_free_pages 221184\n"
				 "      nr_zone_inactive_anon 0\n"
				 "      nr_zone_active_anon 0\n"
				 "      nr_zone_inactive_file 0\n"
				 "      nr_zone_active_file 0\n"
				 "      nr_zone_unevictable 0\n"
				 "  pagesets\n"
				 "    cpu: 0\n"
				 "              count: 0\n"
				 "              high:  1168\n"
				 "              batch: 63\n"
				 "  start_pfn:           4096\n"));
	CHECK(htest_log_contains("Node 0, zone      DMA\n  pages free     2560\n"));
	CHECK(htest_log_contains("        protection: (0, 864, 2015, 2015)\n"));
	CHECK(htest_log_contains("Node 0, zone  HighMem\n  pages free     294880\n"));
	CHECK(!htest_log_contains("cpu: 1")); /* other CPUs only when they hold pages */
	host_cpu_id = 2;
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	htest_log_clear();
	show_zoneinfo();
	CHECK(htest_log_contains("    cpu: 2\n              count: 62\n"));
	__free_pages(p, 0);
	host_cpu_id = 0;

	/* an unpopulated zone stops after protection, as in Linux */
	sim_boot(&sim_512m);
	htest_log_clear();
	show_zoneinfo();
	const char *hm = strstr(htest_log(), "Node 0, zone  HighMem\n");
	CHECK(hm != NULL);
	if (hm)
		CHECK_STREQ(hm, "Node 0, zone  HighMem\n"
				"  pages free     0\n"
				"        min      32\n"
				"        low      32\n"
				"        high     32\n"
				"        spanned  0\n"
				"        present  0\n"
				"        managed  0\n"
				"        protection: (0, 0, 0, 0)\n");
}

/* 2 GB: managed 2560 + 221184 + 294880 = 518624 pages. */
HTEST(report_meminfo_format)
{
	sim_boot(&sim_2g);
	htest_log_clear();
	show_meminfo();
	/* Linux 6.1's lines in its order (fs/proc/meminfo.c, i386 with HIGHMEM) */
	const char *want = "MemTotal:        2074496 kB\n"
			   "MemFree:         2074496 kB\n"
			   "MemAvailable:    ";
	CHECK(strncmp(htest_log(), want, strlen(want)) == 0);
	const char *rest = " kB\n"
			   "Buffers:               0 kB\n"
			   "Cached:                0 kB\n"
			   "SwapCached:            0 kB\n"
			   "Active:                0 kB\n"
			   "Inactive:              0 kB\n"
			   "Active(anon):          0 kB\n"
			   "Inactive(anon):        0 kB\n"
			   "Active(file):          0 kB\n"
			   "Inactive(file):        0 kB\n"
			   "Unevictable:           0 kB\n"
			   "Mlocked:               0 kB\n"
			   "HighTotal:       1179520 kB\n"
			   "HighFree:        1179520 kB\n"
			   "LowTotal:         894976 kB\n"
			   "LowFree:          894976 kB\n"
			   "SwapTotal:             0 kB\n"
			   "SwapFree:              0 kB\n"
			   "Zswap:                 0 kB\n"
			   "Zswapped:              0 kB\n"
			   "Dirty:                 0 kB\n"
			   "Writeback:             0 kB\n"
			   "AnonPages:             0 kB\n"
			   "Mapped:                0 kB\n"
			   "Shmem:                 0 kB\n"
			   "KReclaimable:          0 kB\n"
			   "Slab:            ";
	CHECK(htest_log_contains(rest));
	/* MemAvailable: free pages less the reserves (high watermarks and lowmem_reserve) */
	CHECK(si_mem_available() < nr_free_pages());
	CHECK(si_mem_available() > nr_free_pages() - nr_free_pages() / 20);
	CHECK(htest_log_contains(" kB\nPageTables:      "));
	CHECK(htest_log_contains(" kB\nVmallocTotal:   "));
	CHECK(htest_log_contains(" kB\nVmallocUsed:    "));
	CHECK(htest_log_contains(" kB\nHugePages_Total:       0\nHugePages_Free:        0\n"));
	CHECK(htest_log_contains("Hugepagesize:       2048 kB\nHugetlb:               0 kB\n"));
	struct page *p = alloc_pages(GFP_HIGHUSER, 2);
	struct page *q = alloc_pages(GFP_KERNEL, 0);
	htest_log_clear();
	show_meminfo();
	CHECK(htest_log_contains("MemFree:         2074476 kB\n"));
	CHECK(htest_log_contains("HighFree:        1179504 kB\n"));
	CHECK(htest_log_contains("LowFree:          894972 kB\n"));
	__free_pages(p, 2);
	__free_pages(q, 0);
}

HTEST(report_show_free_areas)
{
	sim_boot(&sim_2g);
	htest_log_clear();
	show_free_areas();
	CHECK(htest_log_contains("Mem-Info:\nfree:518624 free_pcp:0\n"));
	CHECK(htest_log_contains("Normal free:884736kB min:3740kB low:4672kB high:5604kB "
				 "present:901120kB managed:884736kB free_pcp:0kB local_pcp:0kB\n"
				 "lowmem_reserve[]: 0 0 9215 9215\n"));
	CHECK(htest_log_contains("HighMem: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 1*128kB 1*256kB "
				 "1*512kB 1*1024kB 1*2048kB 287*4096kB = 1179520kB\n"));
	CHECK(htest_log_contains("524159 pages RAM\n294880 pages HighMem/MovableOnly\n"
				 "5535 pages reserved\n"));
}
