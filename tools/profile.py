#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""profile: where the instructions of one benchmark operation go, per function.

Boots Faultline under QEMU with -icount shift=0,sleep=off -smp 1 -singlestep
-d exec,nochain, so that QEMU logs every instruction it executes (one
translation block per instruction, no chaining). The log streams through a
FIFO; this script finds the benchmark's operation in it and stops QEMU:
  1. the benchmark program calls point_<NAME> before each timed operation
     (tests/bench/point.c); the operation after the --skip'th such call is
     taken (warm-up passed);
  2. counting starts at the next rdinstret of the benchmark program (the t0
     read) and stops before the one after (the t1 read): exactly the
     instructions the benchmark's figure counts.
Each address is charged to the function holding it: kernel addresses to the
kernel ELF, addresses inside the benchmark ELF's text to it, the others to
the --other ELF (the pager, or bench-echo). The benchmark programs are linked
at 0x1000000 so that their addresses and the pager's never meet.

QEMU 7.2's gdbstub cannot do this: a single step over ecall or a faulting load
runs the whole trap handler as one step.

usage: profile.py --qemu Q --kernel ELF --initrd CPIO --bench ELF [--other ELF]
                  --name BENCHMARK [--skip N] [--mem SIZE] [--append ARGS]
"""
import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile

LOG = re.compile(rb"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")


class Symbols:
    """Function symbols of one ELF, for address -> name."""

    def __init__(self, objdump_prefix, path, label):
        self.label = label
        out = subprocess.run([objdump_prefix + "nm", "-n", "--defined-only", path],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW" and not parts[2].startswith("."):
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])
        d = subprocess.run([objdump_prefix + "objdump", "-h", path], stdout=subprocess.PIPE,
                           text=True, check=True).stdout
        m = re.search(r"\.text\s+([0-9a-f]+)\s+([0-9a-f]+)", d)
        size, vma = (int(m[1], 16), int(m[2], 16)) if m else (0, 0)
        self.text = (vma, vma + size)

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else hex(pc)

    def find(self, objdump_prefix, path, mnemonic):
        """The addresses of every @mnemonic instruction in the ELF."""
        out = subprocess.run([objdump_prefix + "objdump", "-d", path], stdout=subprocess.PIPE,
                             text=True, check=True).stdout
        return {int(l.split(":")[0], 16) for l in out.splitlines()
                if re.search(r"\t" + mnemonic + r"(\t|$)", l)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--cross", default="riscv64-unknown-elf-")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--bench", required=True, help="the benchmark program's ELF")
    p.add_argument("--other", help="the other user program's ELF (pager, bench-echo)")
    p.add_argument("--name", required=True, help="the benchmark (point_NAME in --bench)")
    p.add_argument("--skip", type=int, default=3, help="operations to let pass first")
    p.add_argument("--mem", default="128M")
    p.add_argument("--append", default="")
    p.add_argument("--top", type=int, default=40, help="functions to list")
    a = p.parse_args()

    kern = Symbols(a.cross, a.kernel, "kernel")
    bench = Symbols(a.cross, a.bench, os.path.basename(a.bench).removesuffix(".elf"))
    other = Symbols(a.cross, a.other, os.path.basename(a.other).removesuffix(".elf")) if a.other else None
    try:
        point = bench.addrs[bench.names.index("point_" + a.name)]
    except ValueError:
        print(f"profile: {a.bench} has no point_{a.name}: not a benchmark it runs", file=sys.stderr)
        return 64
    reads = bench.find(a.cross, a.bench, "rdinstret")
    # A faulting instruction is logged but does not retire (it runs again
    # after the fault is served): it is not counted. ecall retires in QEMU.
    ecalls = bench.find(a.cross, a.bench, "ecall")
    if a.other:
        ecalls |= other.find(a.cross, a.other, "ecall")
    vector = kern.addrs[kern.names.index("trap_vector")]
    faulted = 0

    def where(pc):
        if pc >> 63:
            return kern.label, kern.name(pc)
        if bench.text[0] <= pc < bench.text[1]:
            return bench.label, bench.name(pc)
        if other:
            return other.label, other.name(pc)
        return "user", hex(pc)

    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "exec.log")
        os.mkfifo(fifo)
        cmd = [a.qemu, "-machine", "virt", "-nographic", "-bios", "default", "-m", a.mem,
               "-smp", "1", "-icount", "shift=0,sleep=off", "-seed", "1", "-singlestep",
               "-d", "exec,nochain",
               "-D", fifo, "-kernel", a.kernel, "-initrd", a.initrd, "-monitor", "none",
               "-serial", "file:" + os.path.join(tmp, "console.log"),
               "-semihosting-config", "enable=on,target=native",
               "-append", (a.append + " trace_out=semihost trace_file=/dev/null").strip()]
        q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        hits, state, counted = 0, "point", []
        with open(fifo, "rb") as log:
            for line in log:
                m = LOG.match(line)
                if not m:
                    continue
                pc = int(m[1], 16)
                if state == "point":
                    if pc == point:
                        hits += 1
                        if hits > a.skip:
                            state = "t0"
                elif state == "t0":
                    if pc in reads:
                        state = "count"
                        counted.append(pc)
                elif pc in reads:
                    state = "done"
                    break
                else:
                    if pc == vector and not counted[-1] >> 63 and counted[-1] not in ecalls:
                        counted.pop()
                        faulted += 1
                    counted.append(pc)
        q.kill()
        q.wait()
        if state != "done":
            print(f"profile: the run ended before an operation of {a.name} was seen "
                  f"(point_{a.name} reached {hits} times; console in the log above)",
                  file=sys.stderr)
            sys.stderr.write(open(os.path.join(tmp, "console.log"), errors="replace").read()[-2000:])
            return 65
    per_fn, per_image = {}, {}
    for pc in counted:
        img, fn = where(pc)
        per_fn[(img, fn)] = per_fn.get((img, fn), 0) + 1
        per_image[img] = per_image.get(img, 0) + 1
    total = len(counted)
    print(f"{a.name}: {total} instructions in operation {a.skip + 1} "
          f"(rdinstret to rdinstret, as the benchmark counts; {faulted} faulting "
          f"instruction{'s' if faulted != 1 else ''} not counted: they did not retire)")
    print("  by image: " + ", ".join(f"{k} {v}" for k, v in sorted(per_image.items(), key=lambda kv: -kv[1])))
    print(f"  {'instructions':>12} {'share':>6}  function")
    for (img, fn), n in sorted(per_fn.items(), key=lambda kv: -kv[1])[:a.top]:
        print(f"  {n:>12} {100 * n / total:>5.1f}%  {img}: {fn}")
    if len(per_fn) > a.top:
        rest = sum(n for _, n in sorted(per_fn.items(), key=lambda kv: -kv[1])[a.top:])
        print(f"  {rest:>12} {100 * rest / total:>5.1f}%  ({len(per_fn) - a.top} more functions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
