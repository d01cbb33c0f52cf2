#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/faultline compare: replacement policies side by side.

Runs every policy on every workload at every memory size in the simulator
(tools/sim.c: the pager's real core and each policy's own file), one cell a
process, the cells in parallel (-j), and prints one table: faults, miss ratio
(faults per reference), evictions, write-backs; with --mem sizes (the pager's
own tuning, as `sim --mem`) also swap-ins, read-ahead hits and I/O requests.
--live boots Faultline for each --mem cell instead (`run --icount --mem M
--policy P --workload W`, one hart; parity makes its counters the
simulator's) and adds the instructions the run took (the kernel's `cpu 0: N
instructions` at the end: instret less the idle loop's). --curve
draws miss-ratio curves: one workload string (sized for --base frames), the
memory swept over --frames, one line per policy, OPT and LRU as the bounds.
Cells are cached in BUILD/compare/cache.json by their inputs (the simulator
binary, the arguments, a FILE's bytes): a rerun reuses what did not change.
Exit status 0; 64 for a usage error; 70 if a cell failed (its error said).
"""
import argparse
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import policies  # noqa: E402  (tools/policies.py: the policies built, found)

WORKLOADS = ("seq", "loop", "zipf", "hotscan", "phases", "uniform")
YARDSTICKS = ("opt", "lru")
COUNTERS = re.compile(r"^pager: counters: faults (\d+) \(zero-fill (\d+), swap-in (\d+), "
                      r"protection \d+\), evictions (\d+) \(write-backs (\d+), clean drops (\d+)\), "
                      r"read-ahead (\d+) pages \((\d+) hits\), I/O (\d+) requests", re.M)
FIGURE = re.compile(r"^(faults|evictions|write-backs): (\d+)$", re.M)
REFS = re.compile(r"^sim: (\d+) references", re.M)
LIVE_REFS = re.compile(r"^wl-[a-z]+: (\d+) references, (\d+) wrong", re.M)
INSTRUCTIONS = re.compile(r"^Faultline: cpu 0: (\d+) instructions, \d+ idle", re.M)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """A usage error: one line, exit 64 (the tool's convention)."""
        print(f"faultline: compare: {message} (see tools/faultline compare --help)",
              file=sys.stderr)
        sys.exit(64)


def binary(tools, policy):
    """The simulator binary of @policy, and its extra arguments."""
    if policy in YARDSTICKS:
        return os.path.join(tools, "sim-pager"), [f"--{policy}"]
    return os.path.join(tools, "sim-pager" if policy == "clock" else f"sim-pager-{policy}"), []


def digest(path, cache={}):
    """sha256 of the file at @path (memoized by path, size and mtime)."""
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        cache[key] = h.hexdigest()
    return cache[key]


def sizes(text, unit):
    """A comma-separated list of frame counts (unit "frames") or of sizes
    like 32M (unit "mem")."""
    out = []
    for item in text.split(","):
        ok = re.fullmatch(r"[1-9]\d{0,7}", item) if unit == "frames" else \
            re.fullmatch(r"[1-9]\d{0,4}[MG]", item)
        if not ok:
            raise argparse.ArgumentTypeError(
                f"'{item}' is not " + ("a number of frames" if unit == "frames" else
                                       "a size like 32M or 1G"))
        out.append(int(item) if unit == "frames" else item)
    return out


def names(text, known, what):
    out = text.split(",")
    for n in out:
        if n not in known:
            raise argparse.ArgumentTypeError(f"unknown {what} '{n}' (known: {', '.join(known)})")
    return out


def sim_cell(args, policy, workload, size, base):
    """One cell in the simulator: a dict of figures."""
    exe, extra = binary(args.tools, policy)
    cmd = [exe] + extra
    if args.mem:
        cmd += ["--mem", size, "--swap", args.swap]
        if workload in WORKLOADS:
            cmd += ["--image", os.path.join(args.servers, f"wl-{workload}.elf")]
        elif not os.path.isfile(workload):
            pass
        else:
            cmd += ["--image", os.path.join(args.servers, "wl-replay.elf")]
    else:
        cmd += ["--frames", str(size)]
    if workload in WORKLOADS:
        cmd += ["--workload", workload]
        if base and not args.mem:
            cmd += ["--wl-frames", str(base)]
    else:
        cmd += [workload]
    cmd += ["--stats"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    refs = REFS.search(p.stderr)
    if p.returncode != 0 or not refs:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: "
                           f"{p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ''}")
    cell = {"references": int(refs.group(1))}
    cell.update({k: int(v) for k, v in FIGURE.findall(p.stdout)})
    k = COUNTERS.search(p.stdout)
    if k:
        cell.update(zip(("faults", "zero-fill", "swap-ins", "evictions", "write-backs",
                         "clean drops", "read-ahead", "read-ahead hits", "I/O requests"),
                        map(int, k.groups())))
    return cell


def live_cell(args, policy, workload, size):
    """One cell booted: `tools/faultline run --mem SIZE --policy P --workload W`."""
    cmd = ["bash", args.faultline, "run", "--icount", "--mem", size, "--swap", args.swap,
           "--policy", policy, "--workload", workload]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    out = p.stdout.replace("\r", "")
    k, refs, ins = COUNTERS.search(out), LIVE_REFS.search(out), INSTRUCTIONS.search(out)
    if p.returncode != 0 or not k or not refs or refs.group(2) != "0" or not ins:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}, counters {bool(k)}, "
                           f"words wrong {refs.group(2) if refs else '?'}, "
                           f"instructions {bool(ins)}")
    cell = {"references": int(refs.group(1)), "instructions": int(ins.group(1))}
    cell.update(zip(("faults", "zero-fill", "swap-ins", "evictions", "write-backs",
                     "clean drops", "read-ahead", "read-ahead hits", "I/O requests"),
                    map(int, k.groups())))
    return cell


def main(argv):
    p = Parser(prog="tools/faultline compare", description=__doc__.splitlines()[0])
    p.add_argument("--build", required=True, help=argparse.SUPPRESS)
    p.add_argument("--faultline", required=True, help=argparse.SUPPRESS)
    p.add_argument("--policies", metavar="P,P...",
                   help="policies (default: every policy built, then opt and lru; with "
                   "--live no yardsticks)")
    p.add_argument("--workloads", metavar="W,W...",
                   help="workloads of the suite (default: all six)")
    p.add_argument("--frames", metavar="N,N...", type=lambda t: sizes(t, "frames"),
                   help="memory sizes in frames, textbook mode (default 256,1024,4096; "
                        "with --curve 64 to 2048 by powers of 2)")
    p.add_argument("--mem", metavar="SIZE,SIZE...", type=lambda t: sizes(t, "mem"),
                   help="memory sizes as `run --mem` takes them: the pager's own tuning "
                        "and the workload client's own pages, as `sim --mem`")
    p.add_argument("--swap", default="256M", help="with --mem: the swap disk (default 256M)")
    p.add_argument("--live", action="store_true",
                   help="boot Faultline for each cell instead (needs --mem)")
    p.add_argument("--base", type=int, default=1024,
                   help="--curve: the frames the workload is sized for (default 1024)")
    p.add_argument("--curve", metavar="PNG", help="draw miss-ratio curves into PNG")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    fmt.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-j", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="cells at once (default: all cores)")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="reference strings to compare on as well (the simulator's format)")
    args = p.parse_args(argv)
    args.tools = os.path.join(args.build, "tools")
    args.servers = os.path.join(args.build, "servers")
    built = list(policies.evicting(args.tools))
    try:
        pols = names(args.policies, built + list(YARDSTICKS), "policy") if args.policies \
            else built + ([] if args.live else list(YARDSTICKS))	# no yardstick boots
        wls = names(args.workloads, WORKLOADS, "workload") if args.workloads else \
            ([] if args.files else list(WORKLOADS))
    except argparse.ArgumentTypeError as e:
        p.error(str(e))
    for f in args.files:
        if not os.path.isfile(f):
            p.error(f"no such file '{f}'")
    if args.frames and args.mem:
        p.error("--frames (textbook) or --mem (the pager's tuning), not both")
    if args.live and not args.mem:
        p.error("--live boots machines: give --mem sizes")
    if args.live and (args.curve or args.files or set(pols) & set(YARDSTICKS)):
        p.error("--live runs the suite's workloads under real policies (no FILE, opt, lru "
                "or --curve)")
    if args.curve and args.mem:
        p.error("--curve sweeps frames in textbook mode: not with --mem")
    if args.j < 1:
        p.error("-j takes a number from 1")
    if args.curve:
        args.frames = args.frames or [64 << i for i in range(6)]
    elif not args.mem:
        args.frames = args.frames or [256, 1024, 4096]
    memory = args.mem or args.frames
    inputs = wls + [os.path.abspath(f) for f in args.files]
    cells = [(pol, w, m) for w in inputs for m in memory for pol in pols]

    cache_dir = os.path.join(args.build, "compare")
    os.makedirs(cache_dir, exist_ok=True)
    cache_path = os.path.join(cache_dir, "cache.json")
    try:
        with open(cache_path) as f:
            cache = json.load(f)
    except (OSError, ValueError):
        cache = {}

    def key(cell):
        pol, w, m = cell
        parts = ["live-icount" if args.live else "sim", pol, w, str(m), args.swap,
                 str(args.base if args.curve else "")]
        if args.live:
            parts += [digest(os.path.join(args.build, "kernel", "kernel.elf")),
                      digest(os.path.join(args.servers, "boot.cpio"))]
        else:
            parts.append(digest(binary(args.tools, pol)[0]))
            if args.mem:
                parts.append(digest(os.path.join(args.servers, "wl-replay.elf" if os.path.isfile(w)
                                                 else f"wl-{w}.elf")))
        if os.path.isfile(w):
            parts.append(digest(w))
        return "|".join(parts)

    results, failed, done = {}, [], [0]
    lock = threading.Lock()
    todo = []
    for c in cells:
        k = key(c)
        if k in cache:
            results[c] = cache[k]
        else:
            todo.append((c, k))

    def run(item):
        (pol, w, m), k = item
        try:
            r = live_cell(args, pol, w, m) if args.live else \
                sim_cell(args, pol, w, m, args.base if args.curve else 0)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            with lock:
                failed.append(str(e))
            return
        with lock:
            results[(pol, w, m)] = r
            cache[k] = r
            done[0] += 1
            if sys.stderr.isatty() or done[0] % max(1, len(todo) // 10) == 0 or done[0] == len(todo):
                print(f"compare: {done[0]}/{len(todo)} cells run"
                      f"{f' ({len(cells) - len(todo)} cached)' if len(cells) > len(todo) else ''}",
                      file=sys.stderr, flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1 if args.live else args.j) as ex:
        list(ex.map(run, todo))
    with open(cache_path + ".tmp", "w") as f:
        json.dump(cache, f)
    os.replace(cache_path + ".tmp", cache_path)

    columns = ["faults", "miss ratio", "evictions", "write-backs"]
    if args.mem:
        columns += ["swap-ins", "read-ahead hits", "I/O requests"]
    if args.live:
        columns.append("instructions")
    rows = []
    for pol, w, m in cells:
        r = results.get((pol, w, m))
        if not r:
            continue
        row = {"policy": pol, "workload": os.path.basename(w) if os.path.isfile(w) else w,
               "memory": m, "references": r["references"]}
        for c in columns:
            row[c] = round(r["faults"] / r["references"], 4) if c == "miss ratio" else r.get(c)
        rows.append(row)
    head = ["workload", "memory", "policy", "references"] + columns
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
    elif args.csv:
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=head, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        text = [[f"{r[h]:.4f}" if isinstance(r[h], float) else f"{r[h]:,}"
                 if isinstance(r[h], int) else str(r[h]) for h in head] for r in rows]
        widths = [max(len(h), *(len(t[i]) for t in text)) if text else len(h)
                  for i, h in enumerate(head)]
        print("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)).rstrip())
        for t in text:
            print("  ".join(v.rjust(widths[i]) if i >= 3 else v.ljust(widths[i])
                            for i, v in enumerate(t)).rstrip())
    if args.curve and rows:
        curve(args.curve, rows, inputs, pols, args.base)
    for f in failed:
        print(f"faultline: compare: a cell failed: {f}", file=sys.stderr)
    return 70 if failed else 0


def curve(path, rows, inputs, pols, base):
    """Miss ratio against memory, one panel a workload, one line a policy;
    OPT and LRU dashed (the bounds)."""
    try:
        import matplotlib
    except ImportError:
        print("faultline: compare: --curve needs matplotlib (Debian: python3-matplotlib; "
              "tools/faultline setup installs it)", file=sys.stderr)
        sys.exit(70)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = len(inputs)
    cols = min(3, n)
    fig, axes = plt.subplots((n + cols - 1) // cols, cols, figsize=(5 * cols, 3.6 * ((n + cols - 1) // cols)),
                             squeeze=False)
    # a colour a policy, the same in every panel: tab20 without its greys
    # (grey and black are the yardsticks'), so a dozen policies stay apart
    palette = [c for i, c in enumerate(plt.get_cmap("tab20").colors) if i not in (14, 15)]
    colour = {pol: palette[i % len(palette)]
              for i, pol in enumerate(p for p in pols if p not in YARDSTICKS)}
    colour.update(opt="black", lru="grey")
    for ax, w in zip(axes.flat, inputs):
        label = os.path.basename(w) if os.path.isfile(w) else w
        for pol in pols:
            pts = sorted((r["memory"], r["miss ratio"]) for r in rows
                         if r["policy"] == pol and r["workload"] == label)
            if pts:
                ax.plot(*zip(*pts), marker="o", markersize=3, label=pol,
                        linestyle="--" if pol in YARDSTICKS else "-", color=colour[pol])
        ax.set_xscale("log", base=2)
        ax.set_title(f"{label}" + (f" (sized for {base} frames)" if not os.path.isfile(w) else ""))
        ax.set_xlabel("memory (frames)")
        ax.set_ylabel("miss ratio")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"compare: curves in {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
