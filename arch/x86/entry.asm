; entry.asm - exception and interrupt entry stubs.
;
; Every vector gets a stub that makes the stack look the same (the CPU
; pushes an error code for some exceptions only; the others push a zero),
; then pushes the vector number and jumps to trap_common, which saves the
; general and segment registers as a struct trap_frame (arch/x86/include/traps.h)
; and calls trap_handler(frame).
;
; int $0x80 has an entry of its own (Linux's entry_INT80_32): the same frame,
; then straight to do_int80_syscall_32, which runs the call and the exit work.
; A system call is the commonest entry from ring 3, and trap_handler's
; questions (which ring? which vector? a page fault?) have one answer for it.

bits 32
section .text
extern trap_handler, do_int80_syscall_32
global trap_stubs, trap_return

%macro STUB_NOERR 1
trap_stub_%1:
        push 0
        push %1
        jmp trap_common
%endmacro
%macro STUB_ERR 1
trap_stub_%1:
        push %1
        jmp trap_common
%endmacro

; vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30; vectors
; 32..255 are interrupts (local APIC timer, IPIs, spurious), never with one
%assign v 0
%rep 256
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
        STUB_ERR v
%elif v == 0x80
        ; entry_INT80_32 below
%else
        STUB_NOERR v
%endif
%assign v v + 1
%endrep

; The rest of struct trap_frame (the stub pushed the error code and the
; vector): general and segment registers, then the kernel's segments, and
; for an entry from ring 3 this CPU's %fs and a null %gs.
%macro SAVE_ALL 0
        pushad
        push ds
        push es
        push fs
        push gs
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        test dword [esp + 60], 3         ; the saved CS: from ring 3?
        jz .kernel_fs                    ; (local to the label the macro follows)
        str ax                           ; this CPU's TSS selector; its per-CPU
        sub ax, 8                        ; %fs segment sits just below it (gdt.c)
        mov fs, ax
        xor eax, eax                     ; no user %gs (a TLS selector) in the kernel:
        mov gs, ax                       ; another task's frame would keep it, and its
                                         ; GDT slot holds that task's TLS, or nothing
.kernel_fs:
        cld
%endmacro

; int $0x80, the system call (the gate has DPL 3: ring 3 may use it).
entry_INT80_32:
        push 0
        push 0x80
        SAVE_ALL
        push esp                         ; struct trap_frame *
        call do_int80_syscall_32         ; the call, then the exit work (user.c)
        add esp, 4
        jmp trap_return

trap_common:
        SAVE_ALL
        push esp                         ; struct trap_frame *
        call trap_handler
        add esp, 4
trap_return:                             ; esp: a struct trap_frame (ret_from_fork_user)
        cli                              ; the handler may have turned interrupts on (a
                                         ; system call does): none may arrive once the
                                         ; user's %fs is back (iretd restores IF)
        pop gs
        pop fs
        pop es
        pop ds
        popad
        add esp, 8                       ; vector, error code
        iretd

section .rodata
align 4
trap_stubs:
%assign v 0
%rep 256
%if v == 0x80
        dd entry_INT80_32
%else
        dd trap_stub_ %+ v
%endif
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
