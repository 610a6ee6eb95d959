# Highland - build, run, test, debug.
#   make run    build and boot in QEMU (MEM=2048 SMP=1 CPU=max CMDLINE=...)
#   make test   hosted unit tests + the QEMU matrix (512/2048/8192 MB)
#   make gdb    QEMU halted with a gdb stub, gdb attached with symbols and helpers
#   make bench  instruction counts (QEMU -icount) per RAM size
#   make user   the static glibc user programs and the initramfs archives (docs/userspace.md)
# Missing tools are installed by tools/install-deps.sh.

MEM ?= 2048
# run's initramfs: USERLAND=demo (build/initramfs.cpio, /init = user/init.c) or
# USERLAND=test (build/initramfs-test.cpio, /init = the user test suite's runner) or
# USERLAND=busybox (build/initramfs-busybox.cpio: Debian's busybox, /init = user/busybox/init)
USERLAND ?= demo
INITRD ?= $(if $(filter test,$(USERLAND)),build/initramfs-test.cpio,$(if $(filter busybox,$(USERLAND)),build/initramfs-busybox.cpio,build/initramfs.cpio))
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

# -mpreferred-stack-boundary=2: keep the stack 4-byte aligned, as Linux builds
# i386 (nothing in the kernel needs more: no SSE; the FPU buffers that do,
# fxsave's, are aligned by the compiler where they are declared). With GCC's
# default of 16, every function that makes a call rounds its frame up with a
# `sub`, the fast paths' too (kmem_cache_alloc, kmalloc).
CFLAGS := -std=c11 -ffreestanding -fno-pie -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -m32 -march=i686 \
	-O2 -g -fno-omit-frame-pointer -fno-strict-aliasing -mpreferred-stack-boundary=2 \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iarch/x86/include -MMD -MP
LDFLAGS := -nostdlib -static -no-pie -Wl,-T,linker.ld -Wl,-z,max-page-size=0x1000 \
	-Wl,--build-id=none
NASMFLAGS := -f elf32

KSRCS := $(wildcard arch/x86/*.c kernel/*.c mm/*.c fs/*.c tests/kernel/*.c tests/bench/*.c)
ASRCS := $(wildcard boot/*.asm arch/x86/*.asm tests/kernel/*.asm)
KOBJS := $(KSRCS:%.c=$(B)/%.o) $(ASRCS:%.asm=$(B)/%.asm.o)

# Generic sources that also build hosted (mm/ and the portable kernel helpers).
HOST_SRCS := $(wildcard mm/*.c) fs/cpio.c fs/seq_file.c fs/namei.c fs/inode.c fs/file.c fs/ops.c fs/rename.c kernel/vsprintf.c kernel/extable.c kernel/strlcpy.c kernel/cmdline.c \
	kernel/kstrto.c kernel/bootinfo.c kernel/spinlock.c $(wildcard tests/host/*.c)
HOST_CFLAGS := -std=c11 -DHL_HOSTED -D_GNU_SOURCE -Iinclude -Itests/host -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter

.PHONY: all deps run test gdb host bench clean
all: $(KERNEL) $(ISO) $(B)/initramfs.cpio $(B)/initramfs-test.cpio

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

$(ISO): $(KERNEL) tools/grub.cfg $(B)/initramfs.cpio
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp $(KERNEL) $(B)/iso/boot/kernel.elf
	cp $(B)/initramfs.cpio $(B)/iso/boot/initramfs.cpio
	cp tools/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

$(B)/host/unit: $(HOST_SRCS) $(wildcard include/*.h tests/host/*.h) | deps
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_SRCS) -o $@

host: $(B)/host/unit
	$(B)/host/unit

# INITRD: the initramfs `make run` boots with (USERLAND=test: the user test suite as
# init; INITRD= boots none). build/highland.iso carries build/initramfs.cpio; any other
# choice, or a CMDLINE, boots a temporary ISO that qemu-run builds.
run: all
	$(PYTHON) tools/qemu-run --iso $(ISO) --interactive --mem $(MEM) --smp $(SMP) --cpu $(CPU) \
		$(if $(or $(CMDLINE),$(if $(INITRD),,none)),--cmdline "$(CMDLINE)") \
		$(if $(filter-out $(B)/initramfs.cpio,$(INITRD))$(and $(INITRD),$(CMDLINE)),--initrd $(INITRD))

test: all $(B)/host/unit
	$(PYTHON) tools/test-matrix

bench: $(KERNEL)
	$(PYTHON) tools/bench

gdb: all
	tools/gdb/run-gdb.sh --mem $(MEM) --smp $(SMP) --cpu $(CPU) $(if $(CMDLINE),--cmdline "$(CMDLINE)")

clean:
	rm -rf $(B)

-include $(KOBJS:.o=.d)

# ---- fuzz: libFuzzer host targets (tests/fuzz/README.md) ---------------------
#   make fuzz [FUZZ_SECONDS=30] [FUZZ_TARGETS="bootinfo buddy"]
# Each target is built with clang over the hosted sources (no unit tests, no
# htest main) and run for FUZZ_SECONDS on a working corpus in build/fuzz/
# seeded from tests/fuzz/corpus/<target>/ (the repo corpus changes only on
# purpose). Crashes land in build/fuzz/crashes/<target>/ and stop the run.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= bootinfo buddy slab vmalloc_area cpio
FUZZ_CC ?= clang
FUZZ_SRCS := $(wildcard mm/*.c) fs/cpio.c fs/seq_file.c kernel/vsprintf.c kernel/strlcpy.c kernel/cmdline.c \
	kernel/kstrto.c kernel/bootinfo.c kernel/spinlock.c tests/host/host_arch.c tests/host/host_printk.c \
	tests/host/host_sched.c tests/host/sim_mm.c tests/host/sim_vmalloc.c
FUZZ_CFLAGS := $(filter-out -fsanitize=%,$(HOST_CFLAGS)) -Itests/fuzz \
	-fsanitize=fuzzer,address,undefined

.PHONY: fuzz fuzz-build fuzz-deps
fuzz-deps:
	@tools/install-deps.sh -q --fuzz

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRCS) $(wildcard include/*.h tests/host/*.h tests/fuzz/*.h) \
		| fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) $< -o $@

fuzz-build: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(B)/fuzz/corpus/$$t $(B)/fuzz/crashes/$$t; \
		cp -n tests/fuzz/corpus/$$t/* $(B)/fuzz/corpus/$$t/ 2>/dev/null; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s (log: $(B)/fuzz/$$t.log)"; \
		if ! $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz/crashes/$$t/ $(B)/fuzz/corpus/$$t \
			> $(B)/fuzz/$$t.log 2>&1; then \
			tail -n 40 $(B)/fuzz/$$t.log; \
			echo "fuzz: $$t FAILED; reproduce with $(B)/fuzz/fuzz_$$t $(B)/fuzz/crashes/$$t/<file>"; \
			exit 1; \
		fi; \
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added):' \
			$(B)/fuzz/$$t.log | sed "s/^/fuzz: $$t /"; \
		echo "fuzz: $$t corpus: $$(ls $(B)/fuzz/corpus/$$t | wc -l) inputs"; \
	done; echo "fuzz: all targets ran clean"
# ---- end fuzz ----------------------------------------------------------------

# --- boot-time: wall time to `Memory:` and `ktest: all tests passed` (tools/boot-time) ---
.PHONY: boot-time
boot-time: $(KERNEL)
	$(PYTHON) tools/boot-time
# --- end boot-time ---

# --- stress: every allocator on every CPU at once, long (tests/kernel/stress_test.c) ---
#   make stress [STRESS_OPS=2500000] [STRESS_SEED=0x1234]   (per CPU; 4 CPUs: 10 M per RAM size)
#               [STRESS_CHECK=10000]   invariant checks (every CPU stopped) every N ops per CPU
#               [STRESS_EXTRA="fail_page_alloc=1,2,0,-1 failslab=1,2,0,-1"]   more command line
STRESS_OPS ?= 2500000
STRESS_SEED ?= $(shell date +%s)
STRESS_CHECK ?= 10000
STRESS_EXTRA ?=
.PHONY: stress
stress: $(KERNEL)
	@for mem in 512 2048 8192; do \
		echo "stress: $$mem MB, -smp 4, $(STRESS_OPS) ops per CPU, seed $(STRESS_SEED)"; \
		$(PYTHON) tools/qemu-run --kernel $(KERNEL) --mem $$mem --smp 4 --timeout 3600 \
			--cmdline "ktest=stress stress_ops=$(STRESS_OPS) stress_seed=$(STRESS_SEED) stress_check=$(STRESS_CHECK) $(STRESS_EXTRA)" \
			--log $(B)/stress-$$mem.log >/dev/null 2>&1; \
		$(PYTHON) tools/ktap-check $(B)/stress-$$mem.log --status $$? --name stress-$$mem || exit 1; \
	done
# --- end stress ---

# --- two panes: the serial monitor and gdb at once (docs/debugging.md §1) ---
#   make debug  [MEM= SMP= CPU= CMDLINE= GDB_PORT=1234]  this terminal: QEMU halted with a
#               gdb stub, its serial console (the monitor) here; Ctrl-C goes to the monitor
#   make attach [GDB_PORT=1234]   a second terminal: gdb with symbols and the hl-* helpers,
#               attached to it; Ctrl-C there stops the kernel (QEMU is not in this terminal)
GDB_PORT ?= 1234
.PHONY: debug attach
debug: all
	$(PYTHON) tools/qemu-run --kernel $(KERNEL) --interactive --gdb --gdb-port $(GDB_PORT) \
		--mem $(MEM) --smp $(SMP) --cpu $(CPU) $(if $(CMDLINE),--cmdline "$(CMDLINE)")
attach: $(KERNEL)
	tools/gdb/run-gdb.sh --attach $(GDB_PORT)
# --- end two panes ---

# --- doc-check: every transcript in README.md and docs/*.md against the kernel as built ---
#   make doc-check [DOCS="docs/walkthrough.md"]   (tools/doc-check --help: the notation)
.PHONY: doc-check
doc-check: $(KERNEL)
	$(PYTHON) tools/doc-check $(DOCS)
# --- end doc-check ---
# --- user space: static glibc programs and the initramfs (docs/userspace.md) ---
#   make user           the programs and both archives
#   make user-host-test the user test suite under qemu-i386 (the host's Linux, no Highland)
# user/*.c are programs for people (user/init.c is /init of build/initramfs.cpio);
# tests/user/t_*.c the KTAP suite (ut.c linked into each), runner.c its /init,
# ubench.c the `make bench` user figures, tiny.c the smallest exec target.
USER_CC := $(CROSS)gcc
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -O2 -static -Wall -Wextra -Werror -Wno-unused-parameter
USER_PROGS := $(patsubst user/%.c,$(B)/user/%,$(wildcard user/*.c))
UTEST_PROGS := $(patsubst tests/user/%.c,$(B)/tests/user/%,$(filter-out tests/user/ut.c tests/user/sigstate.c,$(wildcard tests/user/*.c)))
$(B)/user/%: user/%.c Makefile | deps
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) $< -o $@
$(B)/tests/user/%: tests/user/%.c tests/user/ut.c tests/user/ut.h Makefile | deps
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -Itests/user $< tests/user/ut.c -o $@
# t_signal links tests/user/sigstate.c too (not a program of its own: each static program adds
# ~0.75 MB to initramfs-test.cpio, which must leave the early page tables room below 24 MB)
$(B)/tests/user/t_signal: tests/user/t_signal.c tests/user/sigstate.c tests/user/ut.c tests/user/ut.h Makefile | deps
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -Itests/user tests/user/t_signal.c tests/user/sigstate.c tests/user/ut.c -o $@

# Both archives hold the same files; only /init differs.
INITRAMFS_FILES = $(foreach p,$(USER_PROGS),--file /bin/$(notdir $(p))=$(p)) \
	$(foreach p,$(UTEST_PROGS),--file /tests/$(notdir $(p))=$(p))
$(B)/initramfs.cpio: $(USER_PROGS) $(UTEST_PROGS) tools/mkinitramfs
	$(PYTHON) tools/mkinitramfs -o $@ --init $(B)/user/init $(INITRAMFS_FILES)
$(B)/initramfs-test.cpio: $(USER_PROGS) $(UTEST_PROGS) tools/mkinitramfs
	$(PYTHON) tools/mkinitramfs -o $@ --init $(B)/tests/user/runner $(INITRAMFS_FILES)

.PHONY: user user-host-test
user: $(B)/initramfs.cpio $(B)/initramfs-test.cpio
user-host-test: $(UTEST_PROGS) $(USER_PROGS)
	$(PYTHON) tools/test-matrix --only user-qemu-i386,mkinitramfs
# --- end user space ---

# --- memview: pictures of memory (tools/memview, docs/memview.md) ---
#   make memview [MEM=8192] [SMP=1]   boot at the monitor, run the workload (memdemo beside the
#       monitor, kmalloc/vmalloc/kmap), take the snapshot (build/memsnap-MEM.txt) and draw
#       build/memview.html; make memview-png: also the three PNGs docs/img/memview-*.png
#       (headless Chromium), as the README shows them
.PHONY: memview memview-png
memview: $(KERNEL) $(B)/initramfs.cpio
	$(PYTHON) tools/memview snap --mem $(MEM) --smp $(SMP) -o $(B)/memsnap-$(MEM).txt
	$(PYTHON) tools/memview $(B)/memsnap-$(MEM).txt -o $(B)/memview.html
memview-png: memview
	$(PYTHON) tools/memview $(B)/memsnap-$(MEM).txt -o $(B)/memview.html --png docs/img
# --- end memview ---
# --- swap disks (issue 16; docs/swap.md): sparse raw images formatted by util-linux's mkswap ---
#   make swap-images   build/swap-768M.img (-m 512's disk) and build/swap-1536M.img (-m 2048's);
#                      boot one with: tools/qemu-run --kernel build/kernel.elf --disk build/swap-768M.img
#                      --cmdline swapon=/dev/sda   (test-matrix copies them per job: QEMU locks an image)
MKSWAP ?= $(firstword $(wildcard /sbin/mkswap /usr/sbin/mkswap) mkswap)
SWAP_IMAGES := $(B)/swap-768M.img $(B)/swap-1536M.img
$(B)/swap-%.img: | deps
	@mkdir -p $(B)
	rm -f $@ && truncate -s $* $@ && chmod 600 $@ && $(MKSWAP) -q $@
.PHONY: swap-images
swap-images: $(SWAP_IMAGES)
test: swap-images
# --- end swap disks ---
# --- busybox: Debian's busybox-static (i386) as the user space (docs/busybox.md) ---
#   make run USERLAND=busybox   boots into busybox's sh on the serial console
#   make busybox                only build/initramfs-busybox.cpio
# tools/install-deps.sh --busybox fetches the .deb with apt-get download and extracts it into
# build/busybox/ (never installed). The archive holds /bin/busybox, /init (user/busybox/init,
# which makes the applet links with `busybox --install -s /bin`), /etc/passwd and /etc/group
# (so ps and ls name uid 0 root), /root, /tmp, and the user tests' script tests/busybox/*.sh.
BUSYBOX_FILES := --dir /etc --dir /tmp --file /bin/busybox=$(B)/busybox/busybox \
	--file /etc/passwd=user/busybox/passwd --file /etc/group=user/busybox/group \
	$(foreach f,$(wildcard tests/busybox/*.sh),--file /tests/$(notdir $(f))=$(f))
$(B)/busybox/busybox:
	@tools/install-deps.sh --busybox
$(B)/initramfs-busybox.cpio: $(B)/busybox/busybox user/busybox/init user/busybox/passwd \
		user/busybox/group $(wildcard tests/busybox/*.sh) tools/mkinitramfs
	$(PYTHON) tools/mkinitramfs -o $@ --init user/busybox/init $(BUSYBOX_FILES)
.PHONY: busybox
busybox: $(B)/initramfs-busybox.cpio
ifeq ($(USERLAND),busybox)
run: $(B)/initramfs-busybox.cpio
endif
# make test runs the busybox session (test-matrix jobs busybox-mem2048, busybox-mem8192)
test: $(B)/initramfs-busybox.cpio
# --- end busybox ---
