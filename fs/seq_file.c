/* seq_file.c - print into a buffer that grows (Linux's seq_file, simplified).
 *
 * A /proc file's show function prints its whole contents with seq_printf
 * and friends; the buffer doubles when a line does not fit, so a show
 * function never has to know its size in advance. A seq_file can also be
 * a console one (seq_console_begin): then each finished line goes to the
 * log with pr_info, which lets the kernel's reports (meminfo, zoneinfo,
 * ...) have one printer for both /proc and the console. Builds hosted.
 */
#include "kstring.h"
#include "printk.h"
#include "proc_fs.h"
#include "slab.h"

static void seq_grow(struct seq_file *m, size_t need)
{
	size_t size = m->size ? m->size : 1024;
	char *b;

	while (size < m->count + need + 1)
		size *= 2;
	b = krealloc(m->buf, size, GFP_KERNEL);
	if (!b) {
		m->overflow = true; /* said by the reader: -ENOMEM */
		return;
	}
	m->buf = b;
	m->size = size;
}

/* Console mode: add to the line, print it when finished (or full). No
 * allocation, so reports print even when memory is what went wrong. */
static void seq_console_write(struct seq_file *m, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		m->line[m->line_len++] = s[i];
		if (s[i] == '\n' || m->line_len == sizeof(m->line) - 1) {
			pr_info("%.*s", (int)m->line_len, m->line);
			m->line_len = 0;
		}
	}
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->console) {
		seq_console_write(m, data, len);
		return;
	}
	if (m->overflow)
		return;
	if (m->count + len + 1 > m->size)
		seq_grow(m, len);
	if (m->overflow)
		return;
	memcpy(m->buf + m->count, data, len);
	m->count += len;
	m->buf[m->count] = '\0';
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	char small[256];
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small) || m->console) {
		if ((size_t)n >= sizeof(small))
			n = sizeof(small) - 1; /* a console line longer than that: cut */
		seq_write(m, small, (size_t)n);
		return;
	}
	if (m->count + (size_t)n + 1 > m->size)
		seq_grow(m, (size_t)n);
	if (m->overflow)
		return;
	vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
	m->count += (size_t)n;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

void seq_puts(struct seq_file *m, const char *s) { seq_write(m, s, strlen(s)); }

void seq_putc(struct seq_file *m, char c) { seq_write(m, &c, 1); }

void seq_console_begin(struct seq_file *m)
{
	memset(m, 0, sizeof(*m));
	m->console = true;
}

void seq_console_end(struct seq_file *m)
{
	if (m->line_len)
		pr_info("%.*s\n", (int)m->line_len, m->line); /* an unfinished last line */
	m->line_len = 0;
}

void seq_release_buf(struct seq_file *m)
{
	kfree(m->buf);
	m->buf = NULL;
	m->size = m->count = 0;
}
