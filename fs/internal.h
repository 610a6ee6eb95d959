/* internal.h - what the files of fs/ share and nobody else needs.
 *
 * Locking, kept simple on purpose: one sleeping lock (vfs_lock) guards the
 * dentry tree, every inode's fields and every page-cache index. Whoever
 * walks a path, creates, removes, reads or writes a RAM file holds it; it
 * is never held while sleeping for input (pipes and the console have their
 * own wait queues and locks), so a blocked reader stops nobody else. Linux
 * splits this into i_rwsem per inode, the dcache's RCU and the page cache's
 * xarray lock; one lock is enough at this scale and easy to reason about.
 */
#ifndef HL_FS_INTERNAL_H
#define HL_FS_INTERNAL_H

#include "errno.h"
#include "err.h"
#include "fs.h"

/* Linux's values, in case errno.h does not have them yet. */
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36
#endif
#ifndef ENOTEMPTY
#define ENOTEMPTY 39
#endif
#ifndef ELOOP
#define ELOOP 40
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif

#define PATH_MAX 4096
#define MAXSYMLINKS 40 /* Linux's limit on symlinks followed in one lookup */

/* Linux's d_type values (getdents64). */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* Linux's superblock magic numbers. */
#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0

/* ---- namei.c: the lock, dentries, path walks ---- */
/* The root filesystem: its superblock and "/" (root_dentry). 0 or -ENOMEM. */
int init_rootfs(void);
void vfs_lock(void);
void vfs_unlock(void);
extern struct dentry *root_dentry; /* "/" of the rootfs */

struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* A new child of parent named name (len bytes) with inode; NULL without memory. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len, struct inode *inode);
/* A dentry outside the tree (a /proc pid's), freed at its last dput. */
struct dentry *d_alloc_transient(struct dentry *parent, const char *name, struct inode *inode);
/* Take d out of the tree; it lives on while referenced. */
void d_delete(struct dentry *d);
unsigned dtype_of(umode_t mode);

#define LOOKUP_FOLLOW 1u    /* follow a symlink in the last component */
#define LOOKUP_PARENT 2u    /* stop at the last component's directory */
#define LOOKUP_DIRECTORY 4u /* the result must be a directory */

struct nameidata {
	struct dentry *dentry;     /* the result (referenced), or the parent with LOOKUP_PARENT */
	char last[DNAME_MAX + 1];  /* LOOKUP_PARENT: the last component ("" for "/") */
	int links;                 /* symlinks followed */
};
/* Walk path from the task's root/cwd (or from base if not NULL). Call with
 * vfs_lock held. 0 or -errno; nd->dentry holds a reference (dput it). */
int path_walk(const char *path, unsigned flags, struct dentry *base, struct nameidata *nd);
/* The task's (or, for kernel threads, the global) root and cwd. */
struct dentry *current_root(void);
struct dentry *current_pwd(void);
/* The child called name of dir (following mounts), with a reference; NULL if none. */
struct dentry *d_lookup_child(struct dentry *dir, const char *name, size_t len);

/* ---- inode.c: inodes, the RAM filesystem, the page cache ---- */
struct inode *new_inode(struct super_block *sb, umode_t mode);
void free_inode(struct inode *inode); /* with its pages, link and private data */
/* A new file, directory, symlink or device node in dir: 0 or -errno (vfs_lock held). */
int ramfs_create(struct dentry *dir, const char *name, umode_t mode, u32 rdev,
		 const char *link, struct dentry **out);
int ramfs_truncate(struct inode *inode, loff_t size); /* vfs_lock held */
/* Page index of the mapping, allocated (zeroed) if create; NULL or ERR_PTR. */
struct page *find_or_create_page(struct address_space *m, pgoff_t index, bool create);
struct super_block *alloc_super(const char *type, unsigned long magic);
extern const struct file_operations ramfs_file_operations, ramfs_dir_operations;
int simple_dir_iterate(struct file *f, filldir_t emit, void *ctx);

/* ---- file.c ---- */
/* Open the inode of d as a new struct file (d gets a reference). */
struct file *dentry_open(struct dentry *d, unsigned flags);
struct file *alloc_file(const struct file_operations *fop, unsigned flags, void *private_data);
int fd_install_new(struct file *f, unsigned flags, int min); /* new fd >= min, or -EMFILE */
struct file *fget(int fd); /* with a reference, or NULL */
int close_fd(int fd);
/* An empty descriptor table (count 1), or NULL. */
struct files_struct *files_struct_alloc(void);
/* Character devices: the driver of a major (0 or -EBUSY/-EINVAL). */
int register_chrdev(unsigned major, const char *name, const struct file_operations *fops);
/* console_setup_init_files without starting the UART poller (tests). */
int console_open_fds(void);
int fd_install_at(int fd, struct file *f, bool cloexec); /* dup2: replaces (closes) what was there */
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);
/* filp_open relative to base (openat's directory; NULL: the cwd). */
struct file *file_open_at(struct dentry *base, const char *path, int flags, umode_t mode);
/* lseek: SEEK_SET/CUR/END (0, 1, 2); the new offset or -errno (ESPIPE: pipes, the console). */
loff_t vfs_llseek(struct file *f, loff_t off, unsigned whence);
/* ioctl: the file's, or -ENOTTY. */
long vfs_ioctl(struct file *f, unsigned cmd, unsigned long arg);
/* getdents64 into a kernel buffer: bytes, 0 at the end, or -errno. */
long vfs_getdents64(struct file *f, void *buf, size_t count);
/* The two ends of a new pipe: [0] reads, [1] writes. 0 or -errno. */
int create_pipe_files(struct file *res[2], unsigned flags);
struct kstat {
	u32 dev, rdev, mode, nlink, uid, gid, blksize;
	u64 ino, size, blocks;
	s64 mtime;
};
void vfs_getattr(struct inode *inode, struct kstat *st);
/* attr.c: the current task's umask (022 for kernel threads). */
unsigned current_umask(void);
/* open.c: a user path copied in (kfree it), or ERR_PTR(-EFAULT/-ENAMETOOLONG). */
char *getname(const char *upath);
/* A user path relative to directory fd dfd as a kernel path (kfree it): the
 * path itself for AT_FDCWD or an absolute path, else the directory's path
 * + "/" + path; ERR_PTR(-EBADF/-ENOTDIR/-EFAULT/-ENAMETOOLONG). */
char *getname_at(int dfd, const char *upath);
/* openat's base: NULL (cwd, or an absolute path), the directory of dfd
 * (its file held in *held until the walk is done), or ERR_PTR. */
struct dentry *dirfd_base(int dfd, const char *path, struct file **held);
/* d's absolute path (mounted roots named by their mountpoints): length or -errno. */
int dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size);
ssize_t vfs_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos);

/* ---- devtmpfs.c, proc.c ---- */
int devtmpfs_init(void);
int proc_init(void);
struct super_block *proc_super(void);
struct super_block *devtmpfs_super(void);
int console_input_inject(const char *s, size_t n); /* tests: as if typed */
void console_start_rx(void); /* poll the UART for the console's input from now on */
/* Linux's i386 struct termios (asm-generic/termbits.h): what TCGETS fills. */
struct termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};
void console_termios(struct termios *t);

/* ---- initramfs.c ---- */
/* Unpack a cpio archive in memory into the root: entries, or -errno. */
int unpack_to_rootfs(const void *buf, size_t len);

#include "uaccess.h"

#endif
