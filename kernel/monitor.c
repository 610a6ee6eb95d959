/* monitor.c - the prompt: reading a line from the serial port with simple
 * editing and a history, then handing it to monitor_exec (monitor_cmds.c).
 *
 * Terminals send: printable bytes; DEL (0x7f) or BS (0x08) for backspace;
 * Ctrl-U (0x15) to kill the line; Ctrl-C (0x03) to abandon it; CR or LF to
 * enter; and ESC [ A / ESC [ B for the up and down arrows.
 *
 * While a command runs (a `test` or a `bench` takes minutes), Ctrl-C asks
 * it to stop: ktest and bench ask monitor_should_stop() between cases, which
 * reads what was typed meanwhile; anything but Ctrl-C is kept for the next
 * prompt. */
#include "kstring.h"
#include "ktest.h"
#include "machine.h"
#include "monitor.h"
#include "printk.h"
#include "sched.h"

#define LINE_MAX 128
#define HISTORY 16
#define PROMPT "highland> "

static char history[HISTORY][LINE_MAX];
static unsigned hist_count; /* lines ever entered */

/* Keys typed while a command ran, for the next prompt. */
static char typeahead[LINE_MAX];
static unsigned ta_head, ta_len;
static bool interrupted; /* Ctrl-C while the current command ran */

/* The ktest/bench stop hook: read what was typed during the command. */
static bool monitor_should_stop(void)
{
	int c;

	while (!interrupted && (c = console_getc()) >= 0) {
		if (c == 0x03)
			interrupted = true;
		else if (ta_len < sizeof(typeahead))
			typeahead[(ta_head + ta_len++) % sizeof(typeahead)] = (char)c;
	}
	return interrupted;
}

bool monitor_interrupted(void) { return interrupted; }

/* The monitor runs in the init task and polls COM1 (no serial interrupt):
 * between polls it lets every other runnable task on CPU 0 go first. */
static int getc_blocking(void)
{
	int c;

	if (ta_len) {
		c = (unsigned char)typeahead[ta_head];
		ta_head = (ta_head + 1) % sizeof(typeahead);
		ta_len--;
		return c;
	}
	while ((c = console_getc()) < 0)
		yield();
	return c;
}

static void put(const char *s) { console_write(s, strlen(s)); }

/* Erase the visible line and show `text` instead. */
static void replace_line(char *buf, size_t *len, const char *text)
{
	while (*len) {
		put("\b \b");
		(*len)--;
	}
	strlcpy(buf, text, LINE_MAX);
	*len = strlen(buf);
	put(buf);
}

/* Up (-1) or down (+1) through the history; *pos counts back from newest. */
static void browse(char *buf, size_t *len, int dir, unsigned *pos)
{
	unsigned avail = hist_count < HISTORY ? hist_count : HISTORY;

	if (dir < 0 && *pos < avail)
		(*pos)++;
	else if (dir > 0 && *pos > 0)
		(*pos)--;
	else
		return;
	replace_line(buf, len, *pos ? history[(hist_count - *pos) % HISTORY] : "");
}

static void read_line(char *buf)
{
	size_t len = 0;
	unsigned pos = 0, over = 0; /* over: typed past LINE_MAX - 1, not kept */
	int last = 0;

	buf[0] = '\0';
	for (;;) {
		int c = getc_blocking();
		if (c == '\n' && last == '\r') { /* CR LF: one enter */
			last = 0;
			continue;
		}
		last = c;
		if (c == '\r' || c == '\n') {
			put("\n");
			buf[len] = '\0';
			if (over) { /* a cut line could mean something else: refuse it whole */
				printk("line too long (%zu characters, at most %d): ignored\n",
				       len + over, LINE_MAX - 1);
				buf[0] = '\0';
			}
			return;
		} else if ((c == 0x7f || c == 0x08) && over) {
			over--;
		} else if (c == 0x7f || c == 0x08) {
			if (len) {
				len--;
				put("\b \b");
			}
		} else if (c == 0x15) {
			replace_line(buf, &len, "");
			over = 0;
		} else if (c == 0x03) {
			put("^C\n" PROMPT);
			len = over = 0;
		} else if (c == 0x1b) {
			if (getc_blocking() != '[')
				continue;
			int k = getc_blocking();
			if (k == 'A' || k == 'B') {
				browse(buf, &len, k == 'A' ? -1 : 1, &pos);
				over = 0; /* the recalled line replaces all that was typed */
			}
		} else if (c >= 0x20 && c < 0x7f && len < LINE_MAX - 1) {
			buf[len++] = (char)c;
			console_write((char *)&c, 1);
		} else if (c >= 0x20 && c < 0x7f) {
			over++;
		}
		buf[len] = '\0';
	}
}

static void remember(const char *line)
{
	if (!line[0])
		return;
	if (hist_count && strcmp(history[(hist_count - 1) % HISTORY], line) == 0)
		return;
	strlcpy(history[hist_count % HISTORY], line, LINE_MAX);
	hist_count++;
}

__noreturn void monitor_run(void)
{
	char line[LINE_MAX];

	put("\nHighland monitor: `help` lists the commands. Ctrl-A X quits QEMU.\n");
	ktest_stop_hook = monitor_should_stop;
	for (;;) {
		put(PROMPT);
		read_line(line);
		remember(line);
		interrupted = false;
		monitor_exec(line);
	}
}
