; switch.asm - arch_switch_to: from one task's stack to another's.
;
; void arch_switch_to(unsigned long *prev_sp, unsigned long next_sp)
;
; Called by the scheduler with interrupts off. Only the registers a C
; function must preserve (ebx esi edi ebp) are saved, on prev's own stack;
; the caller saved the rest as for any call. EFLAGS needs no saving: every
; switch happens with IF = 0 and DF = 0. The `ret` returns into next's
; __schedule - or, for a task that never ran, into the entry function that
; arch_task_stack_init (task.c) placed there.

bits 32
section .text
global arch_switch_to

arch_switch_to:
        mov eax, [esp + 4]               ; &prev->sp
        mov edx, [esp + 8]               ; next->sp
        push ebp
        push ebx
        push esi
        push edi
        mov [eax], esp
        mov esp, edx
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
