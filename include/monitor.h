/* monitor.h - the serial monitor that `make run` ends in: a prompt on
 * COM1, line editing (backspace, Ctrl-U, Ctrl-C, history on the arrow keys)
 * and commands that show the memory manager's state (`help` lists them). */
#ifndef HL_MONITOR_H
#define HL_MONITOR_H

#include "types.h"

/* Read and run commands forever. */
__noreturn void monitor_run(void);
/* Run one command line (also used by tests); returns 0, or -1 if the
 * command was unknown or its arguments were bad (a message says why). */
int monitor_exec(char *line);
/* Was Ctrl-C typed while the current command ran? (`test` and `bench` stop
 * between cases when it was.) */
bool monitor_interrupted(void);

#endif
