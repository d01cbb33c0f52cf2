#!/usr/bin/env python3
"""Plot a Faultline trace: fault address over time, coloured by access kind,
and a histogram of fault-to-reply latencies in instructions.

Reads the CSV that `fltrace decode --format csv` writes (the one decoder of
the format) and writes one PNG. Usage:

  traceplot.py --fltrace build/tools/fltrace [--task NAME] [-o OUT.png] TRACE
"""
import argparse
import csv
import io
import subprocess
import sys

KINDS = {"read": "tab:blue", "write": "tab:red", "exec": "tab:green", "other": "tab:gray"}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fltrace", required=True, help="the decoder (build/tools/fltrace)")
    p.add_argument("--task", help="only this task's faults")
    p.add_argument("-o", "--output", default="trace.png", help="the PNG to write")
    p.add_argument("trace")
    return p.parse_args(argv)


def read_rows(args):
    """The decoder's CSV rows; exits with its status and message on error."""
    cmd = [args.fltrace, "decode", "--format", "csv", args.trace]
    if args.task:
        cmd[2:2] = ["--task", args.task]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        sys.exit(proc.returncode)
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def plot(rows, args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    faults = [r for r in rows if r["event"] == "fault"]
    latencies = [int(r["latency_instr"]) for r in rows
                 if r["event"] == "reply" and r["latency_instr"]]
    if not faults:
        sys.exit(f"traceplot: {args.trace}: no faults to plot")
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 7.5))
    # The y axis ranks the distinct pages in address order, so a sweep is a
    # line whatever the gaps between the regions; ticks show real addresses.
    pages = sorted({int(r["addr"], 16) >> 12 for r in faults})
    rank = {page: i for i, page in enumerate(pages)}
    for kind, colour in KINDS.items():
        pts = [(float(r["time_us"]) / 1000, rank[int(r["addr"], 16) >> 12]) for r in faults
               if r["kind"] == kind]
        if pts:
            ax1.scatter([p[0] for p in pts], [p[1] for p in pts], s=6, c=colour,
                        label=f"{kind} ({len(pts)})")
    step = max(1, len(pages) // 8)
    ticks = list(range(0, len(pages), step))
    ax1.set_yticks(ticks)
    ax1.set_yticklabels([f"0x{pages[i] << 12:x}" for i in ticks], fontsize="small")
    tasks = sorted({r["task"] for r in faults})
    ax1.set_title(f"{len(faults)} faults on {len(pages)} pages of {', '.join(tasks)}")
    ax1.set_xlabel("time since the first record (ms, emulated)")
    ax1.set_ylabel("fault address (pages in address order)")
    ax1.legend(loc="best", fontsize="small")
    if latencies:
        ax2.hist(latencies, bins=50, color="tab:purple")
        latencies.sort()
        p50 = latencies[(len(latencies) - 1) // 2]
        ax2.set_title(f"fault-to-reply latency: {len(latencies)} replies, median {p50} "
                      "instructions")
    else:
        ax2.set_title("no fault-to-reply pairs on one hart")
    ax2.set_xlabel("instructions from fault to reply (kernel entry to reply)")
    ax2.set_ylabel("replies")
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    print(f"traceplot: wrote {args.output} ({len(faults)} faults, {len(latencies)} latencies)")


def main(argv):
    args = parse_args(argv)
    plot(read_rows(args), args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
