; trampoline.asm - where an application processor starts.
;
; A STARTUP IPI starts the AP in real mode at TRAMP_BASE (the SIPI vector is
; the page number). This code is copied there by smp_boot_cpus(), which also
; fills tr_data. The AP enters protected mode with a flat GDT, turns on PAE
; (and PGE, NX) with tr_cr3 - a small page directory that maps the low 2 MB
; 1:1, so this code keeps running when paging comes on, and shares the
; kernel's PMD for the top gigabyte - and jumps to tr_entry (ap_entry, in the
; higher half) on its own stack. ap_entry then switches to swapper_pg_dir.

TRAMP_BASE equ 0x8000
%define ABS(x) ((x) - trampoline_start + TRAMP_BASE)

section .rodata
global trampoline_start, trampoline_end, tr_data
bits 16
trampoline_start:
        cli
        cld
        mov ax, cs
        mov ds, ax
        lgdt [tr_gdt_desc - trampoline_start]
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword 0x08:ABS(tr_pm32)

bits 32
tr_pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov eax, [ABS(tr_cr4)]
        mov cr4, eax
        cmp dword [ABS(tr_nx)], 0
        je .nonx
        mov ecx, 0xC0000080              ; EFER: NX before any entry with NX is walked
        rdmsr
        or eax, 1 << 11
        wrmsr
.nonx:  mov eax, [ABS(tr_cr3)]
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80010000               ; PG | WP
        mov cr0, eax
        mov esp, [ABS(tr_stack)]
        xor ebp, ebp                     ; ends the AP's backtraces
        mov eax, [ABS(tr_entry)]
        jmp eax

align 8
tr_gdt:
        dq 0
        dq 0x00CF9A000000FFFF
        dq 0x00CF92000000FFFF
tr_gdt_desc:
        dw 23
        dd ABS(tr_gdt)

align 4
tr_data:                                 ; struct tr_data in arch/x86/smpboot.c
tr_cr3:   dd 0
tr_cr4:   dd 0
tr_nx:    dd 0
tr_stack: dd 0
tr_entry: dd 0
tr_cpu:   dd 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
