/* stacktrace.c - walking the frame-pointer chain (-fno-omit-frame-pointer).
 * Each frame is [saved ebp][return address]. A frame is followed only if it
 * lies inside the stack we are on and above the previous one, so a corrupt
 * chain ends the trace instead of faulting inside the oops. */
#include "ksyms.h"
#include "percpu.h"
#include "printk.h"

#define MAX_FRAMES 24

extern char boot_stack_bottom[], boot_stack_top[];
extern char __text_start[], __init_text_end[];

/* The stack containing sp: the boot stack, or the stack of the task running
 * on this CPU (the scheduler records it at every switch: task.c), which is
 * also where interrupts and exceptions push their frames. */
static bool stack_bounds(u32 sp, u32 *lo, u32 *hi)
{
	struct cpu_local *c = this_cpu();

	if (sp >= (u32)boot_stack_bottom && sp < (u32)boot_stack_top) {
		*lo = (u32)boot_stack_bottom;
		*hi = (u32)boot_stack_top;
		return true;
	}
	if (sp >= (u32)c->stack_bottom && sp < (u32)c->stack_top) {
		*lo = (u32)c->stack_bottom;
		*hi = (u32)c->stack_top;
		return true;
	}
	/* Unknown stack (e.g. the double-fault stack): trust one page around sp. */
	*lo = sp & ~0xfffu;
	*hi = *lo + 0x2000;
	return false;
}

static void print_frame(u32 addr)
{
	char sym[96];

	ksym_format(addr, sym, sizeof(sym));
	printk(KERN_EMERG " [<%08x>] %s\n", addr, sym);
}

void dump_backtrace(u32 eip, u32 ebp)
{
	u32 lo, hi;

	printk(KERN_EMERG "Call Trace:\n");
	if (eip)
		print_frame(eip);
	stack_bounds(ebp, &lo, &hi);
	for (int n = 0; n < MAX_FRAMES && ebp; n++) {
		if (ebp < lo || ebp + 8 > hi || (ebp & 3))
			break;
		u32 *frame = (u32 *)ebp;
		u32 ret = frame[1];
		if (ret < (u32)__text_start || ret >= (u32)__init_text_end)
			break;
		print_frame(ret);
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
}

void dump_stack(void)
{
	dump_backtrace(0, (u32)__builtin_frame_address(0));
}
