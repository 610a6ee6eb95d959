/* smp_call.c - run a function on another CPU (an IPI on
 * CALL_FUNCTION_VECTOR) and wait for it to finish. One request at a time;
 * while waiting, the caller keeps serving requests aimed at itself.
 *
 * How a sender waits for answers (here and for TLB shootdowns, tlb.c): with
 * interrupts on, in `hlt`, woken by an IPI from the CPU that answers last.
 * Spinning would be as fast on real hardware, but in a virtual machine with
 * more vCPUs than host CPUs the spinning vCPU takes the host CPU from the
 * very vCPU it waits for, and each answer then costs a host time slice. */
#include "apic.h"
#include "arch.h"
#include "percpu.h"
#include "printk.h"
#include "smp.h"
#include "spinlock.h"

static DEFINE_SPINLOCK(call_lock);
static void (*volatile call_fn[NR_CPUS])(void *);
static void *volatile call_arg[NR_CPUS];
static volatile int call_waker = -1; /* the caller's APIC id while it waits in hlt */
static volatile unsigned call_target;

unsigned long smp_answer_halts;

int smp_waker_id(void)
{
	return arch_irqs_disabled() ? -1 : (int)this_cpu()->apic_id;
}

void smp_answer_ipi(int apic_id, u8 vector)
{
	if (apic_id >= 0)
		lapic_send_ipi((unsigned)apic_id, vector);
}

void smp_wait_answers(bool (*answered)(void), void (*serve)(void))
{
	bool may_halt = !arch_irqs_disabled();

	while (!answered()) {
		serve();
		if (!may_halt) {
			arch_cpu_relax(); /* pause: a spinning vCPU slows the one it waits for */
			continue;
		}
		/* Checked with interrupts off, then `sti; hlt` as one unit: an
		 * answer's IPI that comes after the check still ends the hlt. */
		__asm__ volatile("cli" : : : "memory");
		if (answered())
			__asm__ volatile("sti" : : : "memory");
		else {
			__atomic_fetch_add(&smp_answer_halts, 1, __ATOMIC_RELAXED);
			__asm__ volatile("sti; hlt" : : : "memory");
		}
	}
}

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
		int waker = call_waker; /* read before the clear lets the caller go */

		fn(call_arg[cpu]);
		__atomic_store_n(&call_fn[cpu], NULL, __ATOMIC_SEQ_CST);
		smp_answer_ipi(waker, CALL_FUNCTION_VECTOR);
	}
	arch_irq_restore(f);
}

static bool call_answered(void)
{
	return !__atomic_load_n(&call_fn[call_target], __ATOMIC_SEQ_CST);
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
	call_target = cpu;
	call_waker = smp_waker_id();
	__atomic_store_n(&call_fn[cpu], fn, __ATOMIC_SEQ_CST);
	lapic_send_ipi(cpu_locals[cpu].apic_id, CALL_FUNCTION_VECTOR);
	smp_wait_answers(call_answered, serve_call);
	call_waker = -1;
	spin_unlock(&call_lock);
	return 0;
}

void smp_call_init(void) { set_irq_handler(CALL_FUNCTION_VECTOR, call_irq); }

int arch_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	return smp_call_on_cpu(cpu, fn, arg);
}
