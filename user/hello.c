/*
 * hello.c - the smallest useful user program: says hello with its pid and
 * arguments. Try it from /init's prompt: `run /bin/hello a b`.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from pid %d (parent %d):", (int)getpid(), (int)getppid());
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
