#!/usr/bin/env python3
"""Plot a Faultline trace for a paging researcher: faults by kind over time,
the resident set with evictions marked, and latency by kind on a log scale.

Reads the CSV that `fltrace decode --format csv` writes (the one decoder of
the format) and writes one PNG. Usage:

  traceplot.py --fltrace build/tools/fltrace [--task NAME] [--frames N] [-o OUT.png] TRACE

The kernel's trace holds faults, replies and VM calls, not the pager's
reasons, so the kinds are read off the page's history in the trace
(classify below): a fault on a page never mapped before is a first touch
(zero-fill, or program bytes); on a page mapped now, a protection fault; on
a page that was unmapped since (evicted), a refault, which is a swap-in when
the pager called the block driver between the fault and its reply (that
shows only when the trace records IPC: `trace run --events all`) and a
read-ahead hit or a refill (a clean page dropped and rebuilt) when it did
not. Without IPC records refaults are not split. The resident set is the
pages mapped into the traced tasks (not the pager's own), and free pages,
with --frames N (the data frames the pager manages: its `frames=`, or what
it printed at start), N less the resident set.
"""
import argparse
import csv
import io
import math
import subprocess
import sys

# kind: (colour, what the legend says)
KINDS = {
    "first": ("tab:blue", "first touch (zero-fill)"),
    "swapin": ("tab:red", "swap-in (I/O)"),
    "rahit": ("tab:green", "refault, no I/O (read-ahead hit or refill)"),
    "refault": ("tab:olive", "refault (swap-in or read-ahead hit)"),
    "prot": ("tab:orange", "protection"),
}
MAPS = ("map", "map_reply")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fltrace", required=True, help="the decoder (build/tools/fltrace)")
    p.add_argument("--task", help="only this task's faults")
    p.add_argument("--frames", type=int, help="the pager's data frames: also plot free pages")
    p.add_argument("-o", "--output", default="trace.png", help="the PNG to write")
    p.add_argument("trace")
    args = p.parse_args(argv)
    if args.frames is not None and args.frames < 1:
        p.error("--frames must be at least 1")
    return args


def read_rows(args):
    """The decoder's CSV rows (every task: the history of a page needs the
    pager's VM calls); exits with its status and message on error."""
    proc = subprocess.run([args.fltrace, "decode", "--format", "csv", args.trace],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        sys.exit(proc.returncode)
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def vm_target(row):
    """(task, page) a VM call acted on: the detail starts with the target."""
    words = row["detail"].split()
    return (words[0], int(row["addr"], 16) >> 12) if words else (None, None)


def classify(rows, only=None):
    """The faults (of task @only, or all), each with its kind; the resident
    set over time; the evictions (unmaps of a page a traced task held).

    Returns (faults, resident, evictions, has_ipc): faults as dicts with
    time (ms), page, kind and latency (instructions, or None); resident as
    (time, pages) steps; evictions as (time, page)."""
    has_ipc = any(r["event"] == "ipc" for r in rows)
    blk_threads = {r["thread"] for r in rows if r["task"] == "blk"}
    mapped, ever = set(), set()          # (task, page)
    open_faults = {}                     # (task, thread) -> the fault being served
    faults, resident, evictions = [], [], []
    count = 0
    for r in rows:
        t = float(r["time_us"]) / 1000
        ev = r["event"]
        if ev == "vm" and r["kind"] in MAPS + ("unmap",) and r["result"] == "0":
            key = vm_target(r)
            if key[0] is None or key[0] == r["task"]:
                continue                 # the pager's own mappings
            if r["kind"] == "unmap":
                if key in mapped:
                    mapped.discard(key)
                    count -= 1
                    if only in (None, key[0]):
                        evictions.append((t, key[1]))
            elif key not in mapped:
                mapped.add(key)
                ever.add(key)
                count += 1
            resident.append((t, count))
        elif ev == "fault":
            key = (r["task"], int(r["addr"], 16) >> 12)
            kind = "prot" if key in mapped else "refault" if key in ever else "first"
            f = {"time": t, "page": key[1], "kind": kind, "task": r["task"], "latency": None,
                 "io": False}
            open_faults[(r["task"], r["thread"])] = f
            if only in (None, r["task"]):
                faults.append(f)
        elif ev == "ipc" and r["task"] == "pager" and \
                r["detail"].rsplit(" ", 1)[-1] in blk_threads:
            for f in open_faults.values():   # the pager calls blk while a fault waits
                f["io"] = True
        elif ev in ("reply", "kill"):
            f = open_faults.pop((r["task"], r["thread"]), None)
            if f and r["latency_instr"]:
                f["latency"] = int(r["latency_instr"])
    for f in faults:
        if f["kind"] == "refault" and has_ipc:
            f["kind"] = "swapin" if f["io"] else "rahit"
    return faults, resident, evictions, has_ipc


def plot(rows, args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    faults, resident, evictions, has_ipc = classify(rows, args.task)
    if not faults:
        sys.exit(f"traceplot: {args.trace}: no faults to plot")
    latencies = [f["latency"] for f in faults if f["latency"] is not None]
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(9, 10.5))
    # The y axis ranks the distinct pages in address order, so a sweep is a
    # line whatever the gaps between the regions; ticks show real addresses.
    pages = sorted({f["page"] for f in faults} | {p for _, p in evictions})
    rank = {page: i for i, page in enumerate(pages)}
    counts = {}
    for kind, (colour, label) in KINDS.items():
        pts = [(f["time"], rank[f["page"]]) for f in faults if f["kind"] == kind]
        counts[kind] = len(pts)
        if pts:
            ax1.scatter([p[0] for p in pts], [p[1] for p in pts], s=6, c=colour,
                        label=f"{label}: {len(pts)}")
    if evictions:
        ax1.scatter([e[0] for e in evictions], [rank[e[1]] for e in evictions], s=8,
                    marker="x", c="tab:gray", linewidths=0.6,
                    label=f"evicted (unmapped): {len(evictions)}")
    step = max(1, len(pages) // 8)
    ticks = list(range(0, len(pages), step))
    ax1.set_yticks(ticks)
    ax1.set_yticklabels([f"0x{pages[i] << 12:x}" for i in ticks], fontsize="small")
    tasks = sorted({f["task"] for f in faults})
    ax1.set_title(f"{len(faults)} faults on {len(pages)} pages of {', '.join(tasks)}"
                  + ("" if has_ipc else " (no IPC records: refaults not split)"))
    ax1.set_xlabel("time since the first record (ms, emulated)")
    ax1.set_ylabel("page (in address order)")
    ax1.legend(loc="best", fontsize="small", markerscale=2)

    if resident:
        xs = [t for t, _ in resident]
        ys = [n for _, n in resident]
        ax2.step(xs, ys, where="post", color="tab:blue", label="resident pages")
        if args.frames:
            ax2.step(xs, [args.frames - n for n in ys], where="post", color="tab:green",
                     label=f"free pages ({args.frames} frames less resident)")
        for t, _ in evictions:
            ax2.axvline(t, color="tab:gray", alpha=0.15, linewidth=0.5)
        ax2.legend(loc="best", fontsize="small")
    ax2.set_title(f"resident set of the traced tasks; {len(evictions)} evictions "
                  "(grey lines)")
    ax2.set_xlabel("time since the first record (ms, emulated)")
    ax2.set_ylabel("pages")

    if latencies:
        lo, hi = max(1, min(latencies)), max(latencies)
        n = 40
        edges = [lo * (hi / lo) ** (i / n) for i in range(n + 1)] if hi > lo else [lo, lo + 1]
        for kind, (colour, label) in KINDS.items():
            vals = [f["latency"] for f in faults if f["kind"] == kind and f["latency"]]
            if vals:
                vals.sort()
                ax3.hist(vals, bins=edges, color=colour, alpha=0.6,
                         label=f"{label}: median {vals[(len(vals) - 1) // 2]}")
        ax3.set_xscale("log")
        latencies.sort()
        ax3.set_title(f"fault-to-reply latency: {len(latencies)} replies, median "
                      f"{latencies[(len(latencies) - 1) // 2]} instructions")
        ax3.legend(loc="best", fontsize="small")
    else:
        ax3.set_title("no fault-to-reply pairs on one hart")
    ax3.set_xlabel("instructions from fault to reply (log scale)")
    ax3.set_ylabel("replies")
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    kinds = ", ".join(f"{k} {counts[k]}" for k in KINDS if counts[k])
    print(f"traceplot: wrote {args.output} ({len(faults)} faults, {len(latencies)} latencies; "
          f"{kinds}; {len(evictions)} evictions)")


def main(argv):
    args = parse_args(argv)
    plot(read_rows(args), args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
