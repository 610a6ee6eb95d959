; proc_pid_progs.asm - a ring-3 program for the /proc/PID tests
; (tests/kernel/proc_pid_test.c), run by exec_user_image like those of
; user_progs.asm: position-independent, [esp] at entry its argument, the
; test's page shared at 0x00400000.

bits 32
section .rodata

%define SHARED 0x00400000
%define NR_exit 1
%define NR_getpid 20
%define NR_mmap2 192

global uprog_rss, uprog_rss_end

; mmap2 [esp] anonymous private read-write pages (an argument > 0) and
; write each once; SHARED[0] = the address (or -errno), SHARED[1] = 1 when
; done; then wait (calling getpid) until the test sets SHARED[2]; exit(0).
uprog_rss:
        mov ecx, [esp]
        push ecx
        mov eax, NR_mmap2
        xor ebx, ebx
        shl ecx, 12
        mov edx, 3                       ; PROT_READ | PROT_WRITE
        mov esi, 0x22                    ; MAP_PRIVATE | MAP_ANONYMOUS
        mov edi, -1
        xor ebp, ebp
        int 0x80
        pop ecx
        mov [SHARED], eax
        cmp eax, -4096
        ja .done                         ; -errno
        mov edx, eax
.touch:
        mov dword [edx], 1
        add edx, 4096
        dec ecx
        jnz .touch
.done:
        mov dword [SHARED + 4], 1
.wait:
        mov eax, NR_getpid
        int 0x80
        cmp dword [SHARED + 8], 0
        je .wait
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_rss_end:

section .note.GNU-stack noalloc noexec nowrite progbits
