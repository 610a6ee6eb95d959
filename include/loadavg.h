/* loadavg.h - the load averages (kernel/loadavg.c): Linux's exponentially
 * damped counts of runnable processes over 1, 5 and 15 minutes, in Linux's
 * fixed point (FSHIFT fraction bits), as /proc/loadavg and sysinfo() read
 * them. */
#ifndef HL_LOADAVG_H
#define HL_LOADAVG_H

#define FSHIFT 11              /* bits of fraction */
#define FIXED_1 (1ul << FSHIFT) /* 1.0 */
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* The three averages, each plus offset, shifted left by shift (Linux's get_avenrun). */
void get_avenrun(unsigned long *loads, unsigned long offset, int shift);
/* Start the sampler (idempotent): from then on every 5 s a new sample. */
void loadavg_start(void);
/* One sampling step with `active` runnable processes (the sampler's, and the tests'). */
void calc_global_load(unsigned long active);
/* The fixed-point step itself: load decayed by exp toward active (both FIXED_1-based). */
unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active);

#endif
