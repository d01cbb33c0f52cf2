#!/usr/bin/env python3
"""Print the one-line summary of a meson test run: "N passed, N failed[, N skipped]".

Reads meson's JSON test log (build/meson-logs/testlog.json, one object a line).
Exits 1 if any test failed or if the log is missing or holds no test.
"""
import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}


def main(argv):
    if len(argv) != 1:
        print("usage: testsummary.py TESTLOG.json", file=sys.stderr)
        return 2
    passed = failed = skipped = 0
    try:
        with open(argv[0], encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                result = json.loads(line).get("result")
                if result in PASSED:
                    passed += 1
                elif result in SKIPPED:
                    skipped += 1
                else:
                    failed += 1
    except (OSError, ValueError) as e:
        print(f"testsummary: cannot read {argv[0]}: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    if passed + failed == 0:
        print("testsummary: no test ran", file=sys.stderr)
        failed = 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
