# Highland - build, run, test, debug.
#   make run    build and boot in QEMU (MEM=2048 SMP=1 CPU=max CMDLINE=...)
#   make test   hosted unit tests + the QEMU matrix (512/2048/8192 MB)
#   make gdb    QEMU halted with a gdb stub, gdb attached with symbols and helpers
#   make bench  instruction counts (QEMU -icount) per RAM size
# Missing tools are installed by tools/install-deps.sh.

MEM ?= 2048
SMP ?= 1
CPU ?= max
CMDLINE ?=

CROSS ?= i686-linux-gnu-
CC := $(CROSS)gcc
NM := $(CROSS)nm
NASM ?= nasm
HOSTCC ?= gcc
PYTHON ?= python3

B := build
KERNEL := $(B)/kernel.elf
ISO := $(B)/highland.iso

CFLAGS := -std=c11 -ffreestanding -fno-pie -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -m32 -march=i686 \
	-O2 -g -fno-omit-frame-pointer -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iarch/x86/include -MMD -MP
LDFLAGS := -nostdlib -static -no-pie -Wl,-T,linker.ld -Wl,-z,max-page-size=0x1000 \
	-Wl,--build-id=none
NASMFLAGS := -f elf32

KSRCS := $(wildcard arch/x86/*.c kernel/*.c mm/*.c tests/kernel/*.c tests/bench/*.c)
ASRCS := $(wildcard boot/*.asm arch/x86/*.asm)
KOBJS := $(KSRCS:%.c=$(B)/%.o) $(ASRCS:%.asm=$(B)/%.asm.o)

# Generic sources that also build hosted (mm/ and the portable kernel helpers).
HOST_SRCS := $(wildcard mm/*.c) kernel/vsprintf.c kernel/strlcpy.c kernel/cmdline.c \
	kernel/bootinfo.c kernel/spinlock.c $(wildcard tests/host/*.c)
HOST_CFLAGS := -std=c11 -DHL_HOSTED -D_GNU_SOURCE -Iinclude -Itests/host -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter

.PHONY: all deps run test gdb host bench clean
all: $(KERNEL) $(ISO)

deps:
	@tools/install-deps.sh -q

$(B)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.asm.o: %.asm | deps
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) $< -o $@

# Two links: the first with an empty symbol table, whose symbols fill the
# table linked into the second. .ksyms is the last section, so the second
# link moves no symbol; the comparison below proves it.
$(B)/ksyms0.c: tools/gen-ksyms.py
	@mkdir -p $(B)
	$(PYTHON) tools/gen-ksyms.py - > $@
$(B)/ksyms0.o: $(B)/ksyms0.c
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/kernel0.elf: $(KOBJS) $(B)/ksyms0.o linker.ld
	$(CC) $(CFLAGS) $(LDFLAGS) $(KOBJS) $(B)/ksyms0.o -lgcc -o $@
$(B)/ksyms.c: $(B)/kernel0.elf tools/gen-ksyms.py
	$(NM) -n $< > $(B)/kernel0.nm
	$(PYTHON) tools/gen-ksyms.py $(B)/kernel0.nm > $@
$(B)/ksyms.o: $(B)/ksyms.c
	$(CC) $(CFLAGS) -c $< -o $@
$(KERNEL): $(KOBJS) $(B)/ksyms.o linker.ld
	$(CC) $(CFLAGS) $(LDFLAGS) $(KOBJS) $(B)/ksyms.o -lgcc -o $@
	@$(NM) -n $@ | grep -v -e ksym_ -e ' _end$$' -e __ksyms_end > $(B)/kernel.nm.check
	@grep -v -e ksym_ -e ' _end$$' -e __ksyms_end $(B)/kernel0.nm | cmp -s - $(B)/kernel.nm.check \
		|| { echo "error: symbols moved between the two links (see linker.ld .ksyms)"; exit 1; }

$(ISO): $(KERNEL) tools/grub.cfg
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp $(KERNEL) $(B)/iso/boot/kernel.elf
	cp tools/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

$(B)/host/unit: $(HOST_SRCS) $(wildcard include/*.h tests/host/*.h) | deps
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_SRCS) -o $@

host: $(B)/host/unit
	$(B)/host/unit

run: all
	$(PYTHON) tools/qemu-run --iso $(ISO) --interactive --mem $(MEM) --smp $(SMP) --cpu $(CPU) \
		$(if $(CMDLINE),--cmdline "$(CMDLINE)")

test: all $(B)/host/unit
	$(PYTHON) tools/test-matrix

bench: $(KERNEL)
	$(PYTHON) tools/bench

gdb: all
	tools/gdb/run-gdb.sh --mem $(MEM) --smp $(SMP) --cpu $(CPU) $(if $(CMDLINE),--cmdline "$(CMDLINE)")

clean:
	rm -rf $(B)

-include $(KOBJS:.o=.d)
