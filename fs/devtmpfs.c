/* devtmpfs.c - /dev: the console (the serial port), /dev/null, /dev/zero.
 *
 * devtmpfs is a RAM filesystem like the root one, filled at boot with the
 * device nodes the kernel knows, and mounted on /dev (init's own mount of
 * it then gets EBUSY, as the reference notes for Linux). A device node's
 * inode carries only its number; opening it finds the
 * driver by its major (register_chrdev; the driver's open picks the minor),
 * as Linux's char devices.
 *
 * The console (5:1), /dev/ttyS0 (4:64) and /dev/tty (5:0) are the serial
 * terminal of fs/tty.c (termios, line discipline, job control). Its
 * receive side starts only when init's console is set up, so the serial
 * monitor - which polls the same port - never competes with it.
 */
#include "blkdev.h"
#include "err.h"
#include "highmem.h"
#include "internal.h"
#include "kstring.h"
#include "machine.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"
#include "tty.h"

#define MKDEV(ma, mi) (((u32)(ma) << 8) | (u32)(mi))

static struct super_block *devtmpfs_sb;

struct super_block *devtmpfs_super(void) { return devtmpfs_sb; }

/* ---- /dev/null and /dev/zero ---- */

static ssize_t null_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return (ssize_t)count;
}

static ssize_t zero_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	static const char zeros[512];
	size_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(zeros) ? count - done : sizeof(zeros);
		if (fs_io_to(io, done, zeros, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

static const struct file_operations null_fops = { .read = null_read, .write = null_write };
static const struct file_operations zero_fops = { .read = zero_read, .write = null_write };

/* Major 1 ("mem"): the minor picks the device, as Linux's memory_open. */
static int mem_open(struct inode *inode, struct file *f)
{
	switch (inode->i_rdev & 0xff) {
	case 3: f->f_op = &null_fops; return 0;
	case 5: f->f_op = &zero_fops; return 0;
	default: return -ENXIO;
	}
}

static const struct file_operations mem_fops = { .open = mem_open };

/* The console, /dev/ttyS0 and /dev/tty: the terminal of fs/tty.c. */

int devtmpfs_init(void)
{
	static const struct { const char *name; umode_t mode; u32 rdev; } nodes[] = {
		{ "console", S_IFCHR | 0600, MKDEV(5, 1) },
		{ "tty", S_IFCHR | 0666, MKDEV(5, 0) },
		{ "ttyS0", S_IFCHR | 0660, MKDEV(4, 64) },
		{ "null", S_IFCHR | 0666, MKDEV(1, 3) },
		{ "zero", S_IFCHR | 0666, MKDEV(1, 5) },
	};
	struct inode *inode;
	int err = 0;

	if (register_chrdev(1, "mem", &mem_fops) || register_chrdev(5, "console", &tty_fops) ||
	    register_chrdev(4, "ttyS", &tty_fops))
		return -EBUSY;
	devtmpfs_sb = alloc_super("devtmpfs", TMPFS_MAGIC);
	inode = devtmpfs_sb ? new_inode(devtmpfs_sb, S_IFDIR | 0755) : NULL;
	if (!inode || !(devtmpfs_sb->s_root = d_alloc(NULL, "/", 1, inode)))
		return -ENOMEM;
	vfs_lock();
	for (size_t i = 0; i < ARRAY_SIZE(nodes) && !err; i++)
		err = ramfs_create(devtmpfs_sb->s_root, nodes[i].name, nodes[i].mode, nodes[i].rdev,
				   NULL, NULL);
	vfs_unlock();
	return err ? err : blkdev_create_nodes(); /* /dev/sda, ... (fs/blkdev.c) */
}

/* ---- init's descriptors ---- */

int console_setup_init_files(void)
{
	int err = console_open_fds();

	if (!err)
		console_start_rx();
	return err;
}

int console_open_fds(void)
{
	struct task *t = current;
	struct file *f;

	if (!t->files && !(t->files = files_struct_alloc()))
		return -ENOMEM;
	if (!t->fs && !(t->fs = copy_fs_struct(NULL)))
		return -ENOMEM;
	f = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(f)) {
		pr_err("Warning: unable to open an initial console (error %ld)\n", PTR_ERR(f));
		return (int)PTR_ERR(f);
	}
	for (int fd = 0; fd < 3; fd++) {
		int got = fd_install_new(fd ? get_file(f) : f, 0, fd);

		if (got != fd) {
			pr_err("console_setup_init_files: fd %d taken (got %d)\n", fd, got);
			if (got < 0)
				fput(f);
			return -EBUSY;
		}
	}
	return 0;
}
