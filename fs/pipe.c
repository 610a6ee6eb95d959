/* pipe.c - pipes: one page of buffer between a read end and a write end.
 *
 * The buffer is a ring in one lowmem page. read blocks (on rd_wait) until
 * there are bytes or no writer is left (then 0: end of file); write blocks
 * (on wr_wait) until there is room, and fails with -EPIPE once no reader is
 * left, and SIGPIPE to the writer, as Linux. A signal ends either wait
 * (-ERESTARTSYS, or the bytes written so far). A write
 * of at most PIPE_BUF bytes waits until it fits whole, so it is never
 * interleaved with another writer's, as POSIX requires. O_NONBLOCK gives
 * -EAGAIN instead of waiting. Bytes cross through a bounce buffer so that
 * no user copy (which may fault and sleep) happens under the pipe's lock.
 */
#include "gfp.h"
#include "internal.h"
#include "kstring.h"
#include "poll.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"

#define PIPE_SIZE PAGE_SIZE
#define PIPE_BUF PAGE_SIZE

struct pipe {
	spinlock_t lock;
	wait_queue_head_t rd_wait, wr_wait;
	char *buf;
	size_t head, len;      /* the bytes are buf[head .. head + len) mod PIPE_SIZE */
	int readers, writers;
	bool reading;          /* a reader is between peek and consume (one at a time) */
};

static size_t ld(const size_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static int ldi(const int *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

/* Become the one reader allowed between peek and consume. */
static bool reader_enter(struct pipe *p)
{
	spin_lock(&p->lock);
	bool ok = !p->reading;
	if (ok)
		p->reading = true;
	spin_unlock(&p->lock);
	return ok;
}

/* Bytes are copied out first and consumed only once the copy to the
 * caller worked: a bad buffer is -EFAULT with the data still in the pipe
 * (as Linux, whose pipe mutex this one-reader flag stands for). */
static ssize_t pipe_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	struct pipe *p = f->private_data;
	char *bounce;
	size_t n = 0;

	if (!count)
		return 0;
	bounce = kmalloc(PIPE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (;;) {
		if (f->f_flags & O_NONBLOCK) {
			if (!ld(&p->len) && ldi(&p->writers)) {
				kfree(bounce);
				return -EAGAIN;
			}
		} else if (wait_event_interruptible(p->rd_wait, ld(&p->len) || !ldi(&p->writers))) {
			kfree(bounce);
			return -ERESTARTSYS; /* a signal: its handler, then again or EINTR */
		}
		wait_event(p->rd_wait, reader_enter(p));
		if (ld(&p->len) || !ldi(&p->writers))
			break;
		spin_lock(&p->lock); /* another reader emptied it meanwhile: wait again */
		p->reading = false;
		spin_unlock(&p->lock);
		wake_up_all(&p->rd_wait);
	}
	spin_lock(&p->lock);
	for (size_t head = p->head; n < count && n < p->len;) {
		size_t c = PIPE_SIZE - head;
		if (c > p->len - n)
			c = p->len - n;
		if (c > count - n)
			c = count - n;
		memcpy(bounce + n, p->buf + head, c);
		head = (head + c) % PIPE_SIZE;
		n += c;
	}
	spin_unlock(&p->lock);
	ssize_t r = n && fs_io_to(io, 0, bounce, n) ? -EFAULT : (ssize_t)n;
	spin_lock(&p->lock);
	if (r > 0) {
		p->head = (p->head + n) % PIPE_SIZE;
		p->len -= n;
	}
	p->reading = false;
	spin_unlock(&p->lock);
	wake_up_all(&p->rd_wait);
	wake_up_all(&p->wr_wait);
	poll_notify();
	kfree(bounce);
	return r; /* 0: every writer is gone and the buffer is empty */
}

/* Room for this write now? (a small write needs room for all of it) */
static bool pipe_room(struct pipe *p, size_t want)
{
	size_t need = want <= PIPE_BUF ? want : 1;

	return PIPE_SIZE - ld(&p->len) >= need || !ldi(&p->readers);
}

static ssize_t pipe_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	struct pipe *p = f->private_data;
	char *bounce = kmalloc(PIPE_SIZE, GFP_KERNEL);
	size_t done = 0;
	ssize_t err = 0;

	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		size_t chunk = count - done < PIPE_SIZE ? count - done : PIPE_SIZE, put = 0;

		if (fs_io_from(io, done, bounce, chunk)) {
			err = -EFAULT;
			break;
		}
		while (put < chunk) {
			if (!pipe_room(p, count <= PIPE_BUF ? chunk - put : 1)) {
				if (f->f_flags & O_NONBLOCK) {
					err = -EAGAIN;
					goto out;
				}
				if (wait_event_interruptible(p->wr_wait,
							     pipe_room(p, count <= PIPE_BUF ? chunk - put : 1))) {
					err = -ERESTARTSYS;
					goto out;
				}
			}
			spin_lock(&p->lock);
			if (!p->readers) {
				spin_unlock(&p->lock);
				err = -EPIPE;
				send_sig_current(SIGPIPE); /* as Linux: ends the writer by default */
				goto out;
			}
			while (put < chunk && p->len < PIPE_SIZE) {
				size_t tail = (p->head + p->len) % PIPE_SIZE, c = PIPE_SIZE - tail;
				if (c > PIPE_SIZE - p->len)
					c = PIPE_SIZE - p->len;
				if (c > chunk - put)
					c = chunk - put;
				memcpy(p->buf + tail, bounce + put, c);
				p->len += c;
				put += c;
			}
			spin_unlock(&p->lock);
			wake_up_all(&p->rd_wait);
			poll_notify();
		}
		done += chunk;
	}
out:
	kfree(bounce);
	return done ? (ssize_t)done : err;
}

static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe *p = f->private_data;
	bool last;

	spin_lock(&p->lock);
	if ((f->f_flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	last = !p->readers && !p->writers;
	spin_unlock(&p->lock);
	wake_up_all(&p->rd_wait);
	wake_up_all(&p->wr_wait);
	poll_notify();
	if (last) {
		free_pages((unsigned long)p->buf, 0);
		kfree(p);
	}
}

/* poll/select: read end readable with bytes, hung up without writers;
 * write end writable with room, POLLERR without readers. */
static unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->private_data;

	if ((f->f_flags & O_ACCMODE) == O_RDONLY)
		return (ld(&p->len) ? POLLIN | POLLRDNORM : 0) | (ldi(&p->writers) ? 0 : POLLHUP);
	return (ld(&p->len) < PIPE_SIZE ? POLLOUT | POLLWRNORM : 0) | (ldi(&p->readers) ? 0 : POLLERR);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
	.poll = pipe_poll,
};

static struct super_block *pipe_sb;

int create_pipe_files(struct file *res[2], unsigned flags)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct inode *inode = NULL;
	struct dentry *d = NULL;

	if (!p || !(p->buf = (char *)__get_free_pages(GFP_KERNEL, 0)))
		goto nomem;
	spin_lock_init(&p->lock, "pipe");
	init_waitqueue_head(&p->rd_wait, "pipe_rd");
	init_waitqueue_head(&p->wr_wait, "pipe_wr");
	vfs_lock();
	if (!pipe_sb)
		pipe_sb = alloc_super("pipefs", 0x50495045); /* Linux's PIPEFS_MAGIC */
	inode = pipe_sb ? new_inode(pipe_sb, S_IFIFO | 0600) : NULL;
	d = inode ? d_alloc_transient(root_dentry, "pipe:", inode) : NULL;
	if (inode && !d)
		free_inode(inode);
	vfs_unlock();
	if (!d)
		goto nomem;
	flags &= O_NONBLOCK;
	res[0] = alloc_file(&pipe_fops, O_RDONLY | flags, p);
	res[1] = res[0] ? alloc_file(&pipe_fops, O_WRONLY | flags, p) : NULL;
	if (!res[1]) {
		kfree(res[0]);
		vfs_lock();
		dput(d);
		vfs_unlock();
		goto nomem;
	}
	for (int i = 0; i < 2; i++) {
		res[i]->f_inode = inode;
		res[i]->f_dentry = i ? dget(d) : d; /* vfs_lock not needed: nobody else sees d */
	}
	p->readers = p->writers = 1;
	return 0;
nomem:
	if (p && p->buf)
		free_pages((unsigned long)p->buf, 0);
	kfree(p);
	return -ENOMEM;
}
