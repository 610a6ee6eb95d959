; user_progs.asm - small ring-3 programs for the process tests
; (tests/kernel/proc_test.c). Each is position-independent i386 code that
; exec_user_image copies to a user page; [esp] at entry is its argument.
; Results go to the page the test shares at 0x00400000 (USER_SHARED_BASE).

bits 32
section .rodata

%define SHARED 0x00400000
%define NR_exit 1
%define NR_getpid 20
%define NR_uname 122

%macro PROG 1
global %1, %1_end
%1:
%endmacro

; system calls: results[0..] = getpid, two unknown numbers, uname with bad
; pointers and a good one, edi/ebp preserved, the argument; then exit(42)
PROG uprog_syscalls
        mov esi, SHARED
        mov eax, NR_getpid
        int 0x80
        mov [esi], eax
        mov eax, 9999                    ; beyond the table
        int 0x80
        mov [esi + 4], eax
        mov eax, 222                     ; a hole in Linux's i386 table
        int 0x80
        mov [esi + 8], eax
        mov eax, NR_uname
        mov ebx, 0xc0100000              ; the kernel image
        int 0x80
        mov [esi + 12], eax
        mov eax, NR_uname
        mov ebx, 0x10000000              ; unmapped user address
        int 0x80
        mov [esi + 16], eax
        mov eax, NR_uname
        mov ebx, SHARED + 4096 - 100     ; runs off the shared page
        int 0x80
        mov [esi + 20], eax
        mov eax, NR_uname
        mov ebx, SHARED + 256
        int 0x80
        mov [esi + 24], eax
        mov edi, 0x12345678
        mov ebp, 0x9abcdef0
        mov eax, NR_getpid
        int 0x80
        mov [esi + 28], edi
        mov [esi + 32], ebp
        mov eax, [esp]
        mov [esi + 36], eax
        mov eax, NR_exit
        mov ebx, 42
        int 0x80
        ud2
uprog_syscalls_end:

; read the argument address: must die with SIGSEGV
PROG uprog_read
        mov ebx, [esp]
        mov eax, [ebx]
        mov [SHARED], eax                ; not reached if the read faulted
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_read_end:

; write the argument address
PROG uprog_write
        mov ebx, [esp]
        mov dword [ebx], 0x5a5a5a5a
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_write_end:

; jump to the argument address
PROG uprog_exec
        mov ebx, [esp]
        jmp ebx
uprog_exec_end:

; privileged instruction: #GP, SIGSEGV
PROG uprog_cli
        cli
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_cli_end:

; invalid opcode: SIGILL
PROG uprog_ud2
        ud2
uprog_ud2_end:

; spin calling getpid [arg] times (preemption and migration of CPUs while in ring 3), exit(7)
PROG uprog_spin
        mov ecx, [esp]
.loop:
        mov eax, NR_getpid
        int 0x80
        dec ecx
        jnz .loop
        mov eax, NR_exit
        mov ebx, 7
        int 0x80
uprog_spin_end:

section .note.GNU-stack noalloc noexec nowrite progbits
