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

#include <stdarg.h>
#include "types.h"

struct task;

/* The buffer a show function prints into (fs/seq_file.c). */
struct seq_file {
	char *buf;      /* count bytes of output, NUL-terminated */
	size_t size, count;
	bool overflow;  /* out of memory: the output is incomplete */
	bool console;   /* lines go to the log as they are finished (no buf: line) */
	size_t line_len;
	char line[256]; /* console: the unfinished line (longer ones are split) */
};

void seq_printf(struct seq_file *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
/* A console seq_file: each finished line is printed with pr_info; end
 * prints an unfinished last line. Nothing is allocated. */
void seq_console_begin(struct seq_file *m);
void seq_console_end(struct seq_file *m);
/* Free the buffer (the seq_file itself is the caller's). */
void seq_release_buf(struct seq_file *m);

/* /proc/NAME (NAME may contain '/', e.g. "sys/vm/swappiness"): 0 or -errno. */
int proc_create_single(const char *name, int (*show)(struct seq_file *m, void *data), void *data);
/* /proc/PID/NAME for every process: 0 or -errno. */
int proc_pid_register(const char *name, int (*show)(struct seq_file *m, struct task *t));

/* Register /proc/PID/{maps,status,stat,statm,cmdline} (kernel/proc_pid.c)
 * and the process-side global files (kernel/proc_misc.c); proc_init calls them. */
int proc_pid_files_init(void);
int proc_misc_init(void);

/* ---- files with their own read, too big for a seq_file (issue 19) ---- */
struct file;
struct file_operations;
/* /proc/PID/NAME whose reads go to fops (0 or -errno). */
int proc_pid_register_fops(const char *name, const struct file_operations *fops);
/* The pid whose directory holds the open /proc/PID file f. */
int proc_file_pid(struct file *f);
/* /proc/kpageflags, /proc/kpagecount, /proc/highland/memsnap (fs/proc_kpage.c)
 * and /proc/PID/pagemap (kernel/proc_pagemap.c); proc_init calls them. */
int proc_kpage_init(void);
int proc_pagemap_init(void);

#endif
