#!/usr/bin/env python3
"""A reference model of the replacement policies, written from the textbooks.

An independent check of tools/sim.c and the policy files (tests/policy/check.py
compares them): nothing here is taken from the C. Frames are a plain array of
slots with a hand index, as the books draw them, where the C keeps a list in
the frame records and rotates it.

The machine is the simulator's (docs/pager.md, "Policy simulator"): a
reference to a resident page sets R (and D for a write); a miss counts a fault
(the clock: faults so far), runs the aging tick first when faults % scan == 0,
takes a free slot or the victim's (a write-back if it was dirty), loads the
page, then sets R (and D).

Usage: model.py --policy fifo|clock|aging|wsclock|sieve|opt|lru --frames N [--scan N] FILE
"""
import argparse
import bisect
import sys

TAU = 16            # WSClock's tau, in faults (servers/pager-wsclock/main.c)
AGING_SCAN = 256    # the aging policy's scan_faults (servers/pager-aging/main.c)
COUNTER_TOP = 1 << 31   # the aging counter is 32 bits wide


class Slot:
    """One frame: its page, R and D bits, and what the policies keep."""

    def __init__(self, page, now, seq):
        self.page = page
        self.r = False
        self.d = False
        self.time = now      # WSClock: time of last use
        self.counter = 0     # aging
        self.seq = seq       # load order: FIFO, and aging's ties
        self.last_ref = 0    # LRU


class Machine:
    """The simulated memory under one policy."""

    def __init__(self, policy, frames, refs, scan):
        self.policy, self.frames, self.refs = policy, frames, refs
        self.scan = scan
        self.slots = []      # index = frame; the circle for clock and wsclock
        self.hand = 0
        self.loads = 0
        self.faults = self.evictions = self.write_backs = 0
        self.branches = set()    # WSClock paths taken (check.py asserts coverage)
        self.sieve_q = []        # SIEVE: slots, oldest first (the hand walks towards newer)
        self.sieve_hand = None   # SIEVE: index into sieve_q, None: at the oldest
        self.uses = {}           # page -> the indices of its references, for OPT
        for i, (page, _) in enumerate(refs):
            self.uses.setdefault(page, []).append(i)

    def run(self):
        where = {}
        for i, (page, write) in enumerate(self.refs):
            missed = page not in where
            if missed:
                where[page] = self.fault(i, where)
            slot = self.slots[where[page]]
            slot.r = slot.r or not (missed and self.policy == "sieve")  # SIEVE: a miss is no visit
            slot.d = slot.d or write
            slot.last_ref = i
        return self.faults, self.evictions, self.write_backs

    def fault(self, i, where):
        self.faults += 1
        if self.policy == "aging" and self.faults % self.scan == 0:
            for s in self.slots:     # Tanenbaum 3.4.7: shift right, R at the left
                s.counter = (s.counter >> 1) | (COUNTER_TOP if s.r else 0)
                s.r = False
        self.loads += 1
        new = Slot(self.refs[i][0], self.faults, self.loads)
        if len(self.slots) < self.frames:
            self.slots.append(new)
            self.sieve_q.append(len(self.slots) - 1)
            return len(self.slots) - 1
        k = getattr(self, "victim_" + self.policy)(i)
        old = self.slots[k]
        if old.d:
            self.write_backs += 1
        self.evictions += 1
        del where[old.page]
        self.slots[k] = new
        return k

    def victim_fifo(self, i):
        """Silberschatz 10.4.2: the page brought in first."""
        return min(range(self.frames), key=lambda k: self.slots[k].seq)

    def victim_lru(self, i):
        """Silberschatz 10.4.4 (only to check this model against the book)."""
        return min(range(self.frames), key=lambda k: self.slots[k].last_ref)

    def victim_opt(self, i):
        """Belady 1966: the page used farthest ahead; never again = infinity,
        and among those the lowest page number."""
        def key(k):
            page = self.slots[k].page
            uses = self.uses[page]
            j = bisect.bisect_right(uses, i)
            return (uses[j] if j < len(uses) else len(self.refs), -page)
        return max(range(self.frames), key=key)

    def victim_clock(self, i):
        """Tanenbaum 3.4.5: R = 0 at the hand is the victim, else clear and advance."""
        while self.slots[self.hand].r:
            self.slots[self.hand].r = False
            self.hand = (self.hand + 1) % self.frames
        k = self.hand
        self.hand = (k + 1) % self.frames
        return k

    def victim_sieve(self, i):
        """Zhang et al., NSDI 2024, Algorithm 1: from the hand (or the tail, the
        oldest) towards the head, a visited object loses the bit and stays; the
        first unvisited one goes, the hand stays at the next newer (None past the
        head), and the new object goes to the head."""
        q = self.sieve_q
        pos = self.sieve_hand if self.sieve_hand is not None else 0
        while self.slots[q[pos]].r:
            self.slots[q[pos]].r = False
            pos = (pos + 1) % len(q)
        k = q.pop(pos)
        self.sieve_hand = pos if pos < len(q) else None
        q.append(k)
        return k

    def victim_aging(self, i):
        """Tanenbaum 3.4.7: the lowest counter; Silberschatz 10.4.5.1: FIFO among equals."""
        return min(range(self.frames), key=lambda k: (self.slots[k].counter, self.slots[k].seq))

    def victim_wsclock(self, i):
        """Tanenbaum 3.4.9 (Carr and Hennessy 1981)."""
        now, n = self.faults, self.frames
        scheduled = 0
        clean = None
        for step in range(2 * n):
            if step == n and scheduled == 0:
                break
            k = self.hand
            s = self.slots[k]
            self.hand = (k + 1) % n
            if s.r:
                s.r = False
                s.time = now
            elif now - s.time > TAU and not s.d:
                self.branches.add("old clean page" if step < n else "cleaned page, second circle")
                return k
            elif now - s.time > TAU and step < n:
                s.d = False          # the write is scheduled and done at once
                self.write_backs += 1
                scheduled += 1
                self.branches.add("write scheduled")
            if not s.d and (clean is None or now - s.time > now - self.slots[clean].time):
                clean = k
        if clean is None:
            self.branches.add("no clean page: the hand's")
            k = self.hand
        else:
            self.branches.add("all in the working set: oldest clean")
            k = clean
        self.hand = (k + 1) % n
        return k


def parse(path):
    """The reference string in @path as (page, write) pairs."""
    refs = []
    for line in open(path, encoding="utf-8"):
        words = line.split("#")[0].split()
        if words:
            refs.append((int(words[0]), len(words) > 1 and words[1] == "W"))
    return refs


def simulate(policy, frames, refs, scan=None):
    """(faults, evictions, write-backs) and the WSClock paths taken."""
    m = Machine(policy, frames, refs, scan or AGING_SCAN)
    return m.run(), m.branches


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--policy", required=True,
                   choices=["fifo", "clock", "aging", "wsclock", "sieve", "opt", "lru"])
    p.add_argument("--frames", type=int, required=True)
    p.add_argument("--scan", type=int)
    p.add_argument("file")
    a = p.parse_args(argv)
    (faults, evictions, write_backs), _ = simulate(a.policy, a.frames, parse(a.file), a.scan)
    print(f"faults: {faults}\nevictions: {evictions}\nwrite-backs: {write_backs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
