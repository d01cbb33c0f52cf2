#!/usr/bin/env python3
"""The simulator against the live pager on the workload suite (docs/pager.md,
"Live and simulated").

For each POLICY:WORKLOAD given, boots Faultline on 32 MiB with a 128 MiB disk
running wl-WORKLOAD under POLICY, reads the free frames the client sized
itself by and the pager's counters line it asked for, then runs the
simulator with the pager's own tuning on as many free frames
(sim-pager* --free N --workload WORKLOAD) and prints both sides' counters;
exit status 0 when the evictions are equal. Run by hand, not in the test
suite: the client's own pages (its image, stack and bitmap), which the
simulator does not model yet, make the counters differ by a few, and at some
memory sizes the evictions by a hundred (docs/pager.md, "Live and
simulated"). Prints TAP.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SERVER = {"clock": "pager", "fifo": "pager-fifo", "aging": "pager-aging",
          "wsclock": "pager-wsclock"}
COUNTERS = re.compile(r"pager: counters: faults (\d+) \(zero-fill (\d+), swap-in (\d+), "
                      r"protection \d+\), evictions (\d+) \(write-backs (\d+), clean drops (\d+)\), "
                      r"read-ahead (\d+) pages \((\d+) hits\)")
NAMES = ("faults", "zero-fill", "swap-in", "evictions", "write-backs", "clean drops",
         "read-ahead", "read-ahead hits")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--sims", required=True, help="the directory of the sim-pager* binaries")
    p.add_argument("cases", nargs="+", metavar="POLICY:WORKLOAD")
    args = p.parse_args(argv)
    print(f"1..{len(args.cases)}")
    failed = 0
    for i, case in enumerate(args.cases, 1):
        policy, kind = case.split(":")
        h = harness.parse_args(["--qemu", args.qemu, "--kernel", args.kernel,
                                "--initrd", args.initrd, "--mem", "32M", "--blk", "modern",
                                "--disk-size", "128M", "--timeout", "400",
                                "--append", f"pager={SERVER[policy]} run=wl-{kind}"])
        _, status, out = harness.run(h)
        free = re.search(rf"^wl-{kind}: \d+ references over \d+ pages, (\d+) free frames", out,
                         re.M)
        live = COUNTERS.search(out)
        diag = []
        if status != 0 or not free or not live:
            diag.append(f"the live run: status {status}, sizing line {bool(free)}, "
                        f"counters {bool(live)}")
        else:
            sim = subprocess.run([os.path.join(args.sims, "sim-" + SERVER[policy]), "--free",
                                  free.group(1), "--workload", kind],
                                 capture_output=True, text=True)
            simc = COUNTERS.search(sim.stdout)
            if sim.returncode != 0 or not simc:
                diag.append(f"the simulator: exit {sim.returncode}: {sim.stderr.strip()}")
            else:
                pairs = list(zip(NAMES, live.groups(), simc.groups()))
                if live.group(4) != simc.group(4):
                    diag.append("evictions differ")
                diag.append("live / simulated: " + ", ".join(
                    f"{n} {a}" + ("" if a == b else f"/{b}") for n, a, b in pairs))
        ok = len(diag) == 1 and diag[0].startswith("live / simulated")
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - {policy} {kind}: evictions live = simulated "
              f"(--free {free.group(1) if free else '?'})")
        for d in diag:
            print(f"# {d}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
