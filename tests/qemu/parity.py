#!/usr/bin/env python3
"""The simulator predicts the live pager, counter for counter (issue 15;
docs/pager.md, "Live and simulated").

For each POLICY:WORKLOAD given (WORKLOAD one of the suite's, zipf:N for
zipf with skew N/100, or replay: a seeded reference string played by
wl-replay), boots Faultline as
`tools/faultline run --mem MEM --swap SWAP --policy POLICY --workload
WORKLOAD` does (the boot argument frames= from `sim-pager --frames-for
MEM`, which `run` asks too), and runs the simulator as `tools/faultline sim
--mem MEM --swap SWAP` does, over the same program's image (wl-WORKLOAD.elf).
A case passes when the live client read back every word and the pager's
`pager: counters:` line is the same on both sides: faults by kind,
evictions, write-backs, clean drops, read-ahead and its hits, I/O requests
and sectors. Prints TAP, with both lines and the counters that differ for a
failure; exit status 1 if any failed. --all runs every policy on every
workload and on replay (docs/pager.md has that table).
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import policies  # noqa: E402  (the policy names and their servers)

SERVER = {}	# policy name -> pager server, every one of the build that evicts (main)
WORKLOADS = ("seq", "loop", "zipf", "hotscan", "phases", "uniform", "replay")
COUNTERS = re.compile(r"^pager: counters: .*$", re.M)
NAMES = ("faults", "zero-fill", "swap-in", "protection", "evictions", "write-backs",
         "clean drops", "read-ahead", "read-ahead hits", "I/O requests", "I/O sectors",
         "I/O errors", "out-of-memory kills", "ended mid-fault", "parked")


def replay_file(path, seed=15):
    """A reference string of 30,000 references over 12,000 pages (half of
    them skewed to low page numbers, 30% writes) into @path: larger than 32
    MiB of memory, so that it swaps."""
    rnd = random.Random(seed)
    with open(path, "w") as f:
        f.write("# tests/qemu/parity.py: seeded, skewed, 30% writes\n")
        for _ in range(30000):
            hot = rnd.random() < 0.5
            page = int(rnd.paretovariate(0.8)) % 12000 if hot else rnd.randrange(12000)
            f.write(f"{page}{' W' if rnd.random() < 0.3 else ''}\n")


def differences(live, sim):
    """The counters of two counters lines that differ, as text."""
    a, b = re.findall(r"\d+", live), re.findall(r"\d+", sim)
    return ", ".join(f"{n} {x} live, {y} simulated"
                     for n, x, y in zip(NAMES, a, b) if x != y) or "the lines differ"


def case(args, frames, policy, kind, tmp):
    """Run one case: a list of diagnostics, empty when it passed."""
    kind, _, skew = kind.partition(":")	# zipf:N: skew N hundredths (wl-zipf:N)
    initrd, sim_input = args.initrd, ["--workload", kind]
    program = "wl-" + kind
    if skew:
        sim_input += ["--skew", f"{int(skew) / 100:.2f}"]
    if kind == "replay":
        ref = args.ref or os.path.join(tmp, "parity.ref")
        if not args.ref:
            replay_file(ref)
        initrd = os.path.join(tmp, "replay.cpio")
        subprocess.run([args.mkcpio, "-o", initrd, "-a", args.initrd, "replay.ref=" + ref],
                       check=True)
        sim_input = [ref]
    h = harness.parse_args(["--qemu", args.qemu, "--kernel", args.kernel, "--initrd", initrd,
                            "--mem", args.mem, "--blk", "modern", "--disk-size", args.swap,
                            "--timeout", str(args.timeout), "--append",
                            f"pager={SERVER[policy]} run={program}{':' + skew if skew else ''} "
                            f"frames={frames}"])
    _, status, out = harness.run(h)
    out = out.replace("\r", "")
    live = COUNTERS.search(out)
    diag = []
    if status != 0 or not live or not re.search(rf"^{program}: \d+ references, 0 wrong$", out,
                                                re.M):
        diag.append(f"the live run: status {status}, counters line {bool(live)}, "
                    f"every word read back {bool(re.search(r' 0 wrong$', out, re.M))}")
        diag += [line for line in out.splitlines() if line.startswith(("pager:", program))][-6:]
        return diag
    sim = subprocess.run([os.path.join(args.sims, "sim-" + SERVER[policy]), "--mem", args.mem,
                          "--swap", args.swap, "--image", os.path.join(args.images,
                                                                      program + ".elf")]
                         + sim_input, capture_output=True, text=True)
    simc = COUNTERS.search(sim.stdout)
    if sim.returncode != 0 or not simc:
        return [f"the simulator: exit {sim.returncode}: {sim.stderr.strip()}"]
    if live.group(0) != simc.group(0):
        return [differences(live.group(0), simc.group(0)), "live: " + live.group(0),
                "sim:  " + simc.group(0)]
    return []


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--sims", required=True, help="the directory of the sim-pager* binaries")
    p.add_argument("--images", required=True, help="the directory of the wl-*.elf programs")
    p.add_argument("--mkcpio", required=True)
    p.add_argument("--mem", default="32M")
    p.add_argument("--swap", default="256M")
    p.add_argument("--timeout", type=int, default=400)
    p.add_argument("--all", action="store_true", help="every policy on every workload")
    p.add_argument("--each-policy", metavar="WORKLOAD",
                   help="every policy the build has that evicts, on WORKLOAD (the generic "
                   "check a new policy gets without being listed)")
    p.add_argument("--ref", help="the replay cases play this reference string instead of the "
                   "seeded one (a tools/faultline reftrace file, say)")
    p.add_argument("cases", nargs="*", metavar="POLICY:WORKLOAD")
    args = p.parse_args(argv)
    SERVER.update(policies.evicting(args.sims))
    cases = [c.split(":") for c in args.cases]
    if args.all:
        cases = [[pol, k] for k in WORKLOADS for pol in SERVER]
    if args.each_policy:
        cases += [[pol] + args.each_policy.split(":") for pol in SERVER]
    cases = [[c[0], ":".join(c[1:])] for c in cases]
    for c in cases:
        if (len(c) != 2 or c[0] not in SERVER or c[1].partition(":")[0] not in WORKLOADS
                or not re.fullmatch(r"[a-z]+|zipf:\d+", c[1])):
            p.error(f"not a case: {':'.join(c)} (POLICY:WORKLOAD, e.g. clock:zipf or "
                    "clock:zipf:80, skew 0.8)")
    if not cases:
        p.error("no cases (POLICY:WORKLOAD..., --each-policy WORKLOAD or --all)")
    frames = subprocess.run([os.path.join(args.sims, "sim-pager"), "--frames-for", args.mem],
                            capture_output=True, text=True, check=True).stdout.strip()
    print(f"1..{len(cases)}")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="faultline-parity-") as tmp:
        for i, (policy, kind) in enumerate(cases, 1):
            diag = case(args, frames, policy, kind, tmp)
            failed += bool(diag)
            print(f"{'not ok' if diag else 'ok'} {i} - {policy} {kind}: the same counters live "
                  f"and simulated (--mem {args.mem}, frames={frames})")
            for d in diag:
                print(f"# {d}")
            sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
