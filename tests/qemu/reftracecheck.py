#!/usr/bin/env python3
"""tools/faultline reftrace on a real program, then played live and in the
simulator (TAP). Usage: reftracecheck.py REFTRACE_PY PARITY_ARGS...

Traces `sort` of 300 shuffled lines under valgrind's lackey: the file holds
the header lines and then one reference a line, pages ranked from 0, some
written; the simulator reads it (`sim --check`); a missing program and no
program at all are refused. Then tests/qemu/parity.py plays it with Clock
and FIFO: the live `pager: counters:` line equals the simulator's. Last, a
program larger than the memory it is played in: `dd conv=swab` through two
4 MiB buffers, twice (about 2,200 pages), at 16 MiB (1,536 frames), where
it swaps and its 1 MB file is too large to wire: live and simulated with
Clock and S3-FIFO, the same counters, evictions and swap-ins among them.
"""
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity  # noqa: E402


def main(argv):
    reftrace, rest = argv[0], argv[1:]
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    results = []
    with tempfile.TemporaryDirectory(prefix="faultline-reftrace-") as tmp:
        lines = [f"{n}\n" for n in range(300)]
        random.Random(3).shuffle(lines)
        data = os.path.join(tmp, "in.txt")
        with open(data, "w") as f:
            f.writelines(lines)
        ref = os.path.join(tmp, "sort.ref")
        p = subprocess.run([python, reftrace, "-o", ref, "--", "sort", data],
                           capture_output=True, text=True, timeout=600)
        body = open(ref).read().splitlines() if os.path.exists(ref) else []
        refs = [l for l in body if not l.startswith("#")]
        pages = {int(l.split()[0]) for l in refs}
        diag = [] if p.returncode == 0 else [f"exit {p.returncode}: {p.stderr.strip()}"]
        if not body or not body[0].startswith("# tools/faultline reftrace -- sort "):
            diag.append(f"header: {body[:2]}")
        if len(refs) < 1000 or not any(l.endswith(" W") for l in refs) or \
                pages != set(range(len(pages))):
            diag.append(f"{len(refs)} references, {len(pages)} pages, ranks 0..n-1: "
                        f"{pages == set(range(len(pages)))}")
        m = re.search(r"reftrace: .*: ([\d,]+) references over ([\d,]+) pages", p.stderr)
        if not m or int(m.group(1).replace(",", "")) != len(refs):
            diag.append(f"the summary line: {p.stderr.strip()!r}")
        sims = rest[rest.index("--sims") + 1]
        check = subprocess.run([os.path.join(sims, "sim-pager"), "--check", ref],
                               capture_output=True, text=True)
        if check.returncode != 0:
            diag.append(f"sim --check: {check.stderr.strip()}")
        results.append((not diag, f"reftrace -- sort: {len(refs)} references over {len(pages)} "
                        "pages, the simulator's format", diag))
        for args, status, want in [([], 64, "which program?"),
                                   (["--", "/nonexistent/prog"], 66, "no memory accesses")]:
            p = subprocess.run([python, reftrace, "-o", os.path.join(tmp, "x.ref")] + args,
                               capture_output=True, text=True, timeout=120)
            ok = p.returncode == status and want in p.stderr
            results.append((ok, f"reftrace {' '.join(args) or '(no program)'}: exit {status}",
                            [f"exit {p.returncode}: {p.stderr.strip()!r}"]))
        out = subprocess.run([python, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "parity.py")] + rest +
                             ["--ref", ref, "clock:replay", "fifo:replay"],
                             capture_output=True, text=True, timeout=900)
        oks = re.findall(r"^ok \d+ - (\w+) replay", out.stdout, re.M)
        results.append((out.returncode == 0 and len(oks) == 2,
                        "the sort trace live and simulated (Clock, FIFO): the same counters",
                        out.stdout.strip().splitlines()[-4:]))
        dd = os.path.join(tmp, "dd.ref")
        p = subprocess.run([python, reftrace, "-o", dd, "--", "dd", "if=/dev/zero",
                            "of=/dev/null", "bs=4M", "count=2", "conv=swab"],
                           capture_output=True, text=True, timeout=600)
        sim = subprocess.run([os.path.join(sims, "sim-pager"), "--mem", "16M", "--swap", "256M",
                              "--image", os.path.join(rest[rest.index("--images") + 1],
                                                      "wl-replay.elf"), dd],
                             capture_output=True, text=True)
        k = re.search(r"swap-in (\d+), .*evictions (\d+)", sim.stdout)
        out = subprocess.run([python, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "parity.py")] + rest +
                             ["--mem", "16M", "--ref", dd, "clock:replay", "s3fifo:replay"],
                             capture_output=True, text=True, timeout=900)
        oks = re.findall(r"^ok \d+ - (\w+) replay", out.stdout, re.M)
        results.append((p.returncode == 0 and k is not None and int(k.group(1)) > 0
                        and int(k.group(2)) > 0 and out.returncode == 0 and len(oks) == 2,
                        "dd conv=swab, larger than 16 MiB of memory, live and simulated (Clock, "
                        f"S3-FIFO): the same counters; swap-ins, evictions "
                        f"{k.groups() if k else None}",
                        [p.stderr.strip()[-200:]] + out.stdout.strip().splitlines()[-4:]))
    print(f"1..{len(results)}")
    for i, (ok, what, diag) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
        if not ok:
            for d in diag:  # a tool's output may span lines: each is a comment
                for line in str(d).splitlines() or [""]:
                    print(f"# {line}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
