#!/usr/bin/env python3
"""Follow the policy tutorials in docs/pager.md, as a newcomer would.

Copies the source tree to a scratch directory, writes the file the tutorial
shows (nothing else: the build finds a new servers/pager-NAME by itself),
builds from scratch, boots with the command it shows and checks for the lines
it says to expect. Then the replacement-policy tutorial: writes its file
(servers/pager-random/main.c), runs every `$ ` command it shows and compares
the output with what it shows (for a boot, the counters line). Fails if any
step of either tutorial does not work as written.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def dedent(block):
    return "\n".join(l[3:] if l.startswith("   ") else l for l in block.split("\n"))


def apply_tutorial(tree):
    doc = open(os.path.join(tree, "docs", "pager.md"), encoding="utf-8").read()
    part = doc[doc.index("## Tutorial"):]
    m = re.search(r"`(servers/[\w-]+/main\.c)`:\n\n   ```c\n(.*?)   ```", part, re.S)
    path, code = m.group(1), dedent(m.group(2))
    os.makedirs(os.path.join(tree, os.path.dirname(path)), exist_ok=True)
    open(os.path.join(tree, path), "w", encoding="utf-8").write(code)
    run = re.search(r"```sh\n   (tools/faultline run [^\n]*)\n", part).group(1)
    return path, run


def replacement_tutorial(tree):
    """The replacement-policy tutorial: its file written into @tree, and its
    commands with the output each shows (a list of (command, lines))."""
    doc = open(os.path.join(tree, "docs", "pager.md"), encoding="utf-8").read()
    part = doc[doc.index("## Tutorial: a replacement policy"):doc.index("## Replacement policies")]
    m = re.search(r"`(servers/[\w-]+/main\.c)`:\n\n   ```c\n(.*?)   ```", part, re.S)
    path = m.group(1)
    os.makedirs(os.path.join(tree, os.path.dirname(path)), exist_ok=True)
    open(os.path.join(tree, path), "w", encoding="utf-8").write(dedent(m.group(2)))
    steps = []
    for block in re.findall(r"   ```sh\n(.*?)   ```", part, re.S):
        for line in dedent(block).rstrip("\n").split("\n"):
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
    return path, steps


def follow(tree, env, steps):
    """Run each step's command in @tree: (ok, what) checks. A `run` shows
    only some lines ("..." between): its counters line must be the one shown;
    every other command's standard output must be what is shown."""
    checks = []
    for cmd, want in steps:
        p = subprocess.run(["bash", "-c", cmd], cwd=tree, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=900)
        out = p.stdout.decode("utf-8", "replace").replace("\r", "")
        if " run " in f" {cmd} " or cmd.startswith("tools/faultline run"):
            shown = [l for l in want if l.startswith("pager: counters:")]
            got = re.findall(r"^pager: counters: .*$", out, re.M)
            ok = p.returncode == 0 and shown and got and got[0] == shown[0]
        else:
            ok = p.returncode == 0 and out.rstrip("\n").split("\n") == want if want else \
                p.returncode == 0
        checks.append((ok, f"as shown: {cmd}"))
        if not ok:
            print(f"# {cmd}: exit {p.returncode}")
            for line in (out.splitlines() + p.stderr.decode("utf-8", "replace").splitlines())[-20:]:
                print("#   " + line)
    return checks


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", required=True)
    args = p.parse_args(argv)
    scratch = tempfile.mkdtemp(prefix="faultline-tutorial-")
    tree = os.path.join(scratch, "src")
    try:
        shutil.copytree(args.source, tree, symlinks=True,
                        ignore=shutil.ignore_patterns("build", "build-*", ".git"))
        path, run = apply_tutorial(tree)
        rpath, steps = replacement_tutorial(tree)
        print(f"# wrote {path} and {rpath}; running: {run}, then {len(steps)} commands")
        env = dict(os.environ, FAULTLINE_BUILD=os.path.join(tree, "build"))
        proc = subprocess.run(run.split(), cwd=tree, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        out = proc.stdout.decode("utf-8", "replace")
        checks = [
            (proc.returncode == 0, f"the run exits 0 (got {proc.returncode})"),
            (re.search(r"^pager: policy big \(2 MiB pages in regions of 4 MiB or more\)", out, re.M),
             "the new policy runs"),
            (re.search(r"^pager-big: ptest-huge faults first at 0x10000", out, re.M),
             "its first-fault line"),
            (re.search(r"^ptest-huge: 1024 pages touched with 2 faults", out, re.M),
             "2 MiB pages in the big region"),
        ]
        checks += follow(tree, env, steps)
        checks.append((os.path.getsize(os.path.join(tree, "random.png")) > 10000
                       if os.path.exists(os.path.join(tree, "random.png")) else False,
                       "the curves' PNG is there"))
        print(f"1..{len(checks)}")
        for i, (ok, what) in enumerate(checks, 1):
            print(f"{'ok' if ok else 'not ok'} {i} - {what}")
        if not all(ok for ok, _ in checks):
            for line in out.splitlines()[-60:]:
                print("# " + line)
            return 1
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
