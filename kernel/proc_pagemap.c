/* proc_pagemap.c - /proc/PID/pagemap: one 64-bit entry per page of the
 * process's 3 GB, at offset (vaddr / 4096) * 8, in Linux's format
 * (Documentation/admin-guide/mm/pagemap.rst): bit 63 present, 62 swapped,
 * 61 a file page or shared anonymous memory, 56 mapped exactly once, 55
 * soft-dirty (never set: Highland does not track it), bits 0-54 the frame
 * number, or for a swapped page the swap type (bits 0-4) and offset.
 *
 * Like /proc/kpageflags it is too big for a seq_file (768K entries), so
 * each read makes only what it asks for; offset and count must be
 * multiples of 8. Unlike Linux, which hides frame numbers from users
 * without CAP_SYS_ADMIN, Highland shows them: every process is root.
 */
#include "errno.h"
#include "fs.h"
#include "memview.h"
#include "mm_types.h"
#include "process.h"
#include "proc_fs.h"
#include "sched.h"

#define PAGEMAP_BATCH 64

static ssize_t pagemap_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	u64 words[PAGEMAP_BATCH];
	size_t done = 0;
	struct task *t;

	if ((*pos & 7) || (count & 7))
		return -EINVAL;
	t = get_task_snapshot(proc_file_pid(f));
	if (!t)
		return -ESRCH;
	unsigned long page = (unsigned long)(*pos >> 3), last = TASK_SIZE >> PAGE_SHIFT;
	while (t->mm && done < count && page < last) {
		size_t n = 0;
		for (; n < PAGEMAP_BATCH && done + n * 8 < count && page + n < last; n++)
			words[n] = pagemap_entry(t->mm, (page + n) << PAGE_SHIFT);
		if (fs_io_to(io, done, words, n * 8)) {
			if (!done)
				done = (size_t)-EFAULT;
			break;
		}
		done += n * 8;
		page += n;
	}
	put_task_snapshot(t);
	if ((ssize_t)done > 0)
		*pos += (loff_t)done;
	return (ssize_t)done;
}

static const struct file_operations pagemap_fops = { .read = pagemap_read };

int proc_pagemap_init(void)
{
	return proc_pid_register_fops("pagemap", &pagemap_fops);
}
