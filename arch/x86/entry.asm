; entry.asm - exception and interrupt entry stubs, and the ktest
; setjmp/longjmp pair.
;
; Every vector gets a stub that makes the stack look the same (the CPU
; pushes an error code for some exceptions only; the others push a zero),
; then pushes the vector number and jumps to trap_common, which saves the
; general and segment registers as a struct trap_frame (arch/x86/include/traps.h)
; and calls trap_handler(frame).

bits 32
section .text
extern trap_handler
global trap_stubs, ktest_setjmp, ktest_longjmp

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
%else
        STUB_NOERR v
%endif
%assign v v + 1
%endrep

trap_common:
        pushad
        push ds
        push es
        push fs
        push gs
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        cld
        push esp                         ; struct trap_frame *
        call trap_handler
        add esp, 4
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
        dd trap_stub_ %+ v
%assign v v + 1
%endrep

section .text
; int ktest_setjmp(struct ktest_jmpbuf *jb): ebx esi edi ebp esp eip eflags
ktest_setjmp:
        mov eax, [esp + 4]
        mov [eax + 0], ebx
        mov [eax + 4], esi
        mov [eax + 8], edi
        mov [eax + 12], ebp
        lea ecx, [esp + 4]               ; esp as it will be after our ret
        mov [eax + 16], ecx
        mov ecx, [esp]                   ; return address
        mov [eax + 20], ecx
        pushfd
        pop ecx
        mov [eax + 24], ecx
        xor eax, eax
        ret

; void ktest_longjmp(struct ktest_jmpbuf *jb, int val): back into setjmp's caller
ktest_longjmp:
        mov edx, [esp + 4]
        mov eax, [esp + 8]
        test eax, eax
        jnz .nz
        inc eax
.nz:    mov ebx, [edx + 0]
        mov esi, [edx + 4]
        mov edi, [edx + 8]
        mov ebp, [edx + 12]
        mov esp, [edx + 16]
        push dword [edx + 24]
        popfd
        jmp [edx + 20]

section .note.GNU-stack noalloc noexec nowrite progbits
