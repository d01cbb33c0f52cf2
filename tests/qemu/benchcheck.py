#!/usr/bin/env python3
"""Run the benchmark programs' quick builds and check what tools/faultline
bench makes of them (tools/benchtable.py). Figures are never judged against
their targets; what is checked can fail all the same: every benchmark reports
with its iteration count, min <= mean <= max, a traced path costs more than
the untraced one, two runs give the same figures (-icount is exact), the JSON
has one object per benchmark with the fields the issue names, and a log that
lacks a benchmark is refused (exit 65, naming it). Prints TAP.
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile

# name -> iterations in the -quick builds (tests/bench/bench.h, pager.c)
QUICK = {
    "syscall_null": 8, "ipc_call_reply": 8, "fault_roundtrip": 8, "fault_roundtrip_traced": 8,
    "fault_zero_fill": 32, "fault_zero_fill_traced": 32, "fault_scaling_1k": 16,
    "fault_scaling_16k": 16, "fault_scaling_128k": 16, "pager_buddy_alloc_free": 128,
    "boot_to_init": 1,
}

results = []


def ok(cond, what):
    results.append(bool(cond))
    print(f"{'ok' if cond else 'not ok'} {len(results)} - {what}")
    return cond


def boot(args, mem, kargs, log):
    cmd = [args.qemu, "-machine", "virt", "-nographic", "-bios", "default", "-m", mem,
           "-smp", "1", "-icount", "shift=0,sleep=off", "-seed", "1",
           "-kernel", os.path.abspath(args.kernel),
           "-initrd", os.path.abspath(args.initrd), "-monitor", "none", "-serial", "stdio",
           "-semihosting-config", "enable=on,target=native",
           "-append", kargs + " trace_out=semihost trace_file=/dev/null"]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    text = p.stdout.decode(errors="replace")
    with open(log, "w") as f:
        f.write(text)
    ok(p.returncode == 0, f"'{kargs}' exits 0 (status {p.returncode})")
    return text


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--table", required=True, help="tools/benchtable.py")
    p.add_argument("--profile", help="tools/profile.py: also check its count")
    p.add_argument("--bench-elf", help="bench-quick.elf, for --profile")
    p.add_argument("--echo-elf", help="bench-echo.elf, for --profile")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        klog, plog = os.path.join(tmp, "kernel.log"), os.path.join(tmp, "pager.log")
        first = boot(args, "128M", "init=bench-quick", klog)
        boot(args, "128M", "run=bench-pager-quick", plog)
        again = boot(args, "128M", "init=bench-quick", os.path.join(tmp, "again.log"))
        lines = lambda t: [l for l in t.splitlines() if l.startswith("bench: ") and " mean " in l]
        if not ok(lines(first) and lines(first) == lines(again),
                  "two runs under -icount give the same figures"):
            # what differs, whole logs: the figures, or what came between them
            for d in list(difflib.unified_diff(first.splitlines(), again.splitlines(),
                                               "first", "again", lineterm=""))[:60]:
                print("# " + d)
        out = os.path.join(tmp, "b.json")
        t = subprocess.run([sys.executable, args.table, "--json", out, klog, plog],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print("# " + t.stdout.replace("\n", "\n# "))
        ok(t.returncode == 0, f"benchtable accepts the two logs (exit {t.returncode})")
        figs = json.load(open(out)) if os.path.exists(out) else []
        by = {f.get("name"): f for f in figs}
        ok(sorted(by) == sorted(QUICK) and len(figs) == len(QUICK),
           f"the JSON has one object per benchmark ({len(figs)})")
        for name, n in QUICK.items():
            f = by.get(name, {})
            ok(set(f) == {"name", "unit", "mean", "min", "max", "iterations"}
               and f["unit"] == "instructions" and f["iterations"] == n
               and 0 < f["min"] <= f["mean"] <= f["max"],
               f"{name}: {n} iterations, 0 < min <= mean <= max ({f})")
        for traced in ("fault_roundtrip", "fault_zero_fill"):
            a, b = by.get(traced + "_traced", {}), by.get(traced, {})
            ok(a and b and a["mean"] > b["mean"], f"{traced}: tracing costs instructions")
        ok(by.get("fault_zero_fill", {}).get("mean", 0) > by.get("fault_roundtrip", {}).get("mean", 1 << 60),
           "a zero-fill through the pager costs more than the bare fault round trip")
        cut = os.path.join(tmp, "cut.log")
        with open(cut, "w") as f:
            f.write("".join(l + "\n" for l in open(plog).read().splitlines()
                            if not l.startswith("bench: fault_scaling_16k")))
        t = subprocess.run([sys.executable, args.table, klog, cut],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ok(t.returncode == 65 and "fault_scaling_16k" in t.stderr,
           f"a log without fault_scaling_16k is refused, naming it (exit {t.returncode})")
        if args.profile:
            # the per-function profile counts exactly what the benchmark counts
            want = by.get("fault_roundtrip", {})
            t = subprocess.run([sys.executable, args.profile, "--qemu", args.qemu, "--kernel",
                                args.kernel, "--initrd", args.initrd, "--bench", args.bench_elf,
                                "--other", args.echo_elf, "--name", "fault_roundtrip",
                                "--append", "init=bench-quick", "--top", "1000"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            print("# " + t.stdout.replace("\n", "\n# "))
            m = re.match(r"fault_roundtrip: (\d+) instructions", t.stdout)
            fns = [int(l.split()[0]) for l in t.stdout.splitlines()[3:] if l.strip()]
            ok(t.returncode == 0 and m and want and int(m[1]) == want["min"] == want["max"],
               f"profile counts fault_roundtrip's {want.get('min')} instructions exactly")
            ok(m and sum(fns) == int(m[1]) and any("kernel: trap_user" in l for l in t.stdout.splitlines()),
               "the per-function counts add up to the total and name the kernel's fault entry")
        t = subprocess.run([sys.executable, args.table], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        ok(t.returncode == 64 and "usage" in t.stderr, "no log: usage, exit 64")
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
