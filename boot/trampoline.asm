; trampoline.asm - where an application processor starts.
;
; A STARTUP IPI starts the AP in real mode at TRAMP_BASE (the SIPI vector is
; the page number). This code is copied there by smp_boot_cpus(), which also
; fills tr_data. The AP enters protected mode with a flat GDT, turns on PAE
; (and PGE, NX) with tr_cr3 - a small page directory that maps the low 2 MB
; 1:1, so this code keeps running when paging comes on, and shares the
; kernel's PMD for the top gigabyte - and jumps to tr_entry (ap_entry, in the
; higher half) on its own stack. ap_entry then switches to swapper_pg_dir.
;
; An AP may answer its STARTUP IPI late, after the boot CPU gave up on it and
; freed its stack, or even while the boot CPU is starting another AP with new
; tr_data. So before touching anything but this page, the AP claims its start:
; tr_claim holds (APIC ID + 1) of the CPU the boot CPU is waiting for, and
; the AP swaps it for that value | TR_CLAIMED with lock cmpxchg, using its own
; APIC ID (CPUID.1:EBX[31:24]). The boot CPU withdraws an attempt with the
; same instruction (smpboot.c), so exactly one of them wins. An AP that finds
; its start withdrawn records its APIC ID in tr_parked and halts for good,
; with interrupts off, in this page (the first MB is never given out).
; tr_hold (a test, smpboot_test=late_ap) keeps the AP here until the boot CPU
; has given up on it and handed its stack out again: a late AP on demand.

TR_CLAIMED equ 0x80000000

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
        mov eax, 1
        cpuid
        shr ebx, 24
        lea edx, [ebx + 1]               ; our tr_claim value: APIC ID + 1
.hold:  cmp dword [ABS(tr_hold)], 0      ; the test's late AP: held until the boot
        je .claim                        ; CPU gave up, freed and reused our stack
        pause
        jmp .hold
.claim: mov eax, edx
        mov ecx, edx
        or ecx, TR_CLAIMED
        lock cmpxchg [ABS(tr_claim)], ecx
        je .claimed
        mov [ABS(tr_parked)], edx        ; withdrawn: say so, touch nothing else
.park:  cli
        hlt
        jmp .park
.claimed:
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
tr_claim: dd 0
tr_hold:  dd 0
tr_parked: dd 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
