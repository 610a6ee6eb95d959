/*
 * tiny.c - the smallest exec target: the exec test and the exec benchmark
 * execve it. With "tsc T FD" it writes rdtsc()-T to fd FD (the time from
 * the caller's execve to this main(), glibc's static start-up included);
 * otherwise it exits with the number of its arguments.
 */
#include "ut.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "tsc") == 0) {
		uint64_t now = rdtsc(), then = strtoull(argv[2], NULL, 10);
		uint64_t d = now - then;
		return write(atoi(argv[3]), &d, sizeof(d)) == sizeof(d) ? 0 : 1;
	}
	return argc;
}
