; swap_progs.asm - a ring-3 program for tests/kernel/swapfile_test.c: swapon(2)
; and swapoff(2) through int 0x80, as a user's swapon/swapoff would call them.
; The test puts the path "/dev/sda" at SHARED + 0x100 and reads the results
; from SHARED (USER_SHARED_BASE, see include/process.h).

bits 32
section .rodata

%define SHARED 0x00400000
%define NR_exit 1
%define NR_swapon 87
%define NR_swapoff 115
%define SWAP_FLAG_PREFER 0x8000

global uprog_swap, uprog_swap_end

; results: [0] swapoff(path), [4] swapon(path, PREFER | 7), [8] swapon(NULL, 0),
; [12] swapon(path, 0x100000: an unknown flag), [16] swapoff(path) again,
; [20] swapoff of a path that is no swap area ("/dev/sda" + 5 = "sda": a
; relative path that does not resolve); then exit(0)
uprog_swap:
        mov esi, SHARED
        lea ebx, [esi + 0x100]
        mov eax, NR_swapoff
        int 0x80
        mov [esi], eax
        lea ebx, [esi + 0x100]
        mov ecx, SWAP_FLAG_PREFER | 7
        mov eax, NR_swapon
        int 0x80
        mov [esi + 4], eax
        xor ebx, ebx
        xor ecx, ecx
        mov eax, NR_swapon
        int 0x80
        mov [esi + 8], eax
        lea ebx, [esi + 0x100]
        mov ecx, 0x100000
        mov eax, NR_swapon
        int 0x80
        mov [esi + 12], eax
        lea ebx, [esi + 0x100]
        mov eax, NR_swapoff
        int 0x80
        mov [esi + 16], eax
        lea ebx, [esi + 0x105]
        mov eax, NR_swapoff
        int 0x80
        mov [esi + 20], eax
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_swap_end:

section .note.GNU-stack noalloc noexec nowrite progbits
