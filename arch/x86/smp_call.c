/* smp_call.c - run a function on another CPU (an IPI on
 * CALL_FUNCTION_VECTOR) and wait for it to finish. One request at a time;
 * while waiting, the caller keeps serving requests aimed at itself. */
#include "apic.h"
#include "arch.h"
#include "percpu.h"
#include "printk.h"
#include "smp.h"
#include "spinlock.h"

static DEFINE_SPINLOCK(call_lock);
static void (*volatile call_fn[NR_CPUS])(void *);
static void *volatile call_arg[NR_CPUS];

/* Run the function another CPU asked this one to run, if any. Called from
 * the IPI handler and from the wait loops, so interrupts are off while it
 * runs: the IPI arriving between the call and the clear would run it twice. */
static void serve_call(void)
{
	unsigned cpu = arch_cpu_id();

	if (!__atomic_load_n(&call_fn[cpu], __ATOMIC_ACQUIRE))
		return;
	unsigned long f = arch_irq_save();
	void (*fn)(void *) = call_fn[cpu];
	if (fn) {
		fn(call_arg[cpu]);
		__atomic_store_n(&call_fn[cpu], NULL, __ATOMIC_SEQ_CST);
	}
	arch_irq_restore(f);
}

static void call_irq(struct trap_frame *f)
{
	(void)f;
	serve_call();
}

int smp_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	if (cpu >= NR_CPUS || !cpu_locals[cpu].online)
		return -1;
	if (cpu == arch_cpu_id()) {
		fn(arg);
		return 0;
	}
	while (!spin_trylock(&call_lock)) {
		serve_call();
		arch_cpu_relax(); /* pause: a spinning vCPU slows the one it waits for */
	}
	call_arg[cpu] = arg;
	__atomic_store_n(&call_fn[cpu], fn, __ATOMIC_SEQ_CST);
	lapic_send_ipi(cpu_locals[cpu].apic_id, CALL_FUNCTION_VECTOR);
	while (__atomic_load_n(&call_fn[cpu], __ATOMIC_SEQ_CST)) {
		serve_call();
		arch_cpu_relax();
	}
	spin_unlock(&call_lock);
	return 0;
}

void smp_call_init(void) { set_irq_handler(CALL_FUNCTION_VECTOR, call_irq); }

int arch_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	return smp_call_on_cpu(cpu, fn, arg);
}
