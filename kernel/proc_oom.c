/* proc_oom.c - /proc/PID/oom_score and /proc/PID/oom_score_adj, Linux 6.1's.
 *
 * oom_score_adj is the knob a process (or its administrator) turns to make
 * the OOM killer (mm/oom_kill.c) prefer or spare it: -1000..1000, in
 * thousandths of RAM + swap added to its badness; -1000 means never chosen.
 * Reading gives the number and a newline; writing takes a decimal number
 * (leading and trailing white space allowed, as Linux's kstrtoint on the
 * stripped buffer) and refuses anything else, or a value out of range, with
 * EINVAL, leaving the old value. fork copies the value (kernel/fork.c).
 * Linux also refuses an unprivileged lowering (CAP_SYS_RESOURCE); Highland's
 * processes all run as root, so there is nothing to refuse.
 *
 * oom_score is what the killer would compute now (oom_score() in
 * mm/oom_kill.c): the badness scaled to 0..2000 and by 2/3, 0 for a process
 * that is never chosen (init, -1000). Read-only.
 */
#include "errno.h"
#include "fs.h"
#include "kstrto.h"
#include "kstring.h"
#include "oom.h"
#include "printk.h"
#include "process.h"
#include "proc_fs.h"
#include "sched.h"

static int show_oom_score(struct seq_file *m, struct task *t)
{
	spin_lock(&tasklist_lock);
	long points = oom_score(t); /* t is a snapshot with its mm held */
	spin_unlock(&tasklist_lock);
	seq_printf(m, "%ld\n", points);
	return 0;
}

static ssize_t oom_score_adj_read(struct file *f, const struct fs_io *io, size_t count,
				  loff_t *pos)
{
	char buf[16];
	int adj;

	spin_lock(&tasklist_lock);
	struct task *t = find_task_by_pid(proc_file_pid(f));
	if (t)
		adj = t->oom_score_adj;
	spin_unlock(&tasklist_lock);
	if (!t)
		return -ESRCH;
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%d\n", adj);
	if (*pos >= (loff_t)len)
		return 0;
	size_t n = len - (size_t)*pos < count ? len - (size_t)*pos : count;
	if (fs_io_to(io, 0, buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t oom_score_adj_write(struct file *f, const struct fs_io *io, size_t count,
				   loff_t *pos)
{
	char buf[16], *s = buf;
	int adj;

	if (count >= sizeof(buf))
		return -EINVAL; /* no number of -1000..1000 is that long */
	if (fs_io_from(io, 0, buf, count))
		return -EFAULT;
	buf[count] = 0;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	for (size_t n = strlen(s); n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n');)
		s[--n] = 0;
	if (kstrtoint(s, 10, &adj) || adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	struct task *t = find_task_by_pid(proc_file_pid(f));
	if (t)
		t->oom_score_adj = (short)adj;
	spin_unlock(&tasklist_lock);
	if (!t)
		return -ESRCH;
	*pos += (loff_t)count;
	return (ssize_t)count;
}

static const struct file_operations oom_score_adj_fops = {
	.read = oom_score_adj_read,
	.write = oom_score_adj_write,
};

int proc_oom_init(void)
{
	int err = proc_pid_register("oom_score", show_oom_score);

	return err ? err : proc_pid_register_fops("oom_score_adj", &oom_score_adj_fops);
}
