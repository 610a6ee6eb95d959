/* page_ext.c - per-frame debug data outside struct page, and the boot
 * options that ask for it.
 *
 * struct page has 32 bytes and every one of them has a meaning (include/mm.h),
 * so data only debugging needs - the return address of a page's last
 * allocator or freer, which bad-page and use-after-free reports print -
 * lives in a side table, as Linux's page_ext/page_owner: one entry per
 * frame, allocated from memblock at boot, only when asked for:
 *
 *   page_owner=on        record the last alloc/free caller of every page
 *   debug_pagealloc=on   (also) poison free pages and check the free lists;
 *                        its use-after-free report names the last freer
 *
 * Both take Linux's values on or off; anything else is refused with a
 * message naming the option, and the option stays off.
 *
 * Cost: while the table is absent the allocator's fast paths do not look
 * for it. While it is present alloc_pages_fast_orders is 0 (the gate
 * fault injection uses too, include/fault_inject.h), so per-CPU-list allocations
 * and frees take the slow path, which records the caller. An 8 GB machine
 * pays 4 bytes per frame: 9 MB of lowmem.
 */
#include "cmdline.h"
#include "errno.h"
#include "fault_inject.h"
#include "kstring.h"
#include "memblock.h"
#include "mmzone.h"
#include "printk.h"

struct page_ext *page_ext_table;
bool page_owner_enabled;

/* `name=on|off`: true/false into *val; absent leaves it; anything else is
 * refused with a message (and *val stays false). */
static void parse_on_off(const char *name, bool *val)
{
	char v[16];

	if (!cmdline_has(name))
		return;
	*val = false;
	int r = cmdline_get_str(name, v, sizeof(v));
	if (r == -ENOENT) {
		pr_err("%s: needs a value: %s=on or %s=off; left off\n", name, name, name);
		return;
	}
	if (r < 0)
		return; /* too long: cmdline_get_str said so; left off */
	if (strcmp(v, "on") == 0)
		*val = true;
	else if (strcmp(v, "off") != 0)
		pr_err("%s=%s: expected on or off; left off\n", name, v);
}

void page_ext_attach(struct page_ext *table)
{
	page_ext_table = table;
	__atomic_store_n(&alloc_pages_fast_orders, table || fault_inject_on ? 0 : NR_PCP_LISTS,
			 __ATOMIC_RELAXED);
}

void page_ext_init(void)
{
	parse_on_off("debug_pagealloc", &debug_pagealloc);
	parse_on_off("page_owner", &page_owner_enabled);
	if (cmdline_has("debug_pagealloc"))
		pr_info("debug_pagealloc: %s\n", debug_pagealloc ?
			"enabled (free lists checked after every operation)" : "disabled");
	if (!debug_pagealloc && !page_owner_enabled) {
		page_ext_attach(NULL);
		return;
	}
	phys_addr_t size = ALIGN_UP((phys_addr_t)max_pfn * sizeof(struct page_ext),
				    (phys_addr_t)PAGE_SIZE);
	phys_addr_t limit = memblock.current_limit ? memblock.current_limit : PFN_PHYS(max_low_pfn);
	phys_addr_t pa = memblock_phys_alloc_range(size, PAGE_SIZE, 0, limit, "page_ext");
	if (!pa) {
		pr_err("page_ext: no %lluK of lowmem for the side table: last alloc/free callers "
		       "will not be recorded\n", size >> 10);
		return;
	}
	struct page_ext *table = __va(pa);
	memset(table, 0, (size_t)size);
	pr_info("page_ext: %lluK for %lu frames (last alloc/free caller of each page)\n",
		size >> 10, max_pfn);
	page_ext_attach(table);
}
