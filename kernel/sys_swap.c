/* sys_swap.c - turning swap areas on and off: swapon(2) (87), swapoff(2)
 * (115), the boot option swapon=/dev/sda[,/dev/sdb], and /proc/swaps.
 *
 * A path names a block special file (/dev/sda); lookup_bdev finds its disk
 * and mm/swapfile.c does the rest (the header, the maps, priorities). The
 * area's name in the log and /proc/swaps is /dev/<disk>, whatever path
 * reached it, as Linux prints the device file's path. Linux also takes a
 * regular file; Highland's only regular files live in the RAM filesystem,
 * so swapping to one would move pages from RAM to RAM: refused (-EINVAL,
 * said). swapon and swapoff are for root (CAP_SYS_ADMIN) in Linux; every
 * Highland process is root, so the check is one that always passes today
 * (swap_permitted), kept where Linux has it.
 */
#include "blkdev.h"
#include "cmdline.h"
#include "errno.h"
#include "kstring.h"
#include "printk.h"
#include "proc_fs.h"
#include "slab.h"
#include "swap.h"
#include "syscalls.h"
#include "uaccess.h"
#include "../fs/internal.h"

#ifndef __NR_swapon
#define __NR_swapon 87
#endif
#ifndef __NR_swapoff
#define __NR_swapoff 115
#endif

/* Linux: capable(CAP_SYS_ADMIN). Every Highland process has uid 0. */
static bool swap_permitted(void) { return true; }

/* The disk behind path, and its name for the log: 0 or -errno (said). */
static int path_bdev(const char *path, const char *who, struct block_device **bdev, char *name,
		     size_t len)
{
	u32 dev;
	int err = lookup_bdev(path, &dev);

	if (err == -ENOTBLK) {
		pr_err("%s: %s is not a block device (Highland swaps to disks only: a file in "
		       "its RAM filesystem is already in RAM)\n", who, path);
		return -EINVAL;
	}
	if (err) {
		pr_err("%s: %s: %s\n", who, path, err == -ENOENT ? "no such file" :
		       err == -ENXIO ? "no such disk" : "cannot be looked up");
		return err;
	}
	*bdev = blkdev_get_by_dev(dev);
	snprintf(name, len, "/dev/%s", (*bdev)->bd_name);
	return 0;
}

int do_swapon(const char *path, int flags)
{
	struct block_device *bdev;
	char name[32];
	int err;

	if (!swap_permitted())
		return -EPERM;
	err = path_bdev(path, "swapon", &bdev, name, sizeof(name));
	return err ? err : swapon_bdev(bdev, name, flags);
}

int do_swapoff(const char *path)
{
	struct block_device *bdev;
	char name[32];
	int err;

	if (!swap_permitted())
		return -EPERM;
	err = path_bdev(path, "swapoff", &bdev, name, sizeof(name));
	if (err)
		return err;
	err = swapoff_bdev(bdev);
	if (err == -EINVAL)
		pr_err("swapoff: %s: not an active swap area\n", name);
	return err;
}

SYSCALL_DEFINE2(swapon, __NR_swapon, const char *, upath, int, swap_flags)
{
	char *path = getname(upath);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = do_swapon(path, swap_flags);
	kfree(path);
	return r;
}

SYSCALL_DEFINE1(swapoff, __NR_swapoff, const char *, upath)
{
	char *path = getname(upath);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = do_swapoff(path);
	kfree(path);
	return r;
}

static int swaps_show(struct seq_file *m, void *data)
{
	swap_show(m);
	return 0;
}

void swap_boot_init(void)
{
	char list[256];
	int err = proc_create_single("swaps", swaps_show, NULL);

	if (err)
		pr_err("swap: cannot make /proc/swaps (error %d)\n", err);
	if (cmdline_get_str("swapon", list, sizeof(list)) < 0)
		return;
	for (char *p = list, *next; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = 0;
		err = do_swapon(p, 0);
		if (err)
			pr_err("swapon=%s: not turned on (error %d)\n", p, err);
	}
}
