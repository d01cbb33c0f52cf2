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

2Q, S3-FIFO, CAR, CLOCK-Pro and the MGLRU-style generations are modelled as
the pager runs them (their files say
how that differs from the papers): queues of slots, oldest first; the
library's history of evicted pages as a dict that forgets an entry once
`frames` evictions followed it; A bits read by S3-FIFO 64 pages ahead.

Usage: model.py --policy fifo|clock|aging|wsclock|sieve|2q|s3fifo|car|clockpro|mglru|opt|lru
                --frames N [--scan N] FILE
"""
import argparse
import bisect
import sys

TAU = 16            # WSClock's tau, in faults (servers/pager-wsclock/main.c)
AGING_SCAN = 256    # the aging policy's scan_faults (servers/pager-aging/main.c)
COUNTER_TOP = 1 << 31   # the aging counter is 32 bits wide
MISS_NOT_VISIT = {"sieve", "s3fifo", "car", "clockpro"}     # a miss leaves R clear (textbook mode)
BATCH = 64          # S3-FIFO reads this many A bits ahead


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
        self.freq = 0        # S3-FIFO: M's 2-bit frequency
        self.read = None     # S3-FIFO: its A bit as read ahead, None: not read
        self.test = False    # CLOCK-Pro: in its test period, begun at HAND_hot's
        self.start = 0       # step `start`


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
        self.q = {"a": [], "b": []}  # 2Q: A1in, Am; S3-FIFO: S, M; CAR: T1, T2 (slots)
        self.history = {}        # page -> (evictions before its own, the word it left)
        self.word = 0            # what the victim being evicted leaves in the history
        self.seq = [1, 1]        # 2Q A1out, S3-FIFO G, CAR B1 and B2: next sequence number
        self.nb = [0, 0]         # CAR: |B1|, |B2|
        self.p = 0               # CAR: T1's target
        self.steps = 0           # CLOCK-Pro: HAND_hot's steps
        self.gens = {0: [], 1: []}   # MGLRU-style: generation seq -> its slots, oldest first
        self.min_seq, self.max_seq = 0, 1
        self.m_c = 0             # CLOCK-Pro: the cold pages' target
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
            slot.r = slot.r or not (missed and self.policy in MISS_NOT_VISIT)
            slot.d = slot.d or write
            slot.last_ref = i
        return self.faults, self.evictions, self.write_backs

    def fault(self, i, where):
        self.faults += 1
        if self.policy == "mglru" and self.faults % self.scan == 0 \
                and self.max_seq - self.min_seq + 1 < 4:
            self.mg_age()
        if self.policy == "aging" and self.faults % self.scan == 0:
            for s in self.slots:     # Tanenbaum 3.4.7: shift right, R at the left
                s.counter = (s.counter >> 1) | (COUNTER_TOP if s.r else 0)
                s.r = False
        self.loads += 1
        new = Slot(self.refs[i][0], self.faults, self.loads)
        admit = getattr(self, "admit_" + self.policy, None)
        if len(self.slots) < self.frames:
            self.slots.append(new)
            self.sieve_q.append(len(self.slots) - 1)
            if admit:
                admit(len(self.slots) - 1)
            return len(self.slots) - 1
        k = getattr(self, "victim_" + self.policy)(i)
        old = self.slots[k]
        if old.d:
            self.write_backs += 1
        if admit:   # the library remembers it with the word the policy left
            self.history[old.page] = (self.evictions, self.word)
        self.evictions += 1
        del where[old.page]
        self.slots[k] = new
        if admit:
            admit(k)
        return k

    def recall(self, page):
        """The word the history keeps for @page, forgetting it; None when it
        has none or `frames` evictions came after its own."""
        evictions, word = self.history.pop(page, (None, None))
        if evictions is None or self.evictions - evictions > self.frames:
            return None
        return word

    def take(self, name, k):
        """Slot @k leaves queue @name (it is evicted)."""
        self.q[name].remove(k)
        return k

    def next_seq(self, n, mask):
        """Sequence number @n's next: 1..mask, never 0."""
        return (self.seq[n] + 1) & mask or 1

    # 2Q (Johnson and Shasha 1994, as servers/pager-2q runs it)
    def admit_2q(self, k):
        held = len(self.q["a"]) + len(self.q["b"])
        w = self.recall(self.slots[k].page)
        hot = w and ((self.seq[0] - w) & (2**30 - 1)) <= held // 2 + 1
        self.q["b" if hot else "a"].append(k)

    def victim_2q(self, i):
        a1in, am = self.q["a"], self.q["b"]
        held = len(a1in) + len(am)
        if a1in and (len(a1in) > held // 4 or not am):
            self.word = self.seq[0]
            self.seq[0] = self.next_seq(0, 2**30 - 1)
            return self.take("a", a1in[0])
        self.word = 0
        for k in list(am):  # Clock
            am.remove(k)
            am.append(k)
            if not self.slots[k].r:
                return self.take("b", k)
            self.slots[k].r = False
        return self.take("b", am[0])

    # S3-FIFO (Yang et al. 2023, as servers/pager-s3fifo runs it)
    def admit_s3fifo(self, k):
        held = len(self.q["a"]) + len(self.q["b"])
        w = self.recall(self.slots[k].page)
        ghost = w and ((self.seq[0] - w) & (2**27 - 1)) <= held - held // 10 + 1
        self.slots[k].freq, self.slots[k].read = 0, None
        self.q["b" if ghost else "a"].append(k)

    def s3_accessed(self, name, k):
        """The A bit of @k, the head of queue @name, read BATCH ahead."""
        q = self.q[name]
        if self.slots[k].read is None:
            for j in q[:BATCH]:
                if j != k and self.slots[j].read is not None:
                    break
                self.slots[j].read, self.slots[j].r = self.slots[j].r, False
        a, self.slots[k].read = self.slots[k].read, None
        return a

    def victim_s3fifo(self, i):
        small, main = self.q["a"], self.q["b"]
        held = len(small) + len(main)
        if small and (10 * len(small) >= held or not main):
            for _ in range(2 * len(small) + 1):
                if not small:
                    break
                k = small[0]
                a = self.s3_accessed("a", k)
                small.remove(k)
                if not a:
                    small.append(k)
                    self.word = self.seq[0]
                    self.seq[0] = self.next_seq(0, 2**27 - 1)
                    return self.take("a", k)
                self.slots[k].freq = 0
                main.append(k)
        self.word = 0
        for _ in range(4 * len(main) + 1):
            k = main[0]
            freq = min(self.slots[k].freq + self.s3_accessed("b", k), 3)
            main.remove(k)
            main.append(k)
            if not freq:
                return self.take("b", k)
            self.slots[k].freq = freq - 1
        return self.take("b", main[0])

    # CAR (Bansal and Modha 2004, as servers/pager-car runs it)
    def admit_car(self, k):
        t1, t2 = self.q["a"], self.q["b"]
        c = len(t1) + len(t2) + 1
        w = self.recall(self.slots[k].page)
        lst = w & 1 if w else 0
        if w and w >> 1 and ((self.seq[lst] - (w >> 1)) & (2**28 - 1)) <= self.nb[lst]:
            b1, b2 = self.nb
            if lst == 0:
                self.p = min(self.p + max(1, b2 // b1 if b1 else 0), c)
            else:
                d = max(1, b1 // b2 if b2 else 0)
                self.p = self.p - d if self.p > d else 0
            self.nb[lst] -= 1
            t2.append(k)
            return
        if len(t1) + self.nb[0] >= c and self.nb[0]:
            self.nb[0] -= 1
        elif len(t1) + len(t2) + sum(self.nb) >= 2 * c and self.nb[1]:
            self.nb[1] -= 1
        t1.append(k)

    def victim_car(self, i):
        t1, t2 = self.q["a"], self.q["b"]
        k = None
        for _ in range(4 * (len(t1) + len(t2)) + 2):
            from_t1 = len(t1) >= max(1, self.p)
            if from_t1 and not t1:
                from_t1 = False
            elif not from_t1 and not t2:
                from_t1 = True
            q = t1 if from_t1 else t2
            k = q.pop(0)
            q.append(k)
            if not self.slots[k].r:
                break
            self.slots[k].r = False
            if from_t1:
                t1.remove(k)
                t2.append(k)
            k = None
        if k is None:
            k = (t1 or t2)[0]
        lst = 1 if k in t2 else 0
        self.word = self.seq[lst] << 1 | lst
        self.seq[lst] = self.next_seq(lst, 2**28 - 1)
        self.nb[lst] += 1
        return self.take("b" if lst else "a", k)

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


    # CLOCK-Pro (Jiang, Chen and Zhang 2005, as servers/pager-clockpro runs it)
    CP_STEPS = 2**27 - 1
    CP_GHOST = 1 << 28

    def cp_in_test(self, start):
        return ((self.steps - start) & self.CP_STEPS) < len(self.q["a"]) + 1

    def cp_to_cold(self, k, test):
        self.slots[k].test, self.slots[k].start = test, self.steps if test else 0
        self.q["b"].append(k)

    def cp_hand_hot(self):
        hot = self.q["a"]
        for n in range(len(hot) + 1, 0, -1):
            if not hot:
                return
            k = hot.pop(0)
            hot.append(k)
            self.steps = (self.steps + 1) & self.CP_STEPS
            a, self.slots[k].r = self.slots[k].r, False
            if not a or n == 1:
                hot.remove(k)
                self.cp_to_cold(k, False)
                return

    def cp_balance(self):
        hot, cold = self.q["a"], self.q["b"]
        if len(hot) + self.m_c > len(hot) + len(cold) and hot:
            self.cp_hand_hot()

    def admit_clockpro(self, k):
        hot, cold = self.q["a"], self.q["b"]
        m = len(hot) + len(cold) + 1
        self.m_c = self.m_c or 1
        w = self.recall(self.slots[k].page)
        if w is not None and w & self.CP_GHOST:
            if self.cp_in_test(w & self.CP_STEPS):
                self.m_c = min(self.m_c + 1, m - m // 100)
                self.slots[k].test = False
                hot.append(k)   # HAND_hot runs at the next victim search
                return
            if self.m_c > m // 100 + 1:
                self.m_c -= 1
        self.cp_to_cold(k, True)

    def victim_clockpro(self, i):
        hot, cold = self.q["a"], self.q["b"]
        k = None
        self.cp_balance()
        for _ in range(2 * (len(hot) + len(cold)) + 2):
            if not cold:
                self.cp_hand_hot()
            k = cold.pop(0)
            cold.append(k)
            s = self.slots[k]
            a, s.r = s.r, False
            if not a:
                break
            if s.test and self.cp_in_test(s.start):
                cold.remove(k)
                s.test = False
                hot.append(k)
                self.cp_balance()
            else:
                s.test, s.start = True, self.steps
            k = None
        if k is None:
            k = (cold or hot)[0]
        s = self.slots[k]
        self.word = self.CP_GHOST | s.start if k in cold and s.test and self.cp_in_test(s.start) \
            else 0
        return self.take("b" if k in cold else "a", k)


    # MGLRU-style generations (as servers/pager-mglru runs them)
    def mg_age(self):
        """A new youngest generation; every page accessed since the last
        walk moves into it, its bit cleared."""
        self.max_seq += 1
        young = self.gens[self.max_seq] = []
        for seq in range(self.min_seq, self.max_seq):
            for k in list(self.gens[seq]):
                if self.slots[k].r:
                    self.slots[k].r = False
                    self.gens[seq].remove(k)
                    young.append(k)

    def mg_oldest(self):
        for _ in range(9):
            if self.gens[self.min_seq]:
                return self.gens[self.min_seq]
            if self.max_seq - self.min_seq + 1 <= 2:
                self.mg_age()
            if not self.gens[self.min_seq] and self.min_seq != self.max_seq:
                del self.gens[self.min_seq]
                self.min_seq += 1
        return None

    def admit_mglru(self, k):
        self.gens[self.max_seq].append(k)

    def victim_mglru(self, i):
        while True:
            gen = self.mg_oldest()
            k = gen.pop(0)
            if not self.slots[k].r:
                return k
            self.slots[k].r = False
            self.gens[self.max_seq].append(k)


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
                   choices=["fifo", "clock", "aging", "wsclock", "sieve", "2q", "s3fifo", "car",
                            "clockpro", "mglru", "opt", "lru"])
    p.add_argument("--frames", type=int, required=True)
    p.add_argument("--scan", type=int)
    p.add_argument("file")
    a = p.parse_args(argv)
    (faults, evictions, write_backs), _ = simulate(a.policy, a.frames, parse(a.file), a.scan)
    print(f"faults: {faults}\nevictions: {evictions}\nwrite-backs: {write_backs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
