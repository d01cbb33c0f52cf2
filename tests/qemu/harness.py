#!/usr/bin/env python3
"""Boot Faultline under QEMU and check its serial output and exit status.

Each --expect pattern (a Python regular expression) must match some part of
the output, each --reject pattern must match none, and QEMU must exit with
--exit (default 0) before --timeout seconds. Prints TAP, one line a check; on
any failure it also prints the whole console output.

Example:
  harness.py --qemu qemu-system-riscv64 --kernel build/kernel/kernel.elf \\
      --smp 4 --mem 2G --append sv=39 --expect 'mmu: Sv39 ' --exit 0
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--kernel", required=True)
    p.add_argument("--mem", default="128M")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--append", default="", help="kernel boot arguments")
    p.add_argument("--initrd", help="the boot archive (QEMU -initrd)")
    p.add_argument("--dtb", help="boot with this device tree")
    p.add_argument("--cpu", help="QEMU -cpu model and options, e.g. rv64,mmu=false")
    p.add_argument("--icount", action="store_true",
                   help="-icount shift=0,sleep=off (exact instruction counts)")
    p.add_argument("--blk", choices=["legacy", "modern"],
                   help="attach a 1 MiB virtio-blk disk (virtio-mmio version 1 or 2)")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--exit", type=int, default=0, dest="exit_status",
                   help="expected exit status")
    p.add_argument("--expect", action="append", default=[], metavar="REGEX")
    p.add_argument("--reject", action="append", default=[], metavar="REGEX")
    p.add_argument("--equal-groups", action="append", default=[], metavar="REGEX",
                   help="every match of REGEX must capture the same groups")
    p.add_argument("--max-boot-us", type=int,
                   help="the 'boot: done in N us' figure must not exceed this")
    return p.parse_args(argv)


def qemu_command(args, disk):
    cmd = [args.qemu, "-machine", "virt", "-nographic", "-bios", "default",
           "-m", args.mem, "-smp", str(args.smp), "-kernel", args.kernel,
           "-monitor", "none", "-serial", "stdio"]
    if args.append:
        cmd += ["-append", args.append]
    if args.initrd:
        cmd += ["-initrd", args.initrd]
    if args.dtb:
        cmd += ["-dtb", args.dtb]
    if args.cpu:
        cmd += ["-cpu", args.cpu]
    if args.icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if disk:
        if args.blk == "modern":
            cmd += ["-global", "virtio-mmio.force-legacy=false"]
        cmd += ["-drive", f"file={disk},if=none,format=raw,id=disk0",
                "-device", "virtio-blk-device,drive=disk0"]
    return cmd


def run(args):
    disk = None
    try:
        if args.blk:
            fd, disk = tempfile.mkstemp(prefix="faultline-disk-", suffix=".img")
            os.ftruncate(fd, 1 << 20)
            os.close(fd)
        cmd = qemu_command(args, disk)
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=args.timeout)
            return cmd, proc.returncode, proc.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            return cmd, None, out
    finally:
        if disk:
            os.unlink(disk)


def check(args, status, out):
    """Returns a list of (ok, description)."""
    results = []
    if status is None:
        results.append((False, f"QEMU exits within {args.timeout:g} s (it timed out)"))
    else:
        results.append((status == args.exit_status,
                        f"exit status {status}, expected {args.exit_status}"))
    for pattern in args.expect:
        results.append((re.search(pattern, out, re.M) is not None,
                        f"output matches /{pattern}/"))
    for pattern in args.reject:
        results.append((re.search(pattern, out, re.M) is None,
                        f"output does not match /{pattern}/"))
    for pattern in args.equal_groups:
        found = [m.groups() for m in re.finditer(pattern, out, re.M)]
        results.append((len(found) >= 2 and len(set(found)) == 1,
                        f"all {len(found)} matches of /{pattern}/ capture the same values"
                        f" ({sorted(set(found))})"))
    if args.max_boot_us is not None:
        m = re.search(r"^boot: done in (\d+) us", out, re.M)
        us = int(m.group(1)) if m else None
        results.append((us is not None and us <= args.max_boot_us,
                        f"boot took {us} us of emulated time, at most {args.max_boot_us}"))
    return results


def main(argv):
    args = parse_args(argv)
    cmd, status, out = run(args)
    results = check(args, status, out)
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    if not all(ok for ok, _ in results):
        print("# command: " + " ".join(cmd))
        print("# console output:")
        for line in out.splitlines():
            print("# " + line)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
