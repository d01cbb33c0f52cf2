#!/usr/bin/env python3
"""Boot Faultline under QEMU and check its serial output and exit status.

Each --expect pattern (a Python regular expression) must match some part of
the output, each --reject pattern must match none, and QEMU must exit with
--exit (default 0) before --timeout seconds. Prints TAP, one line a check; on
any failure it also prints the whole console output.

Example:
  harness.py --qemu qemu-system-riscv64 --kernel build/kernel/kernel.elf \\
      --smp 4 --mem 2G --append sv=39 --expect 'mmu: Sv39 ' --exit 0

With --blk a scratch disk of --disk-size bytes (zeros) is attached; with
--blk-error read:N or write:N QEMU's blkdebug driver fails every read or write
that covers sector N with EIO, which the device reports as VIRTIO_BLK_S_IOERR.
"""
import argparse
import os
import random
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
                   help="attach a scratch virtio-blk disk (virtio-mmio version 1 or 2)")
    p.add_argument("--disk-size", default="1M", type=disk_size, metavar="SIZE",
                   help="the --blk disk's size: bytes, or with a K, M or G suffix"
                        " (a multiple of 512; default 1M)")
    p.add_argument("--disk-readonly", action="store_true",
                   help="with --blk: a read-only disk (the device offers VIRTIO_BLK_F_RO)")
    p.add_argument("--blk-error", type=blk_error, metavar="OP:SECTOR",
                   help="with --blk: fail every 'read' or 'write' covering SECTOR with EIO"
                        " (QEMU blkdebug)")
    p.add_argument("--blk-random-errors", type=blk_random_errors, metavar="OP:COUNT:SEED",
                   help="fail every read or write covering COUNT sectors of the disk chosen"
                        " at random from SEED (QEMU blkdebug)")
    p.add_argument("--blk-iops", type=int, metavar="N",
                   help="with --blk: QEMU throttles the disk to N requests a second"
                        " (requests stay in flight long enough to see them)")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--exit", type=int, default=0, dest="exit_status",
                   help="expected exit status")
    p.add_argument("--expect", action="append", default=[], metavar="REGEX")
    p.add_argument("--reject", action="append", default=[], metavar="REGEX")
    p.add_argument("--equal-groups", action="append", default=[], metavar="REGEX",
                   help="every match of REGEX must capture the same groups")
    p.add_argument("--max-boot-us", type=int,
                   help="the 'boot: done in N us' figure must not exceed this")
    args = p.parse_args(argv)
    if (args.blk_error or args.disk_readonly or args.blk_iops) and not args.blk:
        p.error("--blk-error, --blk-iops and --disk-readonly need --blk")
    if args.blk_iops is not None and args.blk_iops < 1:
        p.error(f"--blk-iops takes a positive number, not {args.blk_iops}")
    return args


def disk_size(text):
    """'1M' -> 1048576: bytes, or K/M/G (powers of 1024); a positive multiple of 512."""
    m = re.fullmatch(r"(\d+)([KMG]?)", text.strip().upper())
    if not m:
        raise argparse.ArgumentTypeError(f"bad size '{text}': expected e.g. 512K, 4M, 1G")
    size = int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]
    if size <= 0 or size % 512:
        raise argparse.ArgumentTypeError(f"bad size '{text}': not a positive multiple of 512")
    return size


def blk_error(text):
    """'read:1000' -> ('read', 1000)."""
    m = re.fullmatch(r"(read|write):(\d+)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"bad --blk-error '{text}': expected read:N or write:N")
    return m.group(1), int(m.group(2))


def blk_random_errors(text):
    """'write:32:7' -> ('write', 32, 7)."""
    m = re.fullmatch(r"(read|write):(\d+):(\d+)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(
            f"bad --blk-random-errors '{text}': expected read:COUNT:SEED or write:COUNT:SEED")
    return m.group(1), int(m.group(2)), int(m.group(3))


def blkdebug_config(op, sector):
    """A blkdebug rule failing every `op` request that covers `sector` with EIO.
    The event fires in the raw format driver above blkdebug (so the drive must be
    format=raw over blkdebug:...); iotype keeps the other direction working."""
    return (f'[inject-error]\nevent = "{op}_aio"\niotype = "{op}"\nerrno = "5"\n'
            f'sector = "{sector}"\n')


def qemu_command(args, disk, blkdebug=None):
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
        cmd += ["-icount", "shift=0,sleep=off", "-seed", "1"]
    if disk:
        if args.blk == "modern":
            cmd += ["-global", "virtio-mmio.force-legacy=false"]
        image = f"blkdebug:{blkdebug}:{disk}" if blkdebug else disk
        ro = ",readonly=on" if args.disk_readonly else ""
        slow = f",throttling.iops-total={args.blk_iops}" if args.blk_iops else ""
        cmd += ["-drive", f"file={image},if=none,format=raw,id=disk0,rerror=report,werror=report"
                + ro + slow, "-device", "virtio-blk-device,drive=disk0"]
    return cmd


def run(args):
    disk = conf = None
    try:
        if args.blk:
            fd, disk = tempfile.mkstemp(prefix="faultline-disk-", suffix=".img")
            os.ftruncate(fd, args.disk_size)
            os.close(fd)
        rules = [args.blk_error] if args.blk_error else []
        if args.blk_random_errors:
            op, count, seed = args.blk_random_errors
            pick = random.Random(seed)
            rules += [(op, pick.randrange(args.disk_size // 512)) for _ in range(count)]
            print(f"# blkdebug: {op}s of sectors {sorted(r[1] for r in rules)} fail")
        if rules:
            fd, conf = tempfile.mkstemp(prefix="faultline-blkdebug-", suffix=".conf")
            os.write(fd, "".join(blkdebug_config(*r) for r in rules).encode())
            os.close(fd)
        cmd = qemu_command(args, disk, conf)
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=args.timeout)
            return cmd, proc.returncode, proc.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            return cmd, None, out
    finally:
        for path in (disk, conf):
            if path:
                os.unlink(path)


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
