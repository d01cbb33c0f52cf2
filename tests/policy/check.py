#!/usr/bin/env python3
"""Check the policy simulator (tools/sim.c with each servers/pager*/main.c).

1. Known answers: every "# expect" line of the reference strings given
   (tests/policy/*.ref), from the textbooks or derived by hand, against the
   simulator and against the reference model (model.py); the simulator runs
   the pager's real core, with `--opt` and `--lru` for the yardsticks.
2. The simulator against model.py, an independent implementation from the
   textbooks, on seeded random reference strings with locality and writes, at
   several frame counts and tick rates; the comparison must reach every WSClock
   path.
3. The refusals: malformed lines (exit 64, "sim: FILE:LINE: ..." alone), bad
   options, a missing file, and `tools/faultline sim` usage errors (which stop
   before it builds anything).

Prints TAP.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import model  # noqa: E402
import policies  # noqa: E402  (tools/policies.py: whether a policy evicts)

EXPECT = re.compile(r"^# expect (\w+) --frames (\d+)(?: --scan (\d+))?: (.*)$")
FIGURE = re.compile(r"^(faults|evictions|write-backs): (\d+)$")
NAMES = ("faults", "evictions", "write-backs")
WSCLOCK_PATHS = {"old clean page", "cleaned page, second circle", "write scheduled",
                 "no clean page: the hand's", "all in the working set: oldest clean"}


def run_sim(sims, policy, frames, path, scan=None):
    """The simulator's figures as a dict, or the failure as a string."""
    cmd = [sims["clock"], f"--{policy}"] if policy in ("opt", "lru") else [sims[policy]]
    cmd += ["--frames", str(frames)] + (["--scan", str(scan)] if scan else []) + [path]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}"
    lines = p.stdout.splitlines()
    figs = [FIGURE.match(l) for l in lines]
    if len(lines) != 3 or not all(figs) or [f.group(1) for f in figs] != list(NAMES):
        return f"{' '.join(cmd)}: unexpected output {p.stdout!r}"
    return {f.group(1): int(f.group(2)) for f in figs}


def known_answers(sims, paths):
    """(ok, description, diagnostics) for every expect line of @paths."""
    results = []
    for path in paths:
        refs = model.parse(path)
        for line in open(path, encoding="utf-8"):
            m = EXPECT.match(line.rstrip("\n"))
            if not m:
                continue
            policy, frames, scan = m.group(1), int(m.group(2)), m.group(3) and int(m.group(3))
            want = dict((k, int(v)) for k, v in
                        (w.strip().rsplit(" ", 1) for w in m.group(4).split(",")))
            what = f"{os.path.basename(path)}: {line[9:].strip()}"
            figs, _ = model.simulate(policy, frames, refs, scan)
            got_model = dict(zip(NAMES, figs))
            diag = []
            if any(got_model[k] != v for k, v in want.items()):
                diag.append(f"model: {got_model}")
            got = run_sim(sims, policy, frames, path, scan)
            if isinstance(got, str) or any(got[k] != v for k, v in want.items()):
                diag.append(f"sim: {got}")
            results.append((not diag, what, diag))
    return results


def random_string(rng, length, pages):
    """A reference string with locality: phases that each use a few pages most."""
    refs = []
    while len(refs) < length:
        hot = rng.sample(range(pages), rng.randint(2, 8))
        for _ in range(rng.randint(10, 80)):
            page = rng.choice(hot) if rng.random() < 0.85 else rng.randrange(pages)
            refs.append((page * 7 + 1000, rng.random() < 0.3))
    return refs[:length]


def against_model(sims, tmp):
    """(ok, description, diagnostics) per policy: sim == model on random strings."""
    rng = random.Random(1981)
    strings = []
    for n, (length, pages) in enumerate([(400, 12), (1500, 40), (3000, 64)] * 2):
        path = os.path.join(tmp, f"random{n}.ref")
        refs = random_string(rng, length, pages)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"{p}{' W' if w else ''}\n" for p, w in refs)
        strings.append((path, refs))
    results = []
    for policy in [p for p in sims] + ["opt", "lru"]:
        if not hasattr(model.Machine, "victim_" + policy):	# a policy it does not know
            results.append((True, f"{policy}: no independent model to agree with # SKIP", []))
            continue
        diag, runs, paths = [], 0, set()
        for path, refs in strings:
            for frames in (1, 2, 3, 5, 8, 13, 21):
                for scan in ((None, 1, 2, 7) if policy in ("aging", "mglru") else (None,)):
                    figs, branches = model.simulate(policy, frames, refs, scan)
                    paths |= branches
                    got = run_sim(sims, policy, frames, path, scan)
                    runs += 1
                    if got != dict(zip(NAMES, figs)):
                        diag.append(f"{os.path.basename(path)} --frames {frames} --scan {scan}: "
                                    f"sim {got}, model {figs}")
        if policy == "wsclock" and paths != WSCLOCK_PATHS:
            diag.append(f"WSClock paths not reached: {sorted(WSCLOCK_PATHS - paths)}")
        results.append((not diag, f"{policy}: the simulator agrees with the model in {runs} runs "
                        "on random strings", diag[:10]))
    return results


def refused(cmd, status, pattern, env=None, one_line=False):
    """(ok, diagnostics): @cmd exits @status, prints nothing on stdout and a
    first stderr line matching @pattern (the only one, with @one_line)."""
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    lines = p.stderr.splitlines()
    ok = (p.returncode == status and not p.stdout and lines and re.match(pattern, lines[0])
          and (len(lines) == 1 or not one_line))
    return bool(ok), [f"command: {' '.join(cmd)}", f"exit {p.returncode}",
                      f"stdout: {p.stdout!r}", f"stderr: {p.stderr!r}"]


BAD_LINES = [
    ("7\nx\n", 2, "'x': not a page number"),
    ("7 R\n", 1, "'R': only W"),
    ("1\n\n# comment\n3 W W\n", 4, "'W': nothing may follow W"),
    ("-1\n", 1, "'-1': not a page number"),
    ("0x10\n", 1, "'0x10': not a page number"),
    ("1\n\0 2\n", 2, "'\\0': a NUL byte in the line"),
    ("99999999999999999999999\n", 1, "'99999999999999999999999': page number too large"),
]


def refusals(sims, faultline, tmp):
    """(ok, description, diagnostics) for each malformed input and bad option."""
    results = []
    sim = sims["fifo"]
    for n, (text, line, why) in enumerate(BAD_LINES):
        path = os.path.join(tmp, f"bad{n}.ref")
        open(path, "w", encoding="utf-8").write(text)
        ok, diag = refused([sim, "--frames", "3", path], 64,
                           re.escape(f"sim: {path}:{line}: {why}") + ".*$", one_line=True)
        results.append((ok, f"malformed line {text!r}: exit 64, sim: FILE:{line}: {why}", diag))
    good = os.path.join(tmp, "good.ref")
    open(good, "w", encoding="utf-8").write("  7 W   # a write\n\n# a comment\n8\t\n7\n")
    got = run_sim(sims, "fifo", 1, good)
    results.append((got == {"faults": 3, "evictions": 2, "write-backs": 1},
                    "blank lines, comments, tabs and W accepted", [f"got {got}"]))
    for args, status, pattern in [
            (["--frames", "0", good], 64, r"sim: --frames takes a number from 1 to 16777216, not '0'"),
            (["--frames", "3"], 64, r"sim: which reference string\?"),
            ([good], 64, r"sim: how many frames\?"),
            (["--frames", "3", "--scan", "x", good], 64, r"sim: --scan takes a number"),
            (["--frames", "3", "--bogus", good], 64, r"sim: unknown option '--bogus'"),
            (["--frames", "3", good, good], 64, r"sim: one reference string at a time"),
            (["--frames", "3", os.path.join(tmp, "missing.ref")], 66, r"sim: .*missing\.ref: "),
            (["--frames", "3", "--workload", "nope"], 64, r"sim: --workload takes seq, loop, "),
            (["--frames", "3", "--workload", "loop", good], 64, r"sim: a FILE or --workload, not both"),
            (["--mem", "32", good], 64, r"sim: a size like 32M or 2G \(1M to 1024G\) after '--mem'"),
            (["--frames", "3", "--workload", "zipf", "--skew", "3.5"], 64,
             r"sim: --skew takes a number from 0\.1 to 3"),
            (["--frames", "3", "--workload", "seq", "--skew", "1"], 64,
             r"sim: --skew is zipf's"),
            (["--frames", "3", "--workload", "zipf+loop+seq+seq+seq"], 64,
             r"sim: --workload takes .* or 2 to 4 of them joined by '\+'"),
            (["--mem", "32M", "--image", good, "--workload", "zipf+loop"], 64,
             r"sim: --image runs one program"),
            (["--mem", "0M", good], 64, r"sim: a size like 32M"),
            (["--frames", "3", "--image", good, good], 64,
             r"sim: --image runs with the pager's own tuning: give --free N"),
            (["--mem", "32M", "--image", good, good], 64, r"sim: .*good\.ref: shorter than an ELF header"),
            (["--mem", "32M", "--image", os.path.join(tmp, "missing.elf"), good], 66,
             r"sim: cannot read .*missing\.elf: "),
    ]:
        ok, diag = refused([sim] + args, status, pattern)
        results.append((ok, f"sim {' '.join(a if a != good else 'FILE' for a in args)}: "
                        f"exit {status}", diag))
    env = dict(os.environ, FAULTLINE_BUILD=os.path.join(tmp, "never-built"))
    for args, pattern in [
            (["--policy", "nope", "--frames", "3", good],
             r"faultline: sim: unknown policy 'nope' \(clock, .*wsclock.*, or the "
             r"yardsticks opt, lru\)"),
            (["--policy", "fifo", "--frames", "0", good], r"faultline: sim: --frames takes"),
            (["--policy", "fifo", good],
             r"faultline: sim: --frames N, --free N or --mem SIZE is required"),
            (["--policy", "fifo", "--mem", "32", good], r"faultline: sim: --mem takes a size like"),
            (["--policy", "fifo", "--mem", "32M", "--frames", "3", good],
             r"faultline: sim: --frames, --free or --mem, once"),
            (["--frames", "3", good], r"faultline: sim: --policy NAME is required"),
            (["--policy", "fifo", "--frames", "3", "--workload", "nope", good],
             r"faultline: sim: --workload takes seq, loop, zipf"),
            (["--policy", "fifo", "--frames", "3", "--workload", "seq", "--skew", "1", good],
             r"faultline: sim: --skew is zipf's"),
            (["--policy", "fifo", "--frames", "3", "--workload", "zipf", "--skew", "0.05", good],
             r"faultline: sim: --skew takes a number from 0\.1 to 3"),
    ]:
        ok, diag = refused(["bash", faultline, "sim"] + args, 64, pattern, env)
        ok = ok and not os.path.exists(env["FAULTLINE_BUILD"])
        results.append((ok, f"tools/faultline sim {' '.join(args[:-1])} FILE: usage error 64, "
                        "nothing built", diag))
    return results


def workloads(sims):
    """(ok, description, diagnostics): the workload suite's generators run
    through the real core with every policy (each run checks every page's
    data, exit 0), and what the suite is for shows: on `loop` (a loop 1/8
    larger than memory) LRU and FIFO fault on every reference and OPT, after
    the first turn, on about one in nine; on `hotscan` OPT faults least."""
    results = []
    frames = 64
    figs = {}
    for kind in ("seq", "loop", "zipf", "hotscan", "phases", "uniform"):
        diag = []
        for policy in [p for p in sims] + ["opt", "lru"]:
            cmd = ([sims["clock"], f"--{policy}"] if policy in ("opt", "lru")
                   else [sims[policy]]) + ["--frames", str(frames), "--workload", kind]
            p = subprocess.run(cmd, capture_output=True, text=True)
            got = dict(FIGURE.match(l).groups() for l in p.stdout.splitlines()
                       if FIGURE.match(l))
            if p.returncode != 0 or len(got) != 3:
                diag.append(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
                continue
            figs[kind, policy] = int(got["faults"])
        results.append((not diag, f"--workload {kind}: every policy, every page's data held", diag))
    loop_refs = 4 * (frames + frames // 8)
    want = [("loop", "lru", loop_refs), ("loop", "fifo", loop_refs)]
    diag = [f"{k} {p}: {figs.get((k, p))} faults, want {n}" for k, p, n in want
            if figs.get((k, p)) != n]
    if not figs.get(("loop", "opt")) or figs[("loop", "opt")] * 2 > loop_refs:
        diag.append(f"loop opt: {figs.get(('loop', 'opt'))} faults, want under {loop_refs // 2}")
    if any(figs.get(("hotscan", p), 0) < figs.get(("hotscan", "opt"), 1 << 62)
           for p in list(sims) + ["lru"]):
        diag.append(f"hotscan: a policy beat OPT: {[(p, figs.get(('hotscan', p))) for p in ('opt', 'lru', 'clock')]}")
    results.append((not diag, "--workload loop: LRU and FIFO fault on every reference, OPT on under half; "
                    "hotscan: OPT least", diag))

    def faults(policy, *args):
        cmd = ([sims["clock"], f"--{policy}"] if policy in ("opt", "lru")
               else [sims[policy]]) + ["--frames", "256"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True)
        got = dict(FIGURE.match(l).groups() for l in p.stdout.splitlines() if FIGURE.match(l))
        return (int(got["faults"]) if p.returncode == 0 and len(got) == 3 else None,
                f"{' '.join(cmd)}: exit {p.returncode} {p.stderr.strip()}")

    # zipf's skew: the more skewed, the fewer pages matter and the fewer faults
    diag, last = [], None
    for skew in ("0.3", "1", "2"):
        n, why = faults("fifo", "--workload", "zipf", "--skew", skew)
        if n is None or (last is not None and n >= last):
            diag.append(f"skew {skew}: {n} faults after {last}: {why}")
        last = n
    results.append((not diag, "--workload zipf --skew: faults fall as the skew grows (0.3, 1, 2)",
                    diag))
    # a mix: one client each, their data held; OPT beats FIFO beats nothing
    diag = []
    mixed = {pol: faults(pol, "--workload", "zipf+loop+phases") for pol in ("fifo", "opt", "lru")}
    alone = [faults("fifo", "--workload", k)[0] for k in ("zipf", "loop", "phases")]
    if any(n is None for n, _ in mixed.values()) or None in alone:
        diag += [why for n, why in mixed.values() if n is None] + [f"alone: {alone}"]
    elif not mixed["opt"][0] < mixed["fifo"][0] or mixed["fifo"][0] <= max(alone):
        diag.append(f"mix: {dict((k, v[0]) for k, v in mixed.items())}, alone {alone}")
    results.append((not diag, "--workload zipf+loop+phases: three clients, every page's data held, "
                    "more faults than any alone under FIFO, fewer under OPT", diag))
    return results


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sim", action="append", default=[], metavar="POLICY=BINARY",
                   help="the simulator binary of a policy (fifo, clock, aging, wsclock)")
    p.add_argument("--faultline", required=True, help="tools/faultline")
    p.add_argument("refs", nargs="+", help="reference strings with # expect lines")
    args = p.parse_args(argv)
    # every policy the build has (not a list of ours), but one that evicts
    # nothing (pager-huge) has no victims to check
    sims = {name: exe for name, exe in (s.split("=", 1) for s in args.sim)
            if policies.evicts(exe)}
    with tempfile.TemporaryDirectory(prefix="faultline-policy-") as tmp:
        results = (known_answers(sims, args.refs) + against_model(sims, tmp)
                   + workloads(sims) + refusals(sims, args.faultline, tmp))
    print(f"1..{len(results)}")
    for i, (ok, what, diag) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
        if not ok:
            for d in diag:
                print(f"# {d}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
