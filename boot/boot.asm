; boot.asm - Highland's entry: from the boot loader to C in the higher half.
;
; Both GRUB (multiboot2) and QEMU -kernel (multiboot v1) jump to _start with
; paging off, at the physical address this file is linked at (1 MB). We:
;   1. keep EAX (magic) and EBX (boot information, physical) aside;
;   2. bring up COM1 so that anything that goes wrong here can be said;
;   3. check the magic, then that CPUID exists and reports PAE, and what
;      every PAE-era CPU has and the kernel uses: CMPXCHG8B, TSC, CMOV;
;   4. zero .bss, build the provisional PAE tables, enable PAE/PGE/NX/paging;
;   5. jump to the higher half, switch to the boot stack and call
;      start_kernel(magic, info_pa).
;
; Provisional page tables (PAE: 4 PDPT entries -> 512 PMD entries -> PTEs).
; Physical 0..24 MB is mapped twice, and both halves share ONE PMD page, so
; they are literally the same page-table entries:
;
;      boot_pdpt                   boot_pmd               boot_pt[0..11]
;    +-----------+             +--------------+        +----------------+
;    | [0] 0-1G  |-----+------>| [0]  0-2M    |------->| 512 PTEs  0-2M |
;    | [1] --    |     |       | [1]  2-4M    |------->| 512 PTEs  2-4M |
;    | [2] --    |     |       |  ...         |  ...   |      ...       |
;    | [3] 3G-4G |-----+       | [11] 22-24M  |------->| 512 PTEs 22-24M|
;    +-----------+             | [12..511] 0  |        +----------------+
;                              +--------------+
;    virtual 0x00000000 + x  and  0xC0000000 + x  ->  physical x  (x < 24 MB)
;
; 4 KB pages (not 2 MB ones) so that the page under the boot stack can be
; left unmapped: a boot-stack overflow faults instead of silently corrupting.

KERNEL_VMA      equ 0xC0000000
BOOT_MAP_SIZE   equ 24 * 1024 * 1024
BOOT_PT_PAGES   equ BOOT_MAP_SIZE / (2 * 1024 * 1024)

MB1_MAGIC       equ 0x1BADB002
MB1_FLAGS       equ 0x00000003          ; page-align modules, give memory info
MB1_LOADER      equ 0x2BADB002
MB2_MAGIC       equ 0xE85250D6
MB2_LOADER      equ 0x36D76289

COM1            equ 0x3F8
EXIT_PORT       equ 0xF4
EXIT_FAIL       equ 0x11                 ; QEMU exits with (0x11 << 1) | 1 = 35

CPUID_TSC       equ 1 << 4
CPUID_MSR       equ 1 << 5
CPUID_PAE       equ 1 << 6
CPUID_CX8       equ 1 << 8
CPUID_CMOV      equ 1 << 15
CPUID_PGE       equ 1 << 13
CPUID_NX        equ 1 << 20              ; CPUID 0x80000001 EDX
CR4_PAE         equ 1 << 5
CR4_PGE         equ 1 << 7
EFER_MSR        equ 0xC0000080
EFER_NXE        equ 1 << 11
CR0_PG_WP       equ 0x80010000
PTE_P_RW        equ 0x003

extern start_kernel
extern __bss_start, __bss_end
global _start, boot_pdpt, boot_pmd, boot_pt, boot_gdt
global boot_stack_guard, boot_stack_bottom, boot_stack_top

; ---------------------------------------------------------------- headers
section .multiboot progbits alloc noexec nowrite align=8
align 4
mb1_header:
        dd MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)
align 8
mb2_header:
        dd MB2_MAGIC, 0, mb2_header_end - mb2_header
        dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
        dw 0, 0                          ; end tag
        dd 8
mb2_header_end:

; ---------------------------------------------------------------- code
section .boot.text progbits alloc exec nowrite align=16
bits 32
_start:
        cli
        cld
        mov esp, boot_stack_top - KERNEL_VMA
        mov [boot_magic], eax
        mov [boot_info], ebx
        call serial_init

        mov eax, [boot_magic]
        cmp eax, MB2_LOADER
        je .magic_ok
        cmp eax, MB1_LOADER
        je .magic_ok
        mov esi, msg_magic
        call puts
        mov eax, [boot_magic]
        call puthex
        mov esi, msg_magic2
        jmp fail

.magic_ok:
        call check_cpu                   ; returns EDX = CPUID.1 EDX, EBX = NX
        mov [cpu_edx1], edx
        mov [cpu_nx], ebx

        ; zero .bss (page tables and boot stack live there)
        mov edi, __bss_start - KERNEL_VMA
        mov ecx, __bss_end
        sub ecx, __bss_start
        shr ecx, 2
        xor eax, eax
        rep stosd

        call build_page_tables
        call enable_paging

        lgdt [boot_gdt_desc]
        jmp 0x08:.flat
.flat:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        xor ax, ax
        mov fs, ax
        mov gs, ax
        mov eax, higher_half
        jmp eax                          ; into 0xC0xxxxxx

; check_cpu: CPUID must exist (EFLAGS.ID toggles) and report PAE, CX8, TSC
; and CMOV; NX is used only if the CPU also has MSRs (NX is an EFER bit).
check_cpu:
        pushfd
        pop eax
        mov ecx, eax
        xor eax, 1 << 21
        push eax
        popfd
        pushfd
        pop eax
        push ecx
        popfd
        cmp eax, ecx
        jne .has_cpuid
        mov esi, msg_nocpuid
        jmp fail
.has_cpuid:
        mov eax, 1
        cpuid
        test edx, CPUID_PAE
        jnz .has_pae
        mov esi, msg_nopae
        jmp fail
.has_pae:
        mov esi, msg_nocx8               ; every later requirement: PAE-era CPUs have them all
        test edx, CPUID_CX8
        jz fail
        mov esi, msg_notsc
        test edx, CPUID_TSC
        jz fail
        mov esi, msg_nocmov
        test edx, CPUID_CMOV
        jz fail
        push edx
        xor ebx, ebx
        test edx, CPUID_MSR              ; NX is switched on in EFER: needs rdmsr/wrmsr
        jz .done
        mov eax, 0x80000000
        cpuid
        cmp eax, 0x80000001
        jb .done
        cmp eax, 0x8000ffff              ; a CPU without the extended leaves echoes garbage
        ja .done
        mov eax, 0x80000001
        cpuid
        and edx, CPUID_NX
        mov ebx, edx
.done:
        pop edx
        ret

build_page_tables:
        ; PTEs: 12 pages x 512 entries map 0..24 MB, present + writable
        mov edi, boot_pt - KERNEL_VMA
        mov eax, PTE_P_RW
        mov ecx, BOOT_PT_PAGES * 512
.pte:   mov [edi], eax
        mov dword [edi + 4], 0
        add eax, 4096
        add edi, 8
        loop .pte
        ; PMD entries 0..11 -> the PTE pages
        mov edi, boot_pmd - KERNEL_VMA
        mov eax, boot_pt - KERNEL_VMA + PTE_P_RW
        mov ecx, BOOT_PT_PAGES
.pmd:   mov [edi], eax
        mov dword [edi + 4], 0
        add eax, 4096
        add edi, 8
        loop .pmd
        ; PDPT entries 0 and 3 share the PMD (PDPTEs only allow the P bit here)
        mov eax, boot_pmd - KERNEL_VMA + 1
        mov [boot_pdpt - KERNEL_VMA], eax
        mov [boot_pdpt - KERNEL_VMA + 3 * 8], eax
        ; unmap the guard page below the boot stack
        mov eax, boot_stack_guard - KERNEL_VMA
        shr eax, 12
        mov dword [boot_pt - KERNEL_VMA + eax * 8], 0
        ret

enable_paging:
        mov eax, cr4
        or eax, CR4_PAE
        test dword [cpu_edx1], CPUID_PGE
        jz .nopge
        or eax, CR4_PGE
.nopge: mov cr4, eax
        cmp dword [cpu_nx], 0
        je .nonx
        mov ecx, EFER_MSR
        rdmsr
        or eax, EFER_NXE
        wrmsr
.nonx:  mov eax, boot_pdpt - KERNEL_VMA
        mov cr3, eax
        mov eax, cr0
        or eax, CR0_PG_WP
        mov cr0, eax
        ret

; fail: print the message at ESI and a newline, then exit QEMU with the FAIL
; status; on a machine without isa-debug-exit, halt forever (never reboot).
fail:
        call puts
        mov esi, msg_nl
        call puts
        mov dx, EXIT_PORT
        mov eax, EXIT_FAIL
        out dx, eax
.halt:  cli
        hlt
        jmp .halt

serial_init:
        mov dx, COM1 + 1
        xor al, al
        out dx, al                       ; no interrupts
        mov dx, COM1 + 3
        mov al, 0x80
        out dx, al                       ; DLAB on
        mov dx, COM1
        mov al, 1
        out dx, al                       ; divisor 1 = 115200 baud
        mov dx, COM1 + 1
        xor al, al
        out dx, al
        mov dx, COM1 + 3
        mov al, 0x03
        out dx, al                       ; 8N1, DLAB off
        mov dx, COM1 + 2
        mov al, 0xC7
        out dx, al                       ; FIFO on, cleared
        ret

; putc: AL to COM1, waiting for the transmitter
putc:
        push eax
        mov dx, COM1 + 5
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop eax
        mov dx, COM1
        out dx, al
        ret

puts:
        lodsb
        test al, al
        jz .end
        call putc
        jmp puts
.end:   ret

puthex:                                  ; EAX as 0x%08x
        mov ebx, eax
        mov al, '0'
        call putc
        mov al, 'x'
        call putc
        mov ecx, 8
.digit: rol ebx, 4
        mov eax, ebx
        and eax, 0xF
        mov al, [hexdigits + eax]
        push ecx
        call putc
        pop ecx
        loop .digit
        ret

; ---------------------------------------------------------------- data
section .boot.data progbits alloc noexec write align=16
boot_magic:     dd 0
boot_info:      dd 0
cpu_edx1:       dd 0
cpu_nx:         dd 0
hexdigits:      db "0123456789abcdef"
msg_magic:      db "Highland: bad boot magic ", 0
msg_magic2:     db " (expected 0x36d76289 from multiboot2 or 0x2badb002 from multiboot v1): not started by a multiboot loader", 0
msg_nocpuid:    db "Highland needs a CPU with PAE: this CPU has no CPUID instruction, so it cannot report PAE", 0
msg_nopae:      db "Highland needs a CPU with PAE (CPUID.1:EDX bit 6 is clear): 64-bit page-table entries are how it reaches memory above 4 GB", 0
msg_nocx8:      db "Highland needs a CPU with CMPXCHG8B (CPUID.1:EDX bit 8 is clear): it writes 64-bit page-table entries in one piece with it", 0
msg_notsc:      db "Highland needs a CPU with a time-stamp counter (CPUID.1:EDX bit 4 is clear): its clock and delays count TSC cycles", 0
msg_nocmov:     db "Highland needs a CPU with CMOV (CPUID.1:EDX bit 15 is clear): it is compiled for the i686 (P6) instruction set", 0
msg_nl:         db 13, 10, 0

align 8
boot_gdt:
        dq 0
        dq 0x00CF9A000000FFFF            ; 0x08 code, flat 4 GB
        dq 0x00CF92000000FFFF            ; 0x10 data, flat 4 GB
boot_gdt_desc:
        dw boot_gdt_desc - boot_gdt - 1
        dd boot_gdt

; ---------------------------------------------------------------- higher half
section .text
higher_half:
        mov esp, boot_stack_top
        xor ebp, ebp                     ; ends every backtrace here
        push dword [boot_info]
        push dword [boot_magic]
        call start_kernel
.hang:  cli
        hlt
        jmp .hang

; ---------------------------------------------------------------- tables
section .bss nobits alloc noexec write align=4096
boot_pmd:       resb 4096
boot_pt:        resb 4096 * BOOT_PT_PAGES
boot_pdpt:      resb 32
alignb 4096
boot_stack_guard:  resb 4096             ; left unmapped: overflow faults
boot_stack_bottom: resb 16384
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
