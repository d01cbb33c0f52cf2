#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""benchtable: turn the benchmark programs' "bench: NAME mean .. min .. max ..
(N iterations, instructions)" lines into tools/faultline bench's table, with
the targets of issue 6, and optionally a JSON file: a list with one object per
benchmark, {"name", "unit", "mean", "min", "max", "iterations"}. With --harts,
the second table instead: the default demo's logs at N harts (each ending with
bench's "bench: wall-clock ns T" line), its evictions and the kernel's remote
TLB fences and IPIs.

usage: benchtable.py [--json FILE] LOG...
       benchtable.py --harts N:LOG...
Exit 0, or 65 when a log holds no figures or a benchmark is missing."""
import json
import re
import sys

# The benchmarks, in the order of the table, with their targets (instructions;
# None: no target of its own).
BENCHMARKS = [
    ("syscall_null", 100),
    ("ipc_call_reply", 400),
    ("fault_roundtrip", 500),
    ("fault_roundtrip_traced", None),
    ("fault_zero_fill", 1200),
    ("fault_zero_fill_traced", None),
    ("fault_scaling_1k", None),
    ("fault_scaling_16k", None),
    ("fault_scaling_128k", None),
    ("pager_buddy_alloc_free", 80),
    ("boot_to_init", None),
]
LINE = re.compile(r"^bench: (\S+) +mean +(\d+) +min +(\d+) +max +(\d+) +\((\d+) iterations")


EVICTED = re.compile(r"^pager: demo exited.* (\d+) pages evicted", re.M)
FENCES = re.compile(r"^Faultline: remote TLB fences (\d+) \(to (\d+) harts; (\d+) deferred "
                    r"into them\), remote fence\.i \d+, IPIs (\d+)", re.M)
WALL = re.compile(r"^bench: wall-clock ns (\d+)", re.M)


def harts_table(runs):
    """The demo by harts from @runs, "N:LOG" each; 0, or 65 if a log lacks a line."""
    print("the default demo (tools/faultline run) by harts: wall-clock (noisy) and what the")
    print("harts asked of each other (remote TLB fences per 1,000 evictions: goal <= 20)")
    print(f"{'harts':>5} {'seconds':>8} {'evictions':>10} {'fences':>8} {'per 1,000':>10} "
          f"{'to harts':>9} {'deferred':>9} {'IPIs':>7}")
    for run in runs:
        n, _, path = run.partition(":")
        with open(path, errors="replace") as f:
            text = f.read()
        ev, rf, ns = EVICTED.findall(text), FENCES.findall(text), WALL.findall(text)
        if not ev or not rf or not ns:
            print(f"benchtable: {path}: no demo counters", file=sys.stderr)
            return 65
        e = int(ev[-1])
        f, h, d, i = map(int, rf[-1])
        print(f"{n:>5} {int(ns[-1]) / 1e9:>8.2f} {e:>10,} {f:>8,} {f * 1000 / max(e, 1):>10.1f} "
              f"{h:>9,} {d:>9,} {i:>7,}")
    return 0


def main(argv):
    if argv[:1] == ["--harts"]:
        return harts_table(argv[1:])
    out = None
    if len(argv) >= 2 and argv[0] == "--json":
        out, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    got = {}
    for path in argv:
        with open(path, errors="replace") as f:
            for line in f:
                m = LINE.match(line.strip())
                if m:
                    got[m[1]] = dict(name=m[1], unit="instructions", mean=int(m[2]),
                                     min=int(m[3]), max=int(m[4]), iterations=int(m[5]))
    missing = [n for n, _ in BENCHMARKS if n not in got]
    print(f"{'benchmark':<24} {'mean':>9} {'min':>9} {'max':>9} {'iterations':>10}  target")
    for name, target in BENCHMARKS:
        if name not in got:
            print(f"{name:<24} {'-':>9} {'-':>9} {'-':>9} {'-':>10}  (did not report)")
            continue
        r = got[name]
        note = ""
        if target is not None:
            note = f"<= {target}: " + ("met" if r["mean"] <= target else "missed")
        print(f"{name:<24} {r['mean']:>9} {r['min']:>9} {r['max']:>9} {r['iterations']:>10}  {note}")
    ratios = [("fault_zero_fill_traced", "fault_zero_fill", 1.05),
              ("fault_scaling_128k", "fault_scaling_1k", 1.25)]
    for a, b, target in ratios:
        if a in got and b in got and got[b]["mean"]:
            x = got[a]["mean"] / got[b]["mean"]
            print(f"{a} / {b} = {x:.3f}  (target <= {target}: {'met' if x <= target else 'missed'})")
    if out:
        with open(out, "w") as f:
            json.dump([got[n] for n, _ in BENCHMARKS if n in got], f, indent=1)
            f.write("\n")
    if missing:
        print("benchtable: no figure from " + ", ".join(missing), file=sys.stderr)
        return 65
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
