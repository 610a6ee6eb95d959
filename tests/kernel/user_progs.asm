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
%define NR_fork 2
%define NR_wait4 114
%define NR_mmap2 192
%define NR_brk 45
%define NR_mprotect 125
%define NR_munmap 91
%define NR_getppid 64
%define NR_kill 37

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

; fork tree: [esp] levels; every process forks two children per level
; and reaps them; exit status = processes in its subtree (15 for 3 levels)
PROG uprog_forktree
        mov ebp, [esp]
        mov edi, 1
.level:
        test ebp, ebp
        jz .exit
        mov eax, NR_fork
        int 0x80
        test eax, eax
        js .fail
        jz .child
        mov eax, NR_fork
        int 0x80
        test eax, eax
        js .fail
        jz .child
        call .reap
        call .reap
.exit:
        mov ebx, edi
        mov eax, NR_exit
        int 0x80
.child:
        dec ebp
        mov edi, 1
        jmp .level
.fail:
        mov ebx, 200
        mov eax, NR_exit
        int 0x80
.reap:
        sub esp, 4
        mov eax, NR_wait4
        mov ebx, -1
        mov ecx, esp
        xor edx, edx
        xor esi, esi
        int 0x80
        test eax, eax
        js .fail
        mov eax, [esp]
        shr eax, 8
        and eax, 0xff
        add edi, eax
        add esp, 4
        ret
uprog_forktree_end:

; demand zero, the zero page and copy on write across fork (results: see proc_test.c)
PROG uprog_cow
        mov eax, NR_mmap2
        xor ebx, ebx
        mov ecx, 8192
        mov edx, 3                       ; PROT_READ | PROT_WRITE
        mov esi, 0x22                    ; MAP_PRIVATE | MAP_ANONYMOUS
        mov edi, -1
        xor ebp, ebp
        int 0x80
        mov [SHARED], eax
        mov edi, eax
        mov eax, [edi]                   ; untouched: the zero page
        mov [SHARED + 4], eax
        mov dword [edi], 0x1111
        mov dword [edi + 4096], 0x3333
        mov eax, NR_fork
        int 0x80
        test eax, eax
        jz .child
        mov [SHARED + 8], eax
        mov ebx, eax
        mov ecx, SHARED + 12
        xor edx, edx
        xor esi, esi
        mov eax, NR_wait4
        int 0x80
        mov [SHARED + 16], eax
        mov eax, [edi]
        mov [SHARED + 20], eax           ; still 0x1111: the child wrote its copy
        mov dword [edi + 4096], 0x4444   ; mapped once again: reused, not copied
        mov eax, [edi + 4096]
        mov [SHARED + 24], eax
        mov eax, NR_wait4
        mov ebx, -1
        xor ecx, ecx
        xor edx, edx
        xor esi, esi
        int 0x80
        mov [SHARED + 28], eax           ; no children left: -ECHILD
        mov eax, NR_getpid
        int 0x80
        mov [SHARED + 36], eax
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
.child:
        cmp dword [edi], 0x1111
        jne .bad
        cmp dword [edi + 4096], 0x3333
        jne .bad
        mov dword [edi], 0x2222          ; copy on write
        cmp dword [edi], 0x2222
        jne .bad
        mov eax, NR_getppid
        int 0x80
        mov [SHARED + 32], eax           ; the shared page is shared with the child too
        mov eax, NR_exit
        mov ebx, 9
        int 0x80
.bad:
        mov eax, NR_exit
        mov ebx, 1
        int 0x80
uprog_cow_end:

; brk, mprotect, munmap: results then a write to a read-only page (SIGSEGV)
PROG uprog_mm
        mov eax, NR_brk
        xor ebx, ebx
        int 0x80
        mov [SHARED], eax
        mov edi, eax
        lea ebx, [eax + 3 * 4096 + 100]
        mov eax, NR_brk
        int 0x80
        mov [SHARED + 4], eax
        mov dword [edi + 3 * 4096], 7    ; the heap's new last page
        mov dword [edi], 5
        mov eax, NR_mprotect
        mov ebx, edi
        mov ecx, 4096
        mov edx, 1                       ; PROT_READ
        int 0x80
        mov [SHARED + 8], eax
        mov eax, NR_munmap
        lea ebx, [edi + 4096]
        mov ecx, 4096
        int 0x80
        mov [SHARED + 12], eax
        mov eax, NR_mprotect             ; a hole in the range
        mov ebx, edi
        mov ecx, 3 * 4096
        mov edx, 3
        int 0x80
        mov [SHARED + 16], eax
        mov eax, NR_munmap               ; unaligned
        lea ebx, [edi + 1]
        mov ecx, 4096
        int 0x80
        mov [SHARED + 20], eax
        mov eax, NR_mmap2                ; a file mapping of an fd nobody opened
        xor ebx, ebx
        mov ecx, 4096
        mov edx, 1
        mov esi, 2                       ; MAP_PRIVATE
        push edi
        mov edi, 3
        xor ebp, ebp
        int 0x80
        pop edi
        mov [SHARED + 24], eax
        mov eax, [edi]                   ; still readable
        mov [SHARED + 28], eax
        mov eax, [edi + 3 * 4096]
        mov [SHARED + 32], eax
        mov dword [SHARED + 36], 1       ; reached the last step
        mov dword [edi], 6               ; read-only now: SIGSEGV
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_mm_end:

; touch [esp] bytes of stack below the initial one, a page at a time
PROG uprog_stack
        mov ecx, [esp]
        mov ebx, esp
.loop:
        sub ebx, 4096
        mov [ebx], ebx
        sub ecx, 4096
        ja .loop
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_stack_end:

; [esp] MB of anonymous memory: write every page, read every page back; exit 0 if all read right
PROG uprog_bigmem
        mov ecx, [esp]
        shl ecx, 20
        push ecx
        mov eax, NR_mmap2
        xor ebx, ebx
        mov edx, 3
        mov esi, 0x22
        mov edi, -1
        xor ebp, ebp
        int 0x80
        pop ecx
        cmp eax, -4096
        jae .bad
        mov edi, eax
        xor edx, edx
.write:
        lea ebx, [edi + edx]
        mov [ebx], ebx
        add edx, 4096
        cmp edx, ecx
        jb .write
        xor edx, edx
.read:
        lea ebx, [edi + edx]
        cmp [ebx], ebx
        jne .bad
        add edx, 4096
        cmp edx, ecx
        jb .read
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
.bad:
        mov eax, NR_exit
        mov ebx, 1
        int 0x80
uprog_bigmem_end:

; kill(getppid(), SIGKILL)... no: kill itself with [esp] (a signal number)
PROG uprog_killself
        mov eax, NR_getpid
        int 0x80
        mov ebx, eax
        mov ecx, [esp]
        mov eax, NR_kill
        int 0x80
        mov [SHARED], eax                ; only reached for an ignored signal
        mov eax, NR_exit
        mov ebx, 3
        int 0x80
uprog_killself_end:

; clocks, randomness, limits, sleep (results: see proc_test.c)
PROG uprog_misc
        mov eax, 403                     ; clock_gettime64(CLOCK_MONOTONIC)
        mov ebx, 1
        mov ecx, SHARED
        int 0x80
        mov [SHARED + 16], eax
        mov eax, 162                     ; nanosleep(20 ms)
        mov dword [SHARED + 100], 0
        mov dword [SHARED + 104], 20000000
        mov ebx, SHARED + 100
        xor ecx, ecx
        int 0x80
        mov [SHARED + 20], eax
        mov eax, 403                     ; clock_gettime64 again
        mov ebx, 1
        mov ecx, SHARED + 24
        int 0x80
        mov eax, 265                     ; clock_gettime(CLOCK_REALTIME) (32-bit)
        xor ebx, ebx
        mov ecx, SHARED + 40
        int 0x80
        mov [SHARED + 48], eax
        mov eax, 265                     ; a clock that does not exist
        mov ebx, 99
        mov ecx, SHARED + 200
        int 0x80
        mov [SHARED + 52], eax
        mov eax, 355                     ; getrandom(SHARED + 64, 16, 0)
        mov ebx, SHARED + 64
        mov ecx, 16
        xor edx, edx
        int 0x80
        mov [SHARED + 56], eax
        mov eax, 340                     ; prlimit64(0, RLIMIT_STACK, NULL, SHARED + 80)
        xor ebx, ebx
        mov ecx, 3
        xor edx, edx
        mov esi, SHARED + 80
        int 0x80
        mov [SHARED + 60], eax
        mov eax, 88                      ; reboot with a wrong magic: -EINVAL
        mov ebx, 0x12345678
        mov ecx, 672274793
        mov edx, 0x4321fedc
        int 0x80
        mov [SHARED + 96], eax
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_misc_end:

; set_thread_area and %gs: the segment works, survives system calls,
; switches and fork (results: see proc_test.c)
PROG uprog_tls
        mov dword [SHARED + 512], -1     ; struct user_desc: pick an entry
        mov dword [SHARED + 516], SHARED + 1024
        mov dword [SHARED + 520], 0xfffff
        mov dword [SHARED + 524], 0x51   ; seg_32bit, limit_in_pages, useable
        mov dword [SHARED + 1024], 0x7777
        mov eax, 243                     ; set_thread_area
        mov ebx, SHARED + 512
        int 0x80
        mov [SHARED], eax
        mov eax, [SHARED + 512]
        mov [SHARED + 4], eax
        shl eax, 3
        or eax, 3
        mov gs, ax
        mov eax, [gs:0]
        mov [SHARED + 8], eax
        mov ecx, 3000
.spin:
        mov eax, NR_getpid
        int 0x80
        dec ecx
        jnz .spin
        mov eax, [gs:0]
        mov [SHARED + 12], eax
        mov eax, NR_fork
        int 0x80
        test eax, eax
        jz .child
        mov ebx, eax
        xor ecx, ecx
        xor edx, edx
        xor esi, esi
        mov eax, NR_wait4
        int 0x80
        mov dword [SHARED + 512], 3      ; not a TLS entry
        mov eax, 243
        mov ebx, SHARED + 512
        int 0x80
        mov [SHARED + 20], eax
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
.child:
        mov eax, [gs:0]
        mov [SHARED + 16], eax
        mov eax, NR_exit
        xor ebx, ebx
        int 0x80
uprog_tls_end:

; the x87 registers are the process's own: st0 = [esp] survives 20000
; system calls while other processes on the same CPU use theirs; exit(st0)
PROG uprog_fpu
        fild dword [esp]
        mov ecx, 20000
.spin:
        mov eax, NR_getpid
        int 0x80
        dec ecx
        jnz .spin
        sub esp, 4
        fistp dword [esp]
        pop ebx
        mov eax, NR_exit
        int 0x80
uprog_fpu_end:

section .note.GNU-stack noalloc noexec nowrite progbits
