#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pager servers of the source tree, one a line: servers/pager (Clock,
the default) and every servers/pager-NAME holding a main.c. The build
(servers/meson.build), tools/faultline and the test scripts find policies
here, so that a new policy is a new directory (docs/pager.md).

  policies.py SERVERS_DIR            the server names (pager, pager-fifo, ...)
  policies.py --names SERVERS_DIR    the policy names (clock, fifo, ...)
  policies.py --table SERVERS_DIR    the policy table of docs/pager.md (Markdown)
  policies.py --check DOC SERVERS_DIR   whether DOC holds that table (TAP)
  policies.py --update DOC SERVERS_DIR  write it there

The table comes from each server's main.c: its `.name`, which hooks it sets
and which of the library's calls it makes, so that it lists every policy
and says what each uses without anyone keeping it by hand.
"""
import os
import re
import subprocess
import sys


def servers(root):
    """The pager server directories under @root, sorted, the default first."""
    found = [d for d in os.listdir(root)
             if re.fullmatch(r"pager(-[a-z0-9]+)?", d)
             and os.path.isfile(os.path.join(root, d, "main.c"))]
    return sorted(found, key=lambda d: (d != "pager", d))


def policy_name(server):
    """The name every command takes for pager server @server."""
    return "clock" if server == "pager" else server[len("pager-"):]


def server_of(name):
    """The pager server of policy @name."""
    return "pager" if name == "clock" else "pager-" + name


def evicts(sim):
    """Whether the simulator binary @sim's policy chooses victims (its
    --describe); one that evicts nothing (pager-huge) has no paging to
    compare, check or soak."""
    p = subprocess.run([sim, "--describe"], capture_output=True, text=True)
    return p.returncode == 0 and p.stdout.startswith("evicts")


def evicting(tools):
    """The policies the build in @tools has a simulator for that evict, as
    {policy name: pager server}: sim-pager is Clock, sim-pager-NAME is NAME."""
    found = {}
    for f in sorted(os.listdir(tools)):
        path = os.path.join(tools, f)
        if re.fullmatch(r"sim-pager(-[a-z0-9]+)?", f) and os.path.isfile(path) \
                and os.access(path, os.X_OK) and evicts(path):
            found[policy_name(f[len("sim-"):])] = f[len("sim-"):]
    return found


TABLE_START = "<!-- policy table: tools/policies.py --update docs/pager.md servers -->"
TABLE_END = "<!-- end of the policy table -->"


def row(root, server):
    """The table row of pager server @server: what its main.c says."""
    with open(os.path.join(root, server, "main.c"), encoding="utf-8") as f:
        src = f.read()
    name = re.search(r'\.name\s*=\s*"((?:[^"\\]|\\.)*)"', src)
    sets = set(re.findall(r"^\s*\.([a-z_]+)\s*=", src, re.M))
    if "choose_victim" not in sets:
        victims = "none: it never evicts"
    elif "pager_pages_accessed" in src:
        victims = "A bits, 64 a call"
    elif "periodic_scan" in sets:
        victims = "A bits at a periodic scan"
    elif "pager_page_accessed" in src:
        victims = "A bits, one a call"
    else:
        victims = "no bits: order only"
    extra = [what for hook, what in (("history", "ghost history"),
                                     ("miss_not_visit", "a miss is no visit in textbook mode"),
                                     ("on_fault", "chooses page sizes"))
             if hook in sets]
    if "pager_page_clean" in src:
        extra.append("schedules write-backs")
    return (f"| `{server}` | `{policy_name(server)}` | "
            f"{name.group(1) if name else server} | {victims} | {', '.join(extra) or '-'} |")


def table(root):
    """The policy table for the servers under @root, with its markers."""
    lines = [TABLE_START,
             "| server (`pager=`) | `--policy` | policy (its `.name`) | victims by | besides |",
             "|---|---|---|---|---|"]
    lines += [row(root, s) for s in servers(root)]
    lines.append("| (simulator only) | `opt`, `lru` | Belady's OPT and exact LRU, the yardsticks "
                 "| every reference | - |")
    return "\n".join(lines + [TABLE_END]) + "\n"


def in_doc(doc):
    """The text of @doc and where its table starts and ends (-1, -1: none)."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    start = text.find(TABLE_START)
    end = text.find(TABLE_END, start)
    return text, start, end + len(TABLE_END) + 1 if start >= 0 and end >= 0 else -1


def main(args):
    if len(args) == 3 and args[0] in ("--check", "--update"):
        doc, root = args[1], args[2]
        text, start, end = in_doc(doc)
        want = table(root)
        if start < 0 or end < 0:
            print(f"policies.py: {doc} has no policy table (its markers)", file=sys.stderr)
            return 1
        if args[0] == "--update":
            with open(doc, "w", encoding="utf-8") as f:
                f.write(text[:start] + want + text[end:])
            return 0
        same = text[start:end] == want
        print(f"1..1\n{'ok' if same else 'not ok'} 1 - {doc} lists every policy as its file "
              "says")
        if not same:
            print(f"# run: tools/policies.py --update {doc} {root}")
            for line in want.splitlines():
                print(f"# {line}")
        return 0 if same else 1
    if len(args) == 2 and args[0] == "--table":
        print(table(args[1]), end="")
        return 0
    if len(args) not in (1, 2) or (len(args) == 2 and args[0] != "--names"):
        print(__doc__, file=sys.stderr)
        return 64
    for s in servers(args[-1]):
        print(policy_name(s) if args[0] == "--names" else s)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except OSError as e:
        print(f"policies.py: {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(66)
