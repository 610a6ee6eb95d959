/* proc_fs.h - /proc: files whose contents are made when they are read.
 *
 * A /proc file is a `show` function that prints into a struct seq_file
 * (Linux's seq_file, simplified: the whole file is produced on each read
 * from offset 0, into a buffer that grows). Global files are registered
 * with proc_create_single; per-process files (/proc/PID/NAME and
 * /proc/self/NAME) with proc_pid_register. Implemented in fs/proc*.c.
 */
#ifndef HL_PROC_FS_H
#define HL_PROC_FS_H

#include "types.h"

struct seq_file;
struct task;

void seq_printf(struct seq_file *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);

/* /proc/NAME (NAME may contain '/', e.g. "sys/vm/swappiness"): 0 or -errno. */
int proc_create_single(const char *name, int (*show)(struct seq_file *m, void *data), void *data);
/* /proc/PID/NAME for every process: 0 or -errno. */
int proc_pid_register(const char *name, int (*show)(struct seq_file *m, struct task *t));

#endif
