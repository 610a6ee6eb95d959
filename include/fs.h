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

#endif
