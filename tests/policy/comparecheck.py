#!/usr/bin/env python3
"""tools/faultline compare (tools/compare.py) over the build's simulators
(TAP). Usage: comparecheck.py COMPARE_PY FAULTLINE BUILD_DIR.

Checks: the table has a row for every policy x workload x size and its miss
ratio is faults per reference; OPT faults least in every group and LRU
faults on every reference of a loop larger than memory; --csv and --json
hold the same rows; a rerun takes every cell from the cache; --curve writes
a PNG; bad options end in one line and exit 64.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile


def main(argv):
    compare, faultline, build = argv
    # the Debian python3 that tools/faultline runs it with (matplotlib is its package)
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    base = [python, compare, "--build", build, "--faultline", faultline]
    small = ["--workloads", "loop,zipf,hotscan", "--frames", "64,128", "-j", "2"]
    results = []

    def run(*extra):
        return subprocess.run(base + list(extra), capture_output=True, text=True, timeout=600)

    p = run(*small, "--json")
    rows = json.loads(p.stdout) if p.returncode == 0 else []
    pols = sorted({r["policy"] for r in rows})
    diag = [] if p.returncode == 0 else [f"exit {p.returncode}: {p.stderr.strip()}"]
    if "opt" not in pols or "lru" not in pols or "clock" not in pols or len(pols) < 5:
        diag.append(f"policies {pols}")
    if len(rows) != len(pols) * 3 * 2:
        diag.append(f"{len(rows)} rows for {len(pols)} policies x 3 workloads x 2 sizes")
    for r in rows:
        if abs(r["miss ratio"] - r["faults"] / r["references"]) > 1e-4:
            diag.append(f"miss ratio {r}")
    groups = {(r["workload"], r["memory"]) for r in rows}
    for g in groups:
        cell = {r["policy"]: r for r in rows if (r["workload"], r["memory"]) == g}
        if any(cell["opt"]["faults"] > c["faults"] for c in cell.values()):
            diag.append(f"{g}: a policy beat OPT")
        if g[0] == "loop" and cell["lru"]["faults"] != cell["lru"]["references"]:
            diag.append(f"{g}: LRU did not fault on every reference of the loop")
    results.append((not diag, "compare --json: every cell, miss ratio = faults / references, "
                    "OPT least, LRU misses all of a loop", diag))

    p2, p3 = run(*small, "--csv"), run(*small)
    again = [dict(r, memory=int(r["memory"]), references=int(r["references"]),
                  faults=int(r["faults"])) for r in csv.DictReader(io.StringIO(p2.stdout))]
    diag = []
    if [(r["policy"], r["workload"], r["memory"], r["faults"]) for r in again] != \
            [(r["policy"], r["workload"], r["memory"], r["faults"]) for r in rows]:
        diag.append("the CSV rows differ from the JSON rows")
    lines = p3.stdout.splitlines()
    if len(lines) != len(rows) + 1 or not lines[0].startswith("workload  memory  policy"):
        diag.append(f"table: {len(lines)} lines")
    if "cells run" in p2.stderr + p3.stderr:
        diag.append(f"a rerun ran cells again: {p2.stderr.strip()!r}")
    results.append((not diag, "compare --csv and the table: the same rows, all from the cache",
                    diag))

    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "c.png")
        p = run("--workloads", "loop", "--policies", "clock,opt", "--frames", "64,128,256",
                "--base", "128", "--curve", png)
        ok = p.returncode == 0 and os.path.exists(png) and \
            open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 10000
        results.append((ok, "compare --curve: a PNG", [p.stderr.strip()]))

    for args, want in [(["--policies", "nope"], "unknown policy 'nope'"),
                       (["--frames", "0"], "'0' is not a number of frames"),
                       (["--live"], "--live boots machines: give --mem sizes"),
                       (["--mem", "32M", "--frames", "64"], "not both"),
                       (["--curve", "x.png", "--mem", "32M"], "--curve sweeps frames"),
                       (["/nonexistent.ref"], "no such file '/nonexistent.ref'")]:
        p = run(*args)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        ok = p.returncode == 64 and len(lines) == 1 and want in lines[0] and not p.stdout
        results.append((ok, f"compare {' '.join(args)}: exit 64, one line",
                        [f"exit {p.returncode}: {p.stderr.strip()!r}"]))

    print(f"1..{len(results)}")
    for i, (ok, what, diag) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
        if not ok:
            for d in diag:
                print(f"# {d}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
