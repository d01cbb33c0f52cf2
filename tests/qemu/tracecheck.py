#!/usr/bin/env python3
"""Boot Faultline with fault tracing and check the trace against the run.

The workload prints what the trace must show: the pager's fault count per
client ("pager: NAME exited (status N): M faults") and, from ptest-trace,
"expect read|write ADDR" before each fault it makes. The trace is decoded by
the decoder under test (fltrace) and must agree: as many fault records as the
pager served faults (plus the ones that killed the task), every fault ended by
exactly one reply or kill, the expected addresses and causes in order, no
record lost, and Perfetto JSON that parses. Prints TAP.

  --mode semihost  trace=faults,vm from boot into a host file (semihosting)
  --mode console   the same as "FLT " lines on the console, decoded from the log
  --mode ctl       no trace= at boot: ptest-tracectl turns tracing on for
                   itself with SYS_TRACE_CTL and off again
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

CAUSE = {"read": 13, "write": 15}  # load / store page fault (privileged spec table 4.2)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--fltrace", required=True)
    p.add_argument("--mode", choices=["semihost", "console", "ctl"], required=True)
    p.add_argument("--append", default="", help="more kernel arguments (run=..., sv=...)")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--plot", metavar="SCRIPT",
                   help="also draw the trace with tools/traceplot.py (Debian's python3)")
    p.add_argument("--fuzz", type=int, default=0, metavar="N",
                   help="also feed N mutated copies of the trace to every decoder command")
    p.add_argument("--exit", type=int, default=0, dest="exit_status",
                   help="expected exit status (4 when init saw a client killed)")
    return p.parse_args(argv)


def boot(args, tmp):
    """Runs QEMU in @tmp; returns (status, console text, trace path)."""
    kargs = args.append.split()
    cmd = [args.qemu, "-machine", "virt", "-nographic", "-bios", "default", "-m", "128M",
           "-smp", str(args.smp), "-kernel", os.path.abspath(args.kernel),
           "-initrd", os.path.abspath(args.initrd), "-monitor", "none", "-serial", "stdio"]
    if args.mode == "console":
        kargs += ["trace=faults,vm", "trace_out=console"]
    else:
        cmd += ["-semihosting-config", "enable=on,target=native"]
        kargs += ["trace_out=semihost", "trace_file=t.trace"]
        if args.mode == "semihost":
            kargs += ["trace=faults,vm"]
    cmd += ["-append", " ".join(kargs)]
    try:
        proc = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=args.timeout)
        status, out = proc.returncode, proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        status, out = None, (e.stdout or b"").decode("utf-8", "replace")
    path = os.path.join(tmp, "t.trace")
    if args.mode == "console":
        with open(path, "w") as f:
            f.write(out)
    print("# " + " ".join(cmd))
    return status, out, path


def decode(args, path, *extra):
    proc = subprocess.run([args.fltrace, *extra, path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def ends_of_faults(rows):
    """(faults, ends) per (task, thread): each fault must be followed by one end."""
    problems, open_fault = [], {}
    for r in rows:
        key = (r["task"], r["thread"])
        if r["event"] == "fault":
            if key in open_fault:
                problems.append(f"fault at {r['addr']} while {open_fault[key]} is unanswered")
            open_fault[key] = r["addr"]
        elif r["event"] in ("reply", "kill"):
            if key not in open_fault:
                problems.append(f"{r['event']} for {key} without a fault")
            elif not r["latency_us"]:
                problems.append(f"{r['event']} for {key} not paired by the decoder")
            open_fault.pop(key, None)
    problems += [f"fault at {a} of {k} never answered" for k, a in open_fault.items()]
    return problems


def expected_in_order(rows, out):
    """The ptest-trace expect lines as a subsequence of that task's faults."""
    results = []
    for prog in ("ptest-trace", "ptest-tracectl"):
        want = [(k, int(a, 16)) for k, a in re.findall(rf"^{prog}: expect (\w+) (0x[0-9a-f]+)",
                                                      out, re.M)]
        if not want:
            continue
        faults = [r for r in rows if r["event"] == "fault" and r["task"] == prog]
        i = 0
        for r in faults:
            if i < len(want) and int(r["addr"], 16) == want[i][1] \
                    and r["kind"] == want[i][0] and int(r["cause"]) == CAUSE[want[i][0]]:
                i += 1
        results.append((i == len(want), f"{prog}: the {len(want)} expected faults (address, "
                        f"kind, scause) appear in order ({i} found)"))
    return results


def check_counts(args, rows, out):
    results = []
    faults = [r for r in rows if r["event"] == "fault"]
    if args.mode == "ctl":
        m = re.search(r"^ptest-tracectl: (\d+) faults while traced", out, re.M)
        mine = [r for r in faults if r["task"] == "ptest-tracectl"]
        results.append((m is not None and len(mine) == int(m.group(1)),
                        f"fault records while traced: {len(mine)}, pager counted "
                        f"{m.group(1) if m else '?'}"))
        results.append((len(mine) == len(faults) and len(faults) > 0,
                        f"only the filtered task's faults are recorded "
                        f"({len(faults) - len(mine)} others)"))
        return results
    served = re.findall(r"^pager: (\S+) (?:exited|killed) \(status \d+\): (\d+) faults", out, re.M)
    results.append((len(served) > 0, f"the pager reported {len(served)} clients"))
    for name, count in served:
        mine = [r for r in faults if r["task"] == name]
        maps = [r for r in rows if r["event"] == "reply" and r["task"] == name
                and r["kind"] == "map"]
        kills = [r for r in rows if r["event"] == "kill" and r["task"] == name]
        results.append((len(maps) == int(count) and len(mine) == len(maps) + len(kills),
                        f"{name}: {len(mine)} fault records = {len(maps)} answered by "
                        f"map-then-reply (the pager counted {count}) + {len(kills)} killed"))
        results.append((all(int(r["size"]) == 4096 and int(r["frame"], 16) for r in maps),
                        f"{name}: every map reply names a frame and a 4 KiB page"))
    return results


def damaged(args, path, tmp):
    """A cut and a corrupted copy of the trace are refused, naming the offset."""
    results = []
    with open(path, "rb") as f:
        data = f.read()
    bad = os.path.join(tmp, "bad.trace")
    cut = len(data) - 20 if data.startswith(b"FLTRACE") else None
    if cut:
        with open(bad, "wb") as f:
            f.write(data[:cut])
        code, _, err = decode(args, bad, "summary")
        results.append((code == 65 and f"offset {cut - 44}: truncated record (44 of 64" in err,
                        f"a cut trace: exit {code}, {err.strip()}"))
        corrupt = bytearray(data)
        corrupt[64 * 5 + 4] = 0x77     # record 4's event
        with open(bad, "wb") as f:
            f.write(corrupt)
        code, _, err = decode(args, bad, "decode")
        results.append((code == 65 and "offset 320 (record 4): unknown event" in err,
                        f"a corrupt record: exit {code}, {err.strip()}"))
    return results


def fuzz(args, path, tmp, rounds):
    """Random byte flips and cuts: every decoder command exits 0 or 65, never dies."""
    import random
    rng = random.Random(1)
    with open(path, "rb") as f:
        data = f.read()
    bad, crashes = os.path.join(tmp, "fuzz.trace"), []
    for i in range(rounds):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        if rng.random() < 0.3:
            buf = buf[:rng.randrange(len(buf))]
        with open(bad, "wb") as f:
            f.write(buf)
        for cmd in (["summary"], ["decode"], ["decode", "--format", "csv"],
                    ["decode", "--format", "perfetto"]):
            code, _, err = decode(args, bad, *cmd)
            if code not in (0, 65) or (code == 65 and "offset" not in err and "hart" not in err):
                crashes.append(f"round {i} {cmd}: exit {code} {err.strip()[:80]}")
    return [(not crashes, f"{rounds} mutated traces x 4 commands: exit 0 or 65 with a "
             f"message, never a crash {crashes[:3]}")]


def plot(args, path, tmp, faults):
    """traceplot.py writes a PNG and says how many faults it drew."""
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    png = os.path.join(tmp, "t.png")
    proc = subprocess.run([python, args.plot, "--fltrace", args.fltrace, "-o", png, path],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(png, "rb") if os.path.exists(png) else open(os.devnull, "rb") as f:
        magic = f.read(8)
    kinds = re.search(r"latencies; ((?:[a-z]+ \d+(?:, )?)+); (\d+) evictions\)", proc.stdout)
    ok = proc.returncode == 0 and magic == b"\x89PNG\r\n\x1a\n" \
        and f"({faults} faults," in proc.stdout and kinds is not None \
        and sum(int(n) for n in re.findall(r"\d+", kinds.group(1))) == faults
    return [(ok, f"the plot: every fault of one kind: {proc.stdout.strip()[-200:]}")]


def main(argv):
    args = parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="faultline-trace-") as tmp:
        status, out, path = boot(args, tmp)
        results.append((status == args.exit_status,
                        f"QEMU exit status {status}, expected {args.exit_status}"))
        results.append((re.search(r"FAIL|panic", out) is None, "no FAIL, no panic"))
        code, text, err = decode(args, path, "decode", "--format", "csv")
        results.append((code == 0, f"the trace decodes ({err.strip() or 'ok'})"))
        rows = list(csv.DictReader(io.StringIO(text))) if code == 0 else []
        code, summary, err = decode(args, path, "summary")
        m = re.search(r"^records: (\d+) over .*; lost: (\d+)(.*)$", summary, re.M)
        results.append((code == 0 and m is not None and int(m.group(2)) == 0
                        and not m.group(3), f"summary: {m.group(0) if m else err.strip()}"))
        # the kernel's remote fences and IPIs, as the END records carry them
        # and as the root task's end printed them (both under the big lock,
        # nothing between them)
        kern = re.search(r"^Faultline: remote TLB fences (\d+) .*IPIs (\d+)\r?$", out, re.M)
        harts = re.search(r"^harts: (\d+) remote TLB fences, (\d+) wake-up IPIs", summary, re.M)
        results.append((kern is not None and harts is not None
                        and harts.groups() == kern.groups(),
                        f"summary's remote fences and IPIs are the kernel's: "
                        f"{harts.group(0) if harts else 'no summary line'}; "
                        f"{kern.group(0) if kern else 'no kernel line'}"))
        code, js, err = decode(args, path, "summary", "--json")
        try:
            sj = json.loads(js)
            faults = sum(1 for r in rows if r["event"] == "fault")
            ok = (code == 0 and m is not None and sj["records"] == int(m.group(1))
                  and sj["lost"] == 0 and sj["ended"] is True
                  and (harts is None or [sj["remote_tlb_fences"], sj["ipis"]]
                       == [int(g) for g in harts.groups()])
                  and sum(t["faults"]["total"] for t in sj["tasks"]) == faults
                  and sj["latency"]["n"] == sum(t["latency"]["n"] for t in sj["tasks"]))
        except (ValueError, KeyError, TypeError):
            ok = False
        results.append((ok, f"summary --json agrees with the text and the records "
                        f"({err.strip() or 'parses'})"))
        results += check_counts(args, rows, out)
        problems = ends_of_faults(rows)
        results.append((not problems, "every fault has exactly one reply or kill"
                        + (f": {problems[:3]}" if problems else "")))
        results += expected_in_order(rows, out)
        code, text, err = decode(args, path, "decode", "--format", "perfetto")
        try:
            spans = [e for e in json.loads(text)["traceEvents"] if e.get("ph") == "X"]
            ok = len(spans) == len([r for r in rows if r["event"] in ("reply", "kill")])
        except (ValueError, KeyError):
            spans, ok = [], False
        results.append((code == 0 and ok, f"Perfetto JSON parses, {len(spans)} fault spans"))
        results += damaged(args, path, tmp)
        if args.plot:
            results += plot(args, path, tmp, len([r for r in rows if r["event"] == "fault"]))
        if args.fuzz:
            results += fuzz(args, path, tmp, args.fuzz)
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    if not all(ok for ok, _ in results):
        for line in out.splitlines():
            if not line.startswith("FLT "):
                print("# " + line)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
