/* sys_mm.c - the memory system calls: brk, mmap2, munmap, mprotect,
 * madvise. The work is mm/mmap.c's, on the caller's own address space. */
#include "errno.h"
#include "fs.h"
#include "mm_types.h"
#include "sched.h"
#include "syscalls.h"

SYSCALL_DEFINE1(brk, __NR_brk, unsigned long, brk) { return (long)do_brk(current->mm, brk); }

/* mmap2's offset is in pages. A file mapping takes the open file from the
 * fd table: private mappings of a regular file opened for reading (the
 * page cache's pages, copy on write); shared ones are refused (-ENODEV). */
SYSCALL_DEFINE6(mmap2, __NR_mmap2, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, pgoff)
{
	if (flags & MAP_ANONYMOUS)
		return do_mmap(current->mm, addr, len, prot, flags, NULL, 0);
	struct file *f = fget((int)fd);
	if (!f)
		return -EBADF;
	long r = -EACCES;
	if ((f->f_flags & O_ACCMODE) == O_WRONLY)
		goto out;
	r = -ENODEV;
	if (S_ISREG(file_inode(f)->i_mode) && file_mapping(f))
		r = do_mmap(current->mm, addr, len, prot, flags, f, pgoff);
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE2(munmap, __NR_munmap, unsigned long, addr, size_t, len)
{
	return do_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, __NR_mprotect, unsigned long, start, size_t, len, unsigned long, prot)
{
	return do_mprotect(current->mm, start, len, prot);
}

/* MADV_DONTNEED drops pages; NORMAL, RANDOM, SEQUENTIAL and WILLNEED are
 * hints Highland can ignore; anything else is -EINVAL. */
SYSCALL_DEFINE3(madvise, __NR_madvise, unsigned long, start, size_t, len, int, advice)
{
	if (advice == MADV_DONTNEED)
		return do_madvise_dontneed(current->mm, start, len);
	if (advice >= 0 && advice <= 3)
		return (start & ~PAGE_MASK) ? -EINVAL : 0;
	return -EINVAL;
}
