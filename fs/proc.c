/* proc.c - /proc: files made when they are read.
 *
 * The proc superblock's root holds, in the dentry tree, the global files
 * registered with proc_create_single (subdirectories made as their names
 * need: "sys/vm/x") and the symlink "self". Process directories are not
 * in the tree: the root's lookup makes a transient dentry for a number
 * that is a live pid (find_task_by_pid), and the pid directory's lookup
 * makes its files from the names proc_pid_register collected, so nothing
 * needs cleaning up when a process exits. readdir of the root lists the
 * tree's entries, then every live pid.
 *
 * A read at offset 0 runs the show function into a seq_file (the whole
 * file at once) and later reads copy from that buffer, so `cat` sees one
 * consistent snapshot; lseek to 0 and read again for a fresh one.
 */
#include "internal.h"
#include "kstring.h"
#include "loadavg.h"
#include "mmzone.h"
#include "printk.h"
#include "process.h"
#include "proc_fs.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"

#define PROC_PID_FILES_MAX 16
#define PROC_PID_SCAN_MAX 32768 /* Linux's default pid_max */

struct proc_entry {
	int (*show)(struct seq_file *m, void *data);
	void *data;
};

static struct {
	const char *name;
	int (*show)(struct seq_file *m, struct task *t);
	const struct file_operations *fops; /* a file with its own read (pagemap), or NULL */
} pid_files[PROC_PID_FILES_MAX];
static unsigned nr_pid_files;

static struct super_block *proc_sb;

/* Asked for by do_mount: /proc is being mounted, so user space will read
 * the load averages: their sampler starts now (kernel/loadavg.c). */
struct super_block *proc_super(void)
{
	if (proc_sb)
		loadavg_start();
	return proc_sb;
}

/* ---- reading: a seq_file per open file ---- */

static const struct file_operations proc_pid_file_fops;

/* i_private: a proc_entry (global file) or, for a pid file, its index in
 * pid_files; the pid is its directory's i_private. */
static int proc_fill(struct file *f, struct seq_file *m)
{
	struct inode *inode = f->f_inode;

	seq_release_buf(m);
	m->overflow = false;
	if (f->f_op == &proc_pid_file_fops) {
		int pid = (int)(unsigned long)f->f_dentry->d_parent->d_inode->i_private;
		unsigned idx = (unsigned)(unsigned long)inode->i_private;
		/* A copy taken under tasklist_lock with its mm held (kernel/pid.c):
		 * the show function may sleep, and the process may exit meanwhile. */
		struct task *t = get_task_snapshot(pid);

		if (!t)
			return -ESRCH;
		int err = pid_files[idx].show(m, t);
		put_task_snapshot(t);
		return err;
	}
	const struct proc_entry *e = inode->i_private;
	return e->show(m, e->data);
}

static int proc_open(struct inode *inode, struct file *f)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	f->private_data = m;
	return 0;
}

static void proc_release(struct inode *inode, struct file *f)
{
	struct seq_file *m = f->private_data;

	seq_release_buf(m);
	kfree(m);
}

static ssize_t proc_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	struct seq_file *m = f->private_data;
	size_t n;

	if (*pos == 0 || !m->buf) {
		int err = proc_fill(f, m);

		if (err < 0)
			return err;
		if (m->overflow)
			return -ENOMEM;
	}
	if (*pos >= (loff_t)m->count)
		return 0;
	n = m->count - (size_t)*pos;
	if (n > count)
		n = count;
	if (fs_io_to(io, 0, m->buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static const struct file_operations proc_file_fops = {
	.open = proc_open,
	.release = proc_release,
	.read = proc_read,
};

static const struct file_operations proc_pid_file_fops = {
	.open = proc_open,
	.release = proc_release,
	.read = proc_read,
};

/* ---- the tree part: global files, "self" ---- */

static struct inode *proc_inode(umode_t mode)
{
	struct inode *inode = new_inode(proc_sb, mode);

	if (inode && S_ISREG(mode))
		inode->i_fop = &proc_file_fops;
	return inode;
}

/* The child of dir called name (len bytes), made as a directory if absent. */
static struct dentry *proc_subdir(struct dentry *dir, const char *name, size_t len)
{
	struct list_head *pos;
	struct inode *inode;

	list_for_each(pos, &dir->d_subdirs) {
		struct dentry *c = list_entry(pos, struct dentry, d_child);

		if (strlen(c->d_name) == len && !memcmp(c->d_name, name, len))
			return S_ISDIR(c->d_inode->i_mode) ? c : NULL;
	}
	inode = proc_inode(S_IFDIR | 0555);
	if (!inode)
		return NULL;
	struct dentry *d = d_alloc(dir, name, len, inode);
	if (!d)
		free_inode(inode);
	return d;
}

int proc_create_single(const char *name, int (*show)(struct seq_file *m, void *data), void *data)
{
	struct dentry *dir;
	const char *slash;
	struct proc_entry *e;
	struct inode *inode;
	int err = 0;

	if (!proc_sb)
		return -ENODEV;
	vfs_lock();
	dir = proc_sb->s_root;
	while (dir && (slash = strchr(name, '/'))) {
		dir = proc_subdir(dir, name, (size_t)(slash - name));
		name = slash + 1;
	}
	if (!dir || !*name || strlen(name) > DNAME_MAX) {
		err = dir ? -EINVAL : -ENOMEM;
		goto out;
	}
	struct dentry *old = d_lookup_child(dir, name, strlen(name));
	if (old) {
		dput(old);
		err = -EEXIST;
		goto out;
	}
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	inode = e ? proc_inode(S_IFREG | 0444) : NULL;
	if (!inode || !d_alloc(dir, name, strlen(name), inode)) {
		kfree(e);
		if (inode)
			free_inode(inode);
		err = -ENOMEM;
		goto out;
	}
	*e = (struct proc_entry){ show, data };
	inode->i_private = e;
out:
	vfs_unlock();
	return err;
}

int proc_pid_register(const char *name, int (*show)(struct seq_file *m, struct task *t))
{
	if (nr_pid_files == PROC_PID_FILES_MAX)
		return -ENOSPC;
	for (unsigned i = 0; i < nr_pid_files; i++)
		if (!strcmp(pid_files[i].name, name))
			return -EEXIST;
	pid_files[nr_pid_files].name = name;
	pid_files[nr_pid_files].show = show;
	nr_pid_files++;
	return 0;
}

int proc_pid_register_fops(const char *name, const struct file_operations *fops)
{
	int err = proc_pid_register(name, NULL);

	if (!err)
		pid_files[nr_pid_files - 1].fops = fops;
	return err;
}

int proc_file_pid(struct file *f)
{
	return (int)(unsigned long)f->f_dentry->d_parent->d_inode->i_private;
}

static int self_get_link(struct inode *inode, char *buf, size_t size)
{
	int pid = current_pid();

	if (pid <= 0)
		return -ENOENT; /* no process (Linux: a kernel thread has no /proc/self) */
	return snprintf(buf, size, "%d", pid);
}

static const struct inode_operations proc_self_iops = { .get_link = self_get_link };

/* ---- pid directories ---- */

static struct dentry *pid_dir_lookup(struct dentry *dir, const char *name, size_t len)
{
	for (unsigned i = 0; i < nr_pid_files; i++) {
		if (strlen(pid_files[i].name) != len || memcmp(pid_files[i].name, name, len))
			continue;
		const struct file_operations *fops = pid_files[i].fops;
		struct inode *inode = proc_inode(S_IFREG | (fops && fops->write ? 0644 : 0444));
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_private = (void *)(unsigned long)i;
		inode->i_fop = pid_files[i].fops ? pid_files[i].fops : &proc_pid_file_fops;
		struct dentry *d = d_alloc_transient(dir, pid_files[i].name, inode);
		if (!d)
			free_inode(inode);
		return d ? d : ERR_PTR(-ENOMEM);
	}
	return NULL;
}

static int pid_dir_iterate(struct file *f, filldir_t emit, void *ctx)
{
	vfs_lock();
	for (; f->f_pos < 2 + (loff_t)nr_pid_files; f->f_pos++) {
		loff_t i = f->f_pos;
		bool ok = i == 0   ? emit(ctx, ".", 1, f->f_inode->i_ino, DT_DIR)
			  : i == 1 ? emit(ctx, "..", 2, 1, DT_DIR)
				   : emit(ctx, pid_files[i - 2].name, strlen(pid_files[i - 2].name),
					  0x10000 + (u64)i, DT_REG);
		if (!ok)
			break;
	}
	vfs_unlock();
	return 0;
}

static const struct inode_operations pid_dir_iops = { .lookup = pid_dir_lookup };
static const struct file_operations pid_dir_fops = { .iterate = pid_dir_iterate };

static struct dentry *proc_root_lookup(struct dentry *dir, const char *name, size_t len)
{
	int pid = 0;
	char buf[12];

	if (len == 0 || len > 9)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return NULL;
		pid = pid * 10 + (name[i] - '0');
	}
	if (!pid_task_exists(pid))
		return NULL;
	struct inode *inode = proc_inode(S_IFDIR | 0555);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_op = &pid_dir_iops;
	inode->i_fop = &pid_dir_fops;
	inode->i_private = (void *)(unsigned long)pid;
	snprintf(buf, sizeof(buf), "%d", pid);
	struct dentry *d = d_alloc_transient(dir, buf, inode);
	if (!d)
		free_inode(inode);
	return d ? d : ERR_PTR(-ENOMEM);
}

/* The tree's entries (simple_dir_iterate), then the live pids: f_pos past
 * the tree's entries is base + the next pid to look at. */
static int proc_root_iterate(struct file *f, filldir_t emit, void *ctx)
{
	struct list_head *pos;
	loff_t base = 2;
	char name[12];

	simple_dir_iterate(f, emit, ctx);
	vfs_lock();
	list_for_each(pos, &f->f_dentry->d_subdirs)
		base++;
	vfs_unlock();
	if (f->f_pos < base)
		return 0; /* the buffer filled up within the tree's entries */
	for (int pid = (int)(f->f_pos - base); pid < PROC_PID_SCAN_MAX; pid++) {
		if (!pid_task_exists(pid)) {
			f->f_pos = base + pid + 1;
			continue;
		}
		int n = snprintf(name, sizeof(name), "%d", pid);
		if (!emit(ctx, name, (size_t)n, 0x20000 + (u64)pid, DT_DIR))
			break;
		f->f_pos = base + pid + 1;
	}
	return 0;
}

static const struct inode_operations proc_root_iops = { .lookup = proc_root_lookup };
static const struct file_operations proc_root_fops = { .iterate = proc_root_iterate };

/* ---- the memory reports, printed by mm/ into the seq_file ---- */

static int show_report(struct seq_file *m, void *data)
{
	((void (*)(struct seq_file *))data)(m);
	return 0;
}

/* /proc/mounts (Linux: a link to self/mounts; one namespace here): "device
 * mountpoint type options 0 0" for the root and what is mounted on it, as df
 * and mount read it. A filesystem's root is mounted when it has a parent. */
static bool mounted(struct super_block *sb)
{
	return sb && sb->s_root && sb->s_root->d_parent != sb->s_root;
}

static int mounts_show(struct seq_file *m, void *data)
{
	seq_puts(m, "rootfs / rootfs rw 0 0\n");
	vfs_lock();
	bool dev = mounted(devtmpfs_super()), proc = mounted(proc_sb);
	vfs_unlock();
	if (dev)
		seq_puts(m, "devtmpfs /dev devtmpfs rw,relatime 0 0\n");
	if (proc)
		seq_puts(m, "proc /proc proc rw,relatime 0 0\n");
	return 0;
}

static int proc_reports_init(void)
{
	static const struct { const char *name; void (*show)(struct seq_file *m); } r[] = {
		{ "meminfo", meminfo_show },	     { "buddyinfo", buddyinfo_show },
		{ "zoneinfo", zoneinfo_show },	     { "slabinfo", slabinfo_show },
		{ "vmallocinfo", vmallocinfo_show }, { "vmstat", vmstat_show },
	};
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(r) && !err; i++)
		err = proc_create_single(r[i].name, show_report, (void *)r[i].show);
	return err ? err : proc_create_single("mounts", mounts_show, NULL);
}

int proc_init(void)
{
	struct inode *root, *self;
	struct dentry *d;

	proc_sb = alloc_super("proc", PROC_SUPER_MAGIC);
	if (!proc_sb)
		return -ENOMEM;
	root = new_inode(proc_sb, S_IFDIR | 0555);
	if (!root || !(proc_sb->s_root = d_alloc(NULL, "/", 1, root)))
		return -ENOMEM;
	root->i_op = &proc_root_iops;
	root->i_fop = &proc_root_fops;
	self = new_inode(proc_sb, S_IFLNK | 0777);
	if (!self)
		return -ENOMEM;
	self->i_op = &proc_self_iops;
	vfs_lock();
	d = d_alloc(proc_sb->s_root, "self", 4, self);
	vfs_unlock();
	if (!d)
		return -ENOMEM;
	int err = proc_reports_init();
	if (!err)
		err = proc_pid_files_init();
	if (!err)
		err = proc_misc_init();
	if (!err)
		err = proc_kpage_init(); /* fs/proc_kpage.c: kpageflags, kpagecount, highland/memsnap */
	return err;
}
