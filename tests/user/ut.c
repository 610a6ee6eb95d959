/*
 * ut.c - KTAP output and shared helpers for the user-space test suite
 * (see ut.h for why it avoids stdio).
 *
 * Protocol with the runner: HL_KTAP_NESTED=1 indents the block by one level
 * (4 spaces) under a "# Subtest:" header; HL_KTAP_COUNTS_FD=N names a pipe
 * to which "pass fail skip\n" is written after every case, so the runner
 * can total the cases even when a program dies half-way.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *indent = "";
static const char *cur_case = "?";
static char skip_reason[160];

static void vout(const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, (size_t)(n - off));
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		off += (int)w;
	}
}

void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout(fmt, ap);
	va_end(ap);
}

void kt_diag(const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("%s# %s\n", indent, msg);
}

void kt_diag_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("%s# %s: EXPECTATION FAILED at %s:%d: %s\n", indent, cur_case, file, line, msg);
}

void kt_set_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
}

static void report_counts(int fd, int pass, int fail, int skip)
{
	if (fd >= 0) {
		char b[64];
		int n = snprintf(b, sizeof(b), "%d %d %d\n", pass, fail, skip);
		if (write(fd, b, (size_t)n) != n)
			fd = -1;
	}
}

int kt_run(const char *name, const struct kt_case *cases, int n)
{
	const char *nested = getenv("HL_KTAP_NESTED");
	const char *cfd = getenv("HL_KTAP_COUNTS_FD");
	int fd = cfd ? atoi(cfd) : -1;
	int pass = 0, fail = 0, skip = 0;
	struct rlimit no_core = { 0, 0 };

	/* Expected crashes must not litter the disk with core files (the host run). */
	setrlimit(RLIMIT_CORE, &no_core);
	if (nested && strcmp(nested, "1") == 0) {
		indent = "    ";
		out("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", name, n);
	} else {
		out("KTAP version 1\n1..%d\n", n);
	}
	for (int i = 0; i < n; i++) {
		cur_case = cases[i].name;
		skip_reason[0] = '\0';
		int r = cases[i].fn();
		if (r == KT_PASS) {
			pass++;
			out("%sok %d %s\n", indent, i + 1, cases[i].name);
		} else if (r == KT_SKIP) {
			skip++;
			out("%sok %d %s # SKIP %s\n", indent, i + 1, cases[i].name,
			    skip_reason[0] ? skip_reason : "(no reason given)");
		} else {
			fail++;
			out("%snot ok %d %s\n", indent, i + 1, cases[i].name);
		}
		report_counts(fd, pass, fail, skip);
	}
	if (nested && strcmp(nested, "1") == 0)
		out("# %s: pass:%d fail:%d skip:%d total:%d\n", name, pass, fail, skip, n);
	else
		out("# Totals: pass:%d fail:%d skip:%d total:%d\n", pass, fail, skip, n);
	return fail ? 1 : 0;
}

const char *ut_exec_unsupported(void)
{
	return getenv("HL_TEST_NO_EXEC") ? "the host kernel under this qemu-user run cannot execve "
					   "an i386 program (no 32-bit support): runner.c's probe"
					 : NULL;
}

long read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	close(fd);
	return (long)got;
}

int hl_is_highland(void)
{
	struct utsname u;
	char v[512];

	if (uname(&u) == 0 && (strstr(u.version, "Highland") || strstr(u.sysname, "Highland")))
		return 1;
	return read_file("/proc/version", v, sizeof(v)) > 0 && strstr(v, "Highland") != NULL;
}

long meminfo_kb(const char *key)
{
	static char buf[8192];
	size_t klen = strlen(key);

	if (read_file("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			return strtol(p + klen + 1, NULL, 10);
	}
	return -1;
}

int run_in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	while (wait4(pid, &status, 0, NULL) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

const char *describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status 0x%x", status);
	return buf;
}

int dies_by_signal(void (*fn)(void *), void *arg, int sig, char *why, size_t whylen)
{
	int status = run_in_child(fn, arg);
	char d[80];

	if (status == -1) {
		snprintf(why, whylen, "fork/wait4 failed: %s", strerror(errno));
		return 0;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == sig)
		return 1;
	snprintf(why, whylen, "%s, expected to be killed by signal %d (%s)%s",
		 describe_status(status, d, sizeof(d)), sig, strsignal(sig),
		 WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ": the access did not fault" : "");
	return 0;
}
