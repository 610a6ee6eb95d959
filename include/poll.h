/* poll.h - readiness of files for poll/select (fs/select.c).
 *
 * A file answers "what could I do now without blocking?" with its
 * f_op->poll (a mask of the POLL* bits below, Linux's values); a file
 * without one is always readable and writable (regular files, /dev/null),
 * as Linux's DEFAULT_POLLMASK. Waiting is simple: every source of
 * readiness (a pipe, the terminal) calls poll_notify() when its state
 * changes, which wakes every poller to look again - one queue for all,
 * a few spurious wakeups instead of Linux's per-file poll tables. */
#ifndef HL_POLL_H
#define HL_POLL_H

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200

/* Something pollable changed: wake the pollers (any context). */
void poll_notify(void);

#endif
