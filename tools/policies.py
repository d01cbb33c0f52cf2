#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pager servers of the source tree, one a line: servers/pager (Clock,
the default) and every servers/pager-NAME holding a main.c. The build
(servers/meson.build), tools/faultline and the test scripts find policies
here, so that a new policy is a new directory (docs/pager.md).

  policies.py SERVERS_DIR            the server names (pager, pager-fifo, ...)
  policies.py --names SERVERS_DIR    the policy names (clock, fifo, ...)
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


if __name__ == "__main__":
    args = sys.argv[1:]
    names = args[:1] == ["--names"]
    for s in servers(args[-1]):
        print(policy_name(s) if names else s)
