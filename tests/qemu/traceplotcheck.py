#!/usr/bin/env python3
"""`trace plot` on a swapping run tells the fault kinds and evictions the
pager counted (docs/tracing.md, "Plots").

Runs `tools/faultline trace run --events all --icount --mem 32M --workload
zipf`, plots it with --frames, and checks the plot's counts against the
pager's own `pager: counters:` line: every eviction marked (the pager's
unmaps), refaults at least the pager's swap-ins, refaults with disk I/O at
least its swap-ins that were not read-ahead hits, every fault of one kind,
and a PNG. Prints TAP.

  traceplotcheck.py FAULTLINE BUILD_DIR
"""
import os
import re
import subprocess
import sys
import tempfile


def main(argv):
    tool = os.path.abspath(argv[0])
    env = dict(os.environ, FAULTLINE_BUILD=os.path.abspath(argv[1]))	# this build's kernel
    results = []
    with tempfile.TemporaryDirectory(prefix="faultline-traceplot-") as tmp:
        run = subprocess.run([tool, "trace", "run", "--events", "all", "--icount", "--mem",
                              "32M", "--workload", "zipf", "-o", "z.trace"], cwd=tmp,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=600, env=env)
        counters = re.findall(r"^pager: counters: faults (\d+) \(zero-fill (\d+), swap-in (\d+)"
                              r".*evictions (\d+) .*read-ahead \d+ pages \((\d+) hits\)",
                              run.stdout, re.M)
        results.append((run.returncode == 0 and counters != [],
                        f"the traced run: exit {run.returncode}, a counters line"))
        plot = subprocess.run([tool, "trace", "plot", "--frames", "5120", "z.trace"], cwd=tmp,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=env)
        m = re.search(r"\((\d+) faults, \d+ latencies; (.*); (\d+) evictions\)", plot.stdout)
        kinds = {k: int(n) for k, n in re.findall(r"([a-z]+) (\d+)", m.group(2))} if m else {}
        png = os.path.join(tmp, "z.trace.png")
        with open(png, "rb") if os.path.exists(png) else open(os.devnull, "rb") as f:
            magic = f.read(8)
        results.append((plot.returncode == 0 and m is not None
                        and magic == b"\x89PNG\r\n\x1a\n", f"the plot: {plot.stdout.strip()}"))
        if counters and m:
            _, _, swap_ins, evictions, ra_hits = (int(x) for x in counters[-1])
            traced = int(m.group(1))
            results.append((int(m.group(3)) == evictions,
                            f"evictions marked {m.group(3)}, the pager's {evictions}"))
            results.append((sum(kinds.values()) == traced and set(kinds) <= {
                "first", "swapin", "rahit", "prot"}, f"every fault of one kind: {kinds}"))
            refaults = kinds.get("swapin", 0) + kinds.get("rahit", 0)
            results.append((refaults >= swap_ins and kinds.get("swapin", 0) >= swap_ins - ra_hits,
                            f"refaults {refaults} >= the pager's swap-ins {swap_ins}, with I/O "
                            f"{kinds.get('swapin', 0)} >= {swap_ins - ra_hits} (less "
                            f"{ra_hits} read-ahead hits)"))
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
