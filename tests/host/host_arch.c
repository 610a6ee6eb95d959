/* host_arch.c - state of the simulated machine (see arch_impl.h). */
#include "arch.h"

unsigned host_cpu_id;
bool host_irqs_off;
