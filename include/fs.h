/* fs.h - files as the rest of the kernel sees them: the VFS's interface
 * for processes (exec, mmap of files, fd tables across fork/exec/exit).
 *
 * Implemented in fs/ (the VFS, the RAM filesystem the initramfs unpacks
 * into, devtmpfs, /proc). Names and meanings are Linux's. File contents
 * live in the page cache: each inode's struct address_space holds its
 * pages, allocated from HIGHMEM and reached through kmap.
 */
#ifndef HL_FS_H
#define HL_FS_H

#include "types.h"

struct page;
struct file;
struct inode;
struct address_space;
struct files_struct;
struct fs_struct;

typedef long long loff_t;
typedef unsigned long pgoff_t;
typedef unsigned short umode_t;
typedef long ssize_t;

/* ---- open files ---- */
/* Open path (absolute, or relative to the task's cwd) with Linux's O_*
 * flags; the file, or ERR_PTR(-errno) (err.h). */
struct file *filp_open(const char *path, int flags, umode_t mode);
/* Take / drop a reference; the last fput closes the file. */
struct file *get_file(struct file *f);
void fput(struct file *f);
/* The current task's open file at fd, with a reference (fput it), or NULL. */
struct file *fget(int fd);
/* Read from *pos, advancing it; bytes read or -errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos);
struct inode *file_inode(const struct file *f);
/* The page cache of the file's inode (Linux's f->f_mapping). */
struct address_space *file_mapping(const struct file *f);
loff_t i_size_read(const struct inode *inode);
umode_t inode_mode(const struct inode *inode);
/* Page `index` of a file's contents, read in if needed, with a reference
 * the caller drops with put_page(); ERR_PTR(-errno) past the end or on error.
 * Pages are HIGHMEM pages: map them with kmap_local_page. */
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index);

/* ---- a task's files (the fields current->files and current->fs) ---- */
/* fork: a copy of the table sharing every open file (NULL without memory). */
struct files_struct *dup_fd(struct files_struct *old);
/* exit: drop the table (closing what only it held). */
void put_files_struct(struct files_struct *files);
/* execve: close the descriptors marked close-on-exec. */
void do_close_on_exec(struct files_struct *files);
/* fork / exit of the cwd and root. */
struct fs_struct *copy_fs_struct(struct fs_struct *old);
void free_fs_struct(struct fs_struct *fs);

/* ---- boot ---- */
/* Set up the VFS and the root filesystem (a RAM filesystem). */
void vfs_caches_init(void);
/* Unpack every initramfs the boot loader gave (cpio newc) into the root;
 * returns the number unpacked, or -errno with a message. */
int populate_rootfs(void);
/* The first process: a files table and cwd for current, with fds 0, 1 and
 * 2 open on /dev/console (the serial port). */
int console_setup_init_files(void);

/* Linux's mode bits (octal). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)

/* Linux's i386 open flags (octal). */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_CLOEXEC 02000000
#define O_LARGEFILE 00100000


/* ---- the cpio "newc" parser (fs/cpio.c; builds hosted too) ---- */
struct cpio_entry {
	const char *name;         /* NUL-terminated, inside the archive */
	u32 ino, mode, uid, gid, nlink, mtime, devmajor, devminor, rdevmajor, rdevminor;
	const void *data;         /* filesize bytes: contents, or a symlink's target */
	u32 filesize;
	size_t offset;            /* of the header in the archive (for messages) */
};
/* Call actor for every entry of every archive in buf (archives may be
 * concatenated, with zero padding between). Returns the number of entries
 * given to actor, or -EINVAL after a message naming the offset and what is
 * wrong; an actor's negative return stops the walk and is returned. */
int cpio_parse(const void *buf, size_t len,
	       int (*actor)(void *ctx, const struct cpio_entry *e), void *ctx);

/* ---- the structures (Linux's names, simplified: see fs/namei.c) ---- */
#include "gfp.h"
#include "list.h"
#include "spinlock.h"
#include "wait.h"

struct dentry;
struct super_block;

/* Where a read's bytes go or a write's come from: kernel memory, or user
 * memory reached through copy_to_user/copy_from_user (Linux: iov_iter). */
struct fs_io {
	char *p;
	bool user;
};
/* Copy n bytes to/from io->p + off: 0, or -EFAULT for a bad user pointer. */
int fs_io_to(const struct fs_io *io, size_t off, const void *src, size_t n);
int fs_io_from(const struct fs_io *io, size_t off, void *dst, size_t n);

/* A file's page cache. The index structure is a flat array of page
 * pointers indexed by page number, grown by doubling: these are RAM files
 * written mostly front to back (an initramfs, test files), so the array is
 * dense, a lookup is one load, and it is simple to read. Linux uses an
 * xarray (a radix tree) because its files are sparse and huge. */
struct address_space {
	struct inode *host;
	struct page **i_pages;   /* i_pages[index]: the page, or NULL (a hole) */
	unsigned long nr_slots;  /* length of i_pages */
	unsigned long nrpages;   /* pages present */
	gfp_t gfp_mask;          /* GFP_HIGHUSER: page-cache pages live in HIGHMEM */
};

/* A directory entry handed to iterate's emit (getdents64). */
typedef bool (*filldir_t)(void *ctx, const char *name, size_t len, u64 ino, unsigned type);

struct file_operations {
	ssize_t (*read)(struct file *f, const struct fs_io *io, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *f, const struct fs_io *io, size_t count, loff_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct inode *inode, struct file *f);
	/* Directories: emit entries from f->f_pos on (advancing it) until emit
	 * says the buffer is full. 0 or -errno. */
	int (*iterate)(struct file *f, filldir_t emit, void *ctx);
	/* poll/select: POLLIN/POLLOUT/POLLHUP... now (include/poll.h); NULL: always ready */
	unsigned (*poll)(struct file *f);
};

struct inode_operations {
	/* A child not in the dentry tree (a /proc pid): a new transient dentry
	 * with one reference, NULL if none, or ERR_PTR. */
	struct dentry *(*lookup)(struct dentry *dir, const char *name, size_t len);
	/* A symlink's target computed on each use (/proc/self); 0 or -errno. */
	int (*get_link)(struct inode *inode, char *buf, size_t size);
};

struct super_block {
	const char *s_type;       /* "rootfs", "devtmpfs", "proc" */
	unsigned long s_magic;    /* Linux's magic numbers */
	struct dentry *s_root;
	u32 s_dev;                /* st_dev */
	unsigned long s_next_ino;
};

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	unsigned i_nlink;
	u32 i_uid, i_gid;
	u32 i_rdev;               /* character devices: Linux's (major << 8) | minor */
	loff_t i_size;
	s64 i_mtime;              /* seconds */
	int i_count;              /* references: its dentry and open files */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct address_space *i_mapping; /* = &i_data */
	struct address_space i_data;
	char *i_link;             /* a symlink's target (kmalloc'd) */
	void *i_private;          /* the filesystem's (proc: what to show) */
};

#define DNAME_MAX 255

struct dentry {
	char d_name[DNAME_MAX + 1];
	struct inode *d_inode;
	struct dentry *d_parent;  /* itself for the root of everything */
	struct list_head d_subdirs, d_child;
	struct dentry *d_mounted; /* the root of a filesystem mounted here, or NULL */
	struct super_block *d_sb;
	int d_count;              /* references (a tree dentry: the tree holds one) */
	bool d_transient;         /* not in the tree (proc pids): freed at the last dput */
};

struct file {
	int f_count;
	unsigned f_flags;         /* O_* */
	loff_t f_pos;
	struct dentry *f_dentry;
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	void *private_data;
};

#define NR_OPEN_DEFAULT 256
#define FD_CLOEXEC 1

struct files_struct {
	int count;                /* tasks sharing it (CLONE_FILES) */
	spinlock_t file_lock;
	struct file *fd[NR_OPEN_DEFAULT];
	u8 close_on_exec[NR_OPEN_DEFAULT];
};

struct fs_struct {
	int users;
	struct dentry *root, *pwd;
	unsigned umask;           /* umask(2): bits cleared from a new file's mode (022 at boot) */
};

/* ---- kernel-side VFS calls (kernel buffers; the syscalls wrap them) ---- */
/* Each takes a path as filp_open does and returns 0 or -errno. */
int vfs_mkdir(const char *path, umode_t mode);
int vfs_unlink(const char *path);
int vfs_rmdir(const char *path);
int vfs_symlink(const char *target, const char *path);
/* A symlink's target into buf (not NUL-terminated, as readlink): length or -errno. */
int vfs_readlink(const char *path, char *buf, size_t size);
int vfs_truncate(const char *path, loff_t size);
/* rename(2) with Linux's rules (fs/rename.c): 0 or -errno. */
int vfs_rename(const char *oldpath, const char *newpath, unsigned flags);
/* link(2): a second name for a file (the RAM fs counts its names in i_nlink). */
int vfs_link(const char *oldpath, const char *newpath);
/* linkat(AT_SYMLINK_FOLLOW): follow a symlink named by oldpath (link(2) does not). */
int vfs_link_follow(const char *oldpath, const char *newpath, bool follow);
int vfs_mknod(const char *path, umode_t mode, u32 rdev);
/* Write at *pos, advancing it; bytes written or -errno. */
ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos);
/* Mount fstype ("proc", "devtmpfs") on the directory path: 0 or -errno
 * (-EBUSY when that filesystem is already mounted there, as Linux). */
int do_mount(const char *source, const char *path, const char *fstype);

#endif
