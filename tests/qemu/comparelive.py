#!/usr/bin/env python3
"""`tools/faultline compare --live` boots a cell per policy and workload and
agrees with `compare --mem`, the simulator, on every counter; its
instructions column is the kernel's count (docs/pager.md, "Comparing
policies"). Prints TAP.

  comparelive.py FAULTLINE BUILD_DIR
"""
import json
import os
import subprocess
import sys

COUNTERS = ("references", "faults", "evictions", "write-backs", "swap-ins", "read-ahead hits",
            "I/O requests")


def compare(tool, env, *extra):
    p = subprocess.run([tool, "compare", "--mem", "32M", "--workloads", "zipf,loop",
                        "--policies", "clock,s3fifo,clockpro", "--json", *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                       timeout=1200)
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except ValueError:
        return p.returncode, [], p.stderr


def main(argv):
    tool = os.path.abspath(argv[0])
    env = dict(os.environ, FAULTLINE_BUILD=os.path.abspath(argv[1]))
    code_l, live, err_l = compare(tool, env, "--live")
    code_s, sim, err_s = compare(tool, env)
    results = [(code_l == 0 and len(live) == 6, f"compare --live: exit {code_l}, "
                f"{len(live)} cells {err_l.strip().splitlines()[-1:] if code_l else ''}"),
               (code_s == 0 and len(sim) == 6, f"compare --mem: exit {code_s}, {len(sim)} cells")]
    by = {(r["policy"], r["workload"]): r for r in sim}
    diff = [(r["policy"], r["workload"], c, r.get(c), by.get((r["policy"], r["workload"]), {})
             .get(c)) for r in live for c in COUNTERS
            if r.get(c) != by.get((r["policy"], r["workload"]), {}).get(c)]
    results.append((bool(live) and not diff, "every live cell's counters are the simulator's"
                    + (f": {diff[:4]}" if diff else "")))
    ins = [r.get("instructions") for r in live]
    results.append((bool(ins) and all(isinstance(n, int) and n > 10 ** 6 for n in ins)
                    and all("instructions" not in r for r in sim),
                    f"live cells count instructions (the simulator's do not): {ins}"))
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
