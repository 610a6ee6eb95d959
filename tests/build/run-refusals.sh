#!/usr/bin/env bash
# run-refusals.sh - compile-time refusals, as TAP: each tests/build/*.c must
# fail to compile with -DREFUSE, printing its "expect:" message, and must
# compile without it (the control: the same file, correct calls). Uses the
# kernel's compiler and flags (see the Makefile), so what is refused here is
# refused in the kernel build.
set -u
cd "$(dirname "$0")/../.."
CC=${CROSS:-i686-linux-gnu-}gcc
FLAGS="-std=c11 -ffreestanding -fno-pie -m32 -march=i686 -O2 -Wall -Wextra -Werror
       -Wno-unused-parameter -Iinclude -Iarch/x86/include -c -o /dev/null"
files=(tests/build/*.c)
echo "1..$((2 * ${#files[@]}))"
n=0
for f in "${files[@]}"; do
	expect=$(sed -n 's/^ \* expect: //p' "$f")
	n=$((n + 1))
	if out=$($CC $FLAGS "$f" 2>&1); then
		echo "ok $n $f compiles without REFUSE (the control)"
	else
		echo "not ok $n $f compiles without REFUSE (the control)"
		echo "$out" | sed 's/^/# /' | head -20
	fi
	n=$((n + 1))
	if out=$($CC $FLAGS -DREFUSE "$f" 2>&1); then
		echo "not ok $n $f is refused with REFUSE"
		echo "# it compiled"
	elif [ -z "$expect" ] || ! grep -qF -- "$expect" <<<"$out"; then
		echo "not ok $n $f is refused with REFUSE"
		echo "# the compiler failed, but without the message: $expect"
		echo "$out" | sed 's/^/# /' | head -20
	elif grep "error:" <<<"$out" | grep -qvF -- "$expect"; then
		echo "not ok $n $f is refused with REFUSE"
		echo "# refused, but for another reason too:"
		grep "error:" <<<"$out" | grep -vF -- "$expect" | sed 's/^/# /' | head -10
	else
		count=$(grep -cF -- "$expect" <<<"$out")
		echo "ok $n $f is refused with REFUSE ($count refused call(s))"
	fi
done
