#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/faultline soak: swap integrity at length.

Boots Faultline again and again with the soak client (ptest-soak: every page of
a region 3x the RAM checked word by word and rewritten, 8 rounds a boot) until
each configuration (policy x paging mode x harts) has written at least
--page-outs pages to swap, adding up the pager's counters. Every word is
verified; any wrong word, failed check or unclean end fails the soak. Prints
progress after every boot and a table at the end; exits 0 if all held, 1 if
not, 64 on a usage error.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "qemu"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402  (the QEMU command and disk image of the tests)

# Policies by the names every command takes (tools/faultline run --policy,
# sim --policy), and the pager server each names (pager= underneath).
import policies  # noqa: E402  (tools/policies.py: found, not listed)

POLICIES = {policies.policy_name(d): d
            for d in policies.servers(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", "servers"))}


def evicts(kernel, server):
    """Whether pager server @server chooses victims (the simulator of the build
    that made @kernel says so): one that evicts nothing has no swap to soak."""
    sim = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(kernel))), "tools",
                       "sim-" + server)
    return os.path.exists(sim) and policies.evicts(sim)


COUNTERS = re.compile(r"^pager: counters: faults (\d+) \(zero-fill \d+, swap-in (\d+), .*"
                      r"write-backs (\d+), .* (\d+) errors", re.M)
WORDS = re.compile(r"^(ptest-soak(?:-short)?): (\d+) words checked, (\d+) wrong", re.M)


def positive(text):
    if not re.fullmatch(r"[1-9]\d{0,9}", text):
        raise argparse.ArgumentTypeError(f"expected a number from 1, not '{text}'")
    return int(text)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """A usage error: one line, exit 64 (the tool's convention)."""
        print(f"faultline: soak: {message} (see tools/faultline soak --help)", file=sys.stderr)
        sys.exit(64)


def parse(argv):
    p = Parser(prog="tools/faultline soak", description=__doc__.split("\n\n")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--qemu", default="qemu-system-riscv64", help=argparse.SUPPRESS)
    p.add_argument("--kernel", required=True, help=argparse.SUPPRESS)
    p.add_argument("--initrd", required=True, help=argparse.SUPPRESS)
    p.add_argument("--page-outs", type=positive, default=1000000, metavar="N",
                   help="page-outs per configuration (default 1000000)")
    p.add_argument("--policy", action="append", choices=list(POLICIES),
                   help="only this policy (again for more; default every one that swaps)")
    p.add_argument("--sv", action="append", choices=["39", "48"],
                   help="only this paging mode (default both)")
    p.add_argument("--smp", action="append", choices=["1", "2"], help="only this many harts "
                   "(default 1 and 2)")
    p.add_argument("--short", action="store_true",
                   help="the short client (2 rounds a boot), as the test suite runs it")
    p.add_argument("--timeout", type=positive, default=1800, metavar="S",
                   help="seconds one boot may take (default 1800)")
    p.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def boot(args, policy, sv, smp):
    """One boot of the soak client; (page-outs, swap-ins, words checked, words
    wrong, I/O errors, failure text or None)."""
    client = "ptest-soak-short" if args.short else "ptest-soak"
    h = harness.parse_args(["--qemu", args.qemu, "--kernel", args.kernel, "--initrd", args.initrd,
                            "--mem", "32M", "--blk", "modern", "--disk-size", "128M",
                            "--smp", smp, "--timeout", str(args.timeout),
                            "--append", f"sv={sv} pager={POLICIES[policy]} run={client}"])
    _, status, out = harness.run(h)
    counters = COUNTERS.findall(out)
    words = WORDS.search(out)
    why = None
    if status is None:
        why = f"timed out after {args.timeout} s"
    elif status != 0:
        why = f"exit status {status}"
    elif not counters or not words:
        why = "no counters or no result line"
    elif re.search(r"FAIL|panic", out):
        why = "a FAIL or panic line"
    if why:
        tail = "\n".join(out.splitlines()[-15:])
        return 0, 0, 0, 0, 0, f"{why}; the console's last lines:\n{tail}"
    _, swap_ins, outs, errors = (int(x) for x in counters[-1])
    return outs, swap_ins, int(words.group(2)), int(words.group(3)), errors, None


def main(argv):
    args = parse(argv)
    if args.parse_only:
        return 0
    for name in args.policy or []:
        if not evicts(args.kernel, POLICIES[name]):
            print(f"faultline: soak: --policy {name}: it evicts nothing, so nothing goes to "
                  "swap to check", file=sys.stderr)
            return 64
    chosen = args.policy or [n for n in POLICIES if evicts(args.kernel, POLICIES[n])]
    configs = [(p, sv, smp) for p in chosen for sv in (args.sv or ["39", "48"])
               for smp in (args.smp or ["1", "2"])]
    rows, failed = [], False
    print(f"soak: {len(configs)} configuration(s), at least {args.page_outs:,} page-outs each")
    for policy, sv, smp in configs:
        name = f"{policy} sv{sv} smp{smp}"
        total = [0, 0, 0, 0, 0]
        boots, start, why = 0, time.monotonic(), None
        while total[0] < args.page_outs and not why:
            *got, why = boot(args, policy, sv, smp)
            boots += 1
            total = [a + b for a, b in zip(total, got)]
            print(f"soak: {name}: boot {boots}: {total[0]:,} page-outs, {total[2]:,} words "
                  f"checked, {total[3]} wrong ({time.monotonic() - start:.0f} s)", flush=True)
            if why:
                print(f"soak: {name}: FAILED: {why}")
            elif got[0] == 0:
                why = "a boot wrote nothing to swap"
                print(f"soak: {name}: FAILED: {why}")
        failed |= bool(why) or total[3] > 0
        rows.append((name, boots, *total, "FAILED" if why or total[3] else "ok"))
    print(f"\n{'configuration':26} {'boots':>5} {'page-outs':>11} {'swap-ins':>11} "
          f"{'words checked':>15} {'wrong':>6} {'I/O errors':>10}  result")
    for name, boots, outs, ins, checked, wrong, errors, result in rows:
        print(f"{name:26} {boots:5} {outs:11,} {ins:11,} {checked:15,} {wrong:6} {errors:10}  "
              f"{result}")
    print(f"soak: {'FAILED' if failed else 'every word held'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
