#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/faultline reftrace: a real program's page reference string.

Runs COMMAND under valgrind's lackey tool (`--trace-mem=yes`: every load,
store and modify of the program's data, instruction fetches left out), turns
each access into its 4 KiB page and writes the simulator's format: a page
number a line, W after it for a store. Successive accesses to one page are
one reference (a load after loads, or anything after a store: a W line when
the page was written); page numbers are the pages' ranks in address order
(0 for the lowest page touched), so neighbours stay neighbours and the
string fits a region of the pages it touches. `sim`, `compare` and `run
--replay` take the file. Prints what it wrote on stderr; exit status 0, 64
for a usage error, 66 when COMMAND cannot be run, 70 when valgrind fails.
"""
import argparse
import os
import subprocess
import sys


class Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"faultline: reftrace: {message} (see tools/faultline reftrace --help)",
              file=sys.stderr)
        sys.exit(64)


def trace(command, limit):
    """The collapsed (page, write) references of @command (at most @limit),
    its exit status, and the accesses lackey reported."""
    read_fd, write_fd = os.pipe()
    try:
        p = subprocess.Popen(["valgrind", "--tool=lackey", "--trace-mem=yes",
                              f"--log-fd={write_fd}", "--"] + command,
                             pass_fds=(write_fd,), stdout=subprocess.DEVNULL)
    except FileNotFoundError:
        os.close(read_fd)
        os.close(write_fd)
        print("faultline: reftrace: no valgrind (Debian: valgrind; tools/faultline setup "
              "installs it)", file=sys.stderr)
        sys.exit(70)
    os.close(write_fd)
    refs, accesses = [], 0
    last_page, last_write = None, False
    with os.fdopen(read_fd, "r", errors="replace") as log:
        for line in log:
            if len(line) < 4 or line[0] != " " or line[1] not in "LSM":
                continue     # instruction fetches ("I"), valgrind's own lines ("==")
            accesses += 1
            page = int(line[3:line.index(",")], 16) >> 12
            write = line[1] != "L"
            if page == last_page and (last_write or not write):
                continue
            if page == last_page:	# a store after loads: the reference becomes W
                refs[-1] = (page, True)
            else:
                refs.append((page, write))
            last_page, last_write = page, write
            if len(refs) > limit:
                p.kill()
                break
    status = p.wait()
    return refs, status, accesses


def main(argv):
    p = Parser(prog="tools/faultline reftrace", description=__doc__.split("\n\n")[0],
               epilog="Example: tools/faultline reftrace -o sort.ref -- sort /usr/share/dict/words")
    p.add_argument("-o", metavar="FILE", default="reftrace.ref",
                   help="where the string goes (default reftrace.ref)")
    p.add_argument("--max", type=int, default=2000000, metavar="N",
                   help="stop the program after N references (default 2,000,000)")
    p.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND ARGS")
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        p.error("which program? (-- COMMAND ARGS)")
    if args.max < 1:
        p.error("--max takes a number from 1")
    if not os.path.isdir(os.path.dirname(os.path.abspath(args.o))):
        p.error(f"-o {args.o}: no such directory")
    refs, status, accesses = trace(command, args.max)
    if not refs:
        print(f"faultline: reftrace: {command[0]}: no memory accesses traced (valgrind exit "
              f"status {status}: cannot run it?)", file=sys.stderr)
        return 66 if status else 70
    cut = len(refs) > args.max
    refs = refs[:args.max]
    rank = {page: i for i, page in enumerate(sorted({page for page, _ in refs}))}
    with open(args.o, "w") as f:
        f.write(f"# tools/faultline reftrace -- {' '.join(command)}\n"
                f"# valgrind lackey: {accesses} data accesses, {len(refs)} references, "
                f"{len(rank)} pages (ranked by address)\n")
        f.writelines(f"{rank[page]}{' W' if write else ''}\n" for page, write in refs)
    print(f"reftrace: {args.o}: {len(refs):,} references over "
          f"{len(rank):,} pages from {accesses:,} data accesses"
          f"{' (stopped at --max)' if cut else ''}; {command[0]} exited {status}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
