#!/usr/bin/env python3
"""Bad options to `tools/faultline run` end in one clear line and exit 64,
before QEMU starts (TAP). Usage: toolcheck.py FAULTLINE BUILD_DIR."""
import os
import subprocess
import tempfile
import sys

CASES = [
    (["--mem", "8M"], "is too small: QEMU cannot place the", "the smallest that boots is"),
    (["--mem", "12X"], "--mem takes a size like 128M or 2G", None),
    (["--smp", "0"], "--smp takes a number from 1 to 16", None),
    (["--swap", "lots"], "--swap takes a size", None),
    (["--frobnicate"], "unknown option '--frobnicate'", None),
    (["pager=nonexistent"], "pager=nonexistent: no such pager; the pagers are: ", " pager"),
    (["--policy", "lifo"], "unknown policy 'lifo' (clock, ", "huge"),
    (["--policy", "fifo", "pager=pager"], "--policy and 'pager=pager' both choose the pager", None),
    (["run=ptest-lazy+nonexistent"], "no program 'nonexistent' in the boot archive", "ptest-lazy"),
    (["init=nonexistent"], "no program 'nonexistent' in the boot archive", None),
    (["run="], "run=: name a program", None),
    (["--replay", "/nonexistent.ref"], "--replay: no such file '/nonexistent.ref'", None),
    (["--replay", "BAD_REF"], "--replay: sim: ", ":3: 'x': not a page number"),
    (["--replay", "BAD_REF", "run=demo"], "--replay runs wl-replay; 'run=demo'", None),
    (["--workload", "lru"], "--workload takes seq, loop, zipf, hotscan, phases or uniform", None),
    (["--workload", "zipf", "run=demo"], "--workload runs wl-zipf; 'run=demo'", None),
    (["--workload", "zipf", "frames=100"], "set frames= from --mem; 'frames=100'", None),
    (["--workload", "zipf", "--replay", "BAD_REF"], "--replay or --workload, not both", None),
]


def main(argv):
    tool, build = argv
    env = dict(os.environ, FAULTLINE_BUILD=build)
    print(f"1..{len(CASES)}")
    failed = 0
    bad = tempfile.NamedTemporaryFile("w", suffix=".ref", delete=False)
    bad.write("1\n2 W\nx\n")
    bad.close()
    for i, (args, want, also) in enumerate(CASES, 1):
        args = [bad.name if a == "BAD_REF" else a for a in args]
        p = subprocess.run([tool, "run"] + args, env=env, capture_output=True, text=True,
                           timeout=300)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        ok = (p.returncode == 64 and len(lines) == 1 and lines[0].startswith("faultline: run")
              and want in lines[0] and (also is None or also in lines[0])
              and "OpenSBI" not in p.stdout)
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - run {' '.join(args).replace(bad.name, 'BAD.ref')}")
        if not ok:
            print(f"# status {p.returncode}; stderr: {p.stderr.strip()!r}; stdout ends: "
                  f"{p.stdout[-200:]!r}")
    os.unlink(bad.name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
