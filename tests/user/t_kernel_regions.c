/*
 * t_kernel_regions.c - ring 3 can never read, write or execute kernel
 * memory: each access to each region of the kernel's gigabyte is made in a
 * child that must die by SIGSEGV.
 *
 * The regions (docs/memory-layout.md): the direct map at PAGE_OFFSET
 * 0xC0000000, the kernel image at 0xC0100000, the vmalloc area (the first
 * address /proc/vmallocinfo lists on Highland, else 0xF8800000, which lies
 * inside it at every RAM size), the pkmap window at 0xFFC00000 and the
 * fixmap at 0xFFFFE000 (the local APIC's page). These are mapped pages in
 * the kernel half, so only the U/S bit keeps user mode out.
 */
#include "ut.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct region {
	const char *name;
	uintptr_t addr;
};

static struct region regions[] = {
	{ "direct_map", 0xC0000000u },
	{ "kernel_image", 0xC0100000u },
	{ "vmalloc", 0xF8800000u },
	{ "pkmap", 0xFFC00000u },
	{ "fixmap", 0xFFFFE000u },
};

static void do_read(void *a)
{
	(void)*(volatile uint32_t *)a;
}

static void do_write(void *a)
{
	*(volatile uint32_t *)a = 0xdeadbeef;
}

static void do_exec(void *a)
{
	((void (*)(void))a)();
}

/* The start of the first vmalloc area /proc/vmallocinfo lists, or 0. */
static uintptr_t first_vmalloc_area(void)
{
	char buf[2048];
	if (read_file("/proc/vmallocinfo", buf, sizeof(buf)) <= 0 || strncmp(buf, "0x", 2))
		return 0;
	return (uintptr_t)strtoul(buf, NULL, 16);
}

static int check_region(int r)
{
	static void (*const ops[])(void *) = { do_read, do_write, do_exec };
	static const char *const what[] = { "read", "write", "execute" };
	char why[160];

	for (int i = 0; i < 3; i++)
		KT_EXPECT(dies_by_signal(ops[i], (void *)regions[r].addr, SIGSEGV, why, sizeof(why)),
			  "%s of %s at %#lx: %s", what[i], regions[r].name,
			  (unsigned long)regions[r].addr, why);
	return KT_PASS;
}

static int test_direct_map(void) { return check_region(0); }
static int test_kernel_image(void) { return check_region(1); }
static int test_pkmap(void) { return check_region(3); }
static int test_fixmap(void) { return check_region(4); }

static int test_vmalloc(void)
{
	uintptr_t v = hl_is_highland() ? first_vmalloc_area() : 0;
	if (v >= 0xC0000000u)
		regions[2].addr = v;
	kt_diag("vmalloc address %#lx", (unsigned long)regions[2].addr);
	return check_region(2);
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "direct_map_rwx_segv", test_direct_map },
		{ "kernel_image_rwx_segv", test_kernel_image },
		{ "vmalloc_rwx_segv", test_vmalloc },
		{ "pkmap_rwx_segv", test_pkmap },
		{ "fixmap_rwx_segv", test_fixmap },
	};
	return kt_run("kernel_regions", cases, 5);
}
