/* htest_main.c - runs every registered hosted unit test and prints a summary. */
#include <stdarg.h>
#include <stdlib.h>
#include "htest.h"

#define MAX_TESTS 1024

static struct { const char *name, *file; void (*fn)(void); } tests[MAX_TESTS];
static int ntests, cur_failed;

void htest_register(const char *name, void (*fn)(void), const char *file)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "htest: more than %d tests, raise MAX_TESTS\n", MAX_TESTS);
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].file = file;
	tests[ntests++].fn = fn;
}

void htest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "    # %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	cur_failed++;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, selected = 0;

	for (int i = 0; i < ntests; i++)
		if (argc < 2 || strstr(tests[i].name, argv[1]))
			selected++;
	printf("TAP version 13\n1..%d\n", selected);
	for (int i = 0, n = 0; i < ntests; i++) {
		if (argc >= 2 && !strstr(tests[i].name, argv[1]))
			continue;
		cur_failed = 0;
		htest_log_clear();
		tests[i].fn();
		n++;
		if (cur_failed) {
			printf("not ok %d %s (%s)\n", n, tests[i].name, tests[i].file);
			failed++;
		} else {
			printf("ok %d %s\n", n, tests[i].name);
			passed++;
		}
	}
	printf("host unit tests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
