/* tty.h - the console terminal (fs/tty.c): the serial port as a tty with
 * termios, an N_TTY-style line discipline and job control.
 *
 * There is one terminal, the serial console, reachable as /dev/console
 * (5:1), /dev/ttyS0 (4:64) and, for a process whose session owns it,
 * /dev/tty (5:0). Its struct termios, window size, controlling session and
 * foreground process group are Linux's. */
#ifndef HL_TTY_H
#define HL_TTY_H

#include "types.h"

struct task;
struct file_operations;

/* The terminal's file operations (devtmpfs registers majors 4 and 5). */
extern const struct file_operations tty_fops;
/* Session leader t is ending: its terminal (if it has one) sends SIGHUP
 * and SIGCONT to the foreground group and belongs to no session. */
void tty_session_leader_exit(struct task *t);
/* The controlling terminal of session sid, as /proc/PID/stat shows it: its
 * device number in Linux's new_encode_dev form (ttyS0, 4:64: 0x440) in
 * *tty_nr and its foreground group in *tpgid; false (0 and -1) if the
 * session has none. */
bool tty_of_session(int sid, unsigned *tty_nr, int *tpgid);
/* Received bytes, as if typed (the UART's receiver and the tests). */
void tty_receive_buf(const char *s, size_t n);

#endif
