/* proc_misc.c - the global /proc files about processes and time:
 * placeholder filled below. */
#include "proc_fs.h"

int proc_misc_init(void) { return 0; }
