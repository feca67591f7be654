"""tap.py: TAP output for the Python tests, as tests/tap.lua is for Lua."""
import sys

count = 0
failed = 0


def report(ok, name, diag=None):
    """One test point; when it fails, diag's first 40 lines follow it."""
    global count, failed
    count += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", count, name))
    if not ok and diag is not None:
        for line in str(diag).splitlines()[:40]:
            print("#   " + line)
    sys.stdout.flush()
    return ok


def plan():
    """Print the plan; return the exit status (0 when every point passed)."""
    print("1..%d" % count)
    return 0 if failed == 0 else 1
