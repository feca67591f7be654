#!/usr/bin/env python3
"""repl.py: the REPL driven through a pseudo-terminal; prints TAP.

The program is $SLOPE (possibly behind a valgrind wrapper, so every wait
is for expected output, with generous time limits). HOME and the history
file live under $TEST_TMPDIR; nothing is written anywhere else.
"""
import os
import pty
import re
import select
import shlex
import signal
import subprocess
import sys
import time

import tap  # tests/tap.py, beside this file

SLOPE = shlex.split(os.environ.get("SLOPE", "slope"))
TMP = os.path.abspath(os.environ.get("TEST_TMPDIR", "/tmp"))
SLOW = any("valgrind" in os.path.basename(w) for w in SLOPE)
WAIT = 120.0 if SLOW else 20.0   # seconds for any expected output
SETTLE = 2.0 if SLOW else 0.3    # before a Ctrl-C into running code

HOME = os.path.join(TMP, "repl-home")
HISTORY = os.path.join(TMP, "repl-history")

report = tap.report


class Repl:
    """One slope process on a pseudo-terminal."""

    def __init__(self, histsize=None, args=()):
        os.makedirs(HOME, exist_ok=True)
        env = dict(os.environ, HOME=HOME, SLOPE_HISTORY=HISTORY,
                   TERM="dumb", INPUTRC="/dev/null")
        env.pop("SLOPE_HISTSIZE", None)
        if histsize is not None:
            env["SLOPE_HISTSIZE"] = str(histsize)
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.execvpe(SLOPE[0], SLOPE + list(args), env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.buf = b""
        self.pos = 0        # expect() looks after this point
        self.status = None

    def _read(self, deadline):
        """Read what is there, waiting until deadline; False at EOF."""
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        r, _, _ = select.select([self.fd], [], [], left)
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:   # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.buf += data
        return True

    def expect(self, pattern, timeout=WAIT):
        """Wait for pattern (a bytes regex) after the last match."""
        rx = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= deadline or not self._read(deadline):
                return None

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def tail(self):
        return self.buf[-600:].decode(errors="replace")

    def wait(self, timeout=WAIT):
        """Exit status, or None if the process does not end in time."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            if time.monotonic() >= deadline:
                return None
            self._read(min(deadline, time.monotonic() + 0.2))
        return self.status

    def close(self):
        if self.wait(0) is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait()
        os.close(self.fd)


PROMPT = rb"(?:^|\n)> $"
FRESH = rb"(?<=\n)> "   # a prompt at the start of a line


def check(repl, line, pattern, name):
    """Send line, expect pattern then a fresh prompt."""
    repl.send(line + "\r")
    ok = repl.expect(pattern) is not None and repl.expect(FRESH) is not None
    return report(ok, name, repl.tail())


def history_entries():
    """The entries of the history file: timestamp lines start each one."""
    try:
        with open(HISTORY, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    entries, cur = [], None
    for line in text.split("\n"):
        if re.match(r"^#\d+$", line):
            if cur is not None:
                entries.append("\n".join(cur))
            cur = []
        elif cur is not None:
            cur.append(line)
        elif line:
            entries.append(line)   # a file without timestamps
    if cur is not None:
        entries.append("\n".join(cur).rstrip("\n"))
    return [e for e in entries if e != ""]


def main():
    for f in (HISTORY,):
        if os.path.exists(f):
            os.remove(f)

    # Session 1: everything interactive.
    r = Repl()
    m = r.expect(rb"> ")
    report(m is not None, "prompt", r.tail())
    report(m is not None and re.search(rb"(?i)slope", r.buf[:m.start()]),
           "banner before the prompt", r.tail())

    r.send("for i = 1, 2 do\r")
    report(r.expect(rb"\n>> ") is not None, "continuation prompt", r.tail())
    check(r, "print(i * 2.5) end", rb"\n2\.5\r?\n5\.0\r?\n", "continuation runs")

    check(r, "x = 2.385", rb"x = 2\.385\r?\n", "assignment prints nothing")
    check(r, "x * 2", rb"\n4\.77\r?\n", "expression auto-printed (2.385 * 2)")
    check(r, "0.1 + 0.2", rb"\n0\.3\r?\n", "floats as Lua prints them")
    check(r, "'str', 42", rb"\nstr\t42\r?\n", "several values, strings raw")
    check(r, "{2.385, name = 'n', sub = {b = 2, a = 1}}",
          rb'\n\{2\.385, name = "n", sub = \{a = 1, b = 2\}\}\r?\n',
          "table auto-printed, keys sorted")
    check(r, "v = slope.vec{3, 4}", rb"\n", "vector created")
    check(r, "v", rb"\nvec\{3, 4\}\r?\n", "vector auto-printed")
    check(r, "slope.mat{{1.5, 2}, {30, 4}}",
          rb"\nmat\{\{1\.5, 2\},\r?\n    \{ 30, 4\}\}\r?\n",
          "matrix auto-printed, aligned")

    check(r, "ad.grad(function(x) return x[1]^2 + 3*x[2] end, {1, 2})",
          rb"\nvec\{2, 3\}\r?\n", "ad is a global: its gradient printed")
    check(r, "help(ad.grad)", rb"(?s)ad\.grad\(f, x.*vec\{2, 3\}",
          "help(ad.grad) explains it with an example")
    check(r, "numdiff.derivative(math.sin, 0)", rb"\n1\.0\t[0-9.e-]+\r?\n",
          "numdiff is a global: a derivative and its error estimate")
    check(r, 'analyze.classify(function(x) return x[1]^2 - x[2]^2 end, '
             '{0, 0}).kind', rb'\nsaddle\r?\n',
          "analyze is a global: x^2 - y^2 is a saddle at 0")
    r.send('print(plot.curve(math.sin, 0, 6.28, {width = 40, height = 8}))\r')
    report(r.expect(rb"\xe2[\xa0-\xa3][\x80-\xbf]") is not None  # braille
           and r.expect(FRESH) is not None,
           "plot is a global: a curve drawn in braille", r.tail())
    check(r, 'error("boom")', rb"boom", "error reported")
    check(r, "x", rb"\n2\.385\r?\n", "variables survive an error")
    r.send("nil + 1\r")
    report(r.expect(rb"attempt to perform arithmetic") is not None
           and r.expect(FRESH) is not None, "runtime error reported", r.tail())

    # Completion.
    r.send("slope.ve\t\t")
    report(r.expect(rb"slope\.vec\s+slope\.version") is not None,
           "slope.ve<TAB><TAB> lists slope.vec and slope.version", r.tail())
    r.send("c\t")   # now unique: slope.vec (callable: nothing appended)
    check(r, "{2.385}", rb"\nvec\{2\.385\}\r?\n", "slope.vec<TAB> completes")
    r.send("slope.ma\t")
    r.expect(rb"t")
    check(r, "", rb"\ntable: slope\.mat\r?\n", "slope.ma<TAB> completes to slope.mat")
    r.send("string.for\t")
    r.expect(rb"mat")
    check(r, "('%d|', 4217)", rb"\n4217\|\r?\n",
          "string.for<TAB> completes to string.format")
    check(r, "t = {alpha = {beta = {gamma = 2.385}}}", rb"\n", "nested table")
    r.send("t.alpha.beta.ga\t")
    r.expect(rb"mma")
    check(r, "", rb"\n2\.385\r?\n", "t.alpha.beta.ga<TAB> completes nested fields")
    r.send("v:no\t")
    r.expect(rb"rm")
    check(r, "()", rb"\n5\.0\r?\n", "v:no<TAB> completes the method v:norm")
    r.send("retu\t")
    r.expect(rb"rn ")
    check(r, "6 * 7", rb"\n42\r?\n", "keywords complete")

    # Ctrl-C.
    r.send('print("spin" .. "ning") while true do end\r')
    ok = r.expect(rb"\nspinning") is not None
    time.sleep(SETTLE)
    r.send(b"\x03")
    ok = ok and r.expect(rb"interrupted!") is not None \
        and r.expect(FRESH) is not None
    report(ok, "Ctrl-C stops a Lua loop", r.tail())
    check(r, "x", rb"\n2\.385\r?\n", "variables intact after Ctrl-C")

    r.send('A = slope.mat(4000, 4000, 1.5); print("multi" .. "plying"); '
           'B = A * A\r')
    ok = r.expect(rb"\nmultiplying") is not None
    time.sleep(SETTLE + 0.5)
    r.send(b"\x03")
    ok = ok and r.expect(rb"interrupted") is not None \
        and r.expect(FRESH) is not None
    report(ok, "Ctrl-C stops a long C loop (A * A)", r.tail())
    check(r, "A[1][1]", rb"\n1\.5\r?\n", "A intact after Ctrl-C")
    check(r, "B", rb"\nnil\r?\n", "B never assigned")
    check(r, "A = nil; collectgarbage()", rb"\n", "free the matrix")

    check(r, "F = ad.compile(function(x) local s = 0 for k = 1, 40 do "
             "for i = 1, #x do s = s + math.sin(k * x[i]) end end return s "
             "end, 2000)", rb"\n", "a loss of 2000 inputs compiled")
    r.send('print("differ" .. "entiating"); H = F:hessian(slope.vec(2000, 1))\r')
    ok = r.expect(rb"\ndifferentiating") is not None
    time.sleep(SETTLE + 0.5)
    r.send(b"\x03")
    ok = ok and r.expect(rb"interrupted") is not None \
        and r.expect(FRESH) is not None
    report(ok, "Ctrl-C stops a long Hessian (2000 sweeps)", r.tail())
    check(r, "H, F.n", rb"\nnil\t2000\r?\n", "H never assigned, F intact")
    check(r, "F:grad(slope.vec(2000, 0))[2]", rb"\n820\.0\r?\n",
          "F still differentiates after Ctrl-C (sum of k, k = 1..40)")

    check(r, "G = function(x) local s = 0 for i = 1, #x do "
             "s = s + (x[i] - 1)^2 end return s end", rb"\n", "a loss")
    r.send('print("mini" .. "mizing"); R = optim.minimize(G, '
           'slope.vec(20000, 0), {method = "gd", lr = 1e-9, maxiter = 1e12, '
           'gtol = 0})\r')
    ok = r.expect(rb"\nminimizing") is not None
    time.sleep(SETTLE + 0.5)
    r.send(b"\x03")
    ok = ok and r.expect(FRESH) is not None
    report(ok, "Ctrl-C during optim.minimize returns to the prompt", r.tail())
    check(r, "R.status", rb"\ninterrupted\r?\n",
          "the run ends with status interrupted")
    check(r, "R.iterations > 0 and R.f < 20000", rb"\ntrue\r?\n",
          "... and the best point so far")

    r.send('R = optim.minimize(G, slope.vec(20000, 0), {method = "gd", '
           'lr = 1e-9, maxiter = 1e12, gtol = 0, maxtime = 1.6})\r')
    ok = r.expect(rb"gd: iteration \d+  f [0-9.e+]+  \|g\| [0-9.e+]+  "
                  rb"1\.\d s") is not None
    ok = ok and r.expect(rb"\r\x1b\[K> ") is not None
    report(ok, "a run past a second shows a progress line, cleared at the "
               "end", r.tail())
    check(r, "R.status", rb"\nmaxtime\r?\n", "the run ends at maxtime")

    r.send("x = 99")
    r.expect(rb"x = 99")
    r.send(b"\x03")
    ok = r.expect(PROMPT) is not None
    report(ok, "Ctrl-C at the prompt gives a fresh prompt", r.tail())
    check(r, "x", rb"\n2\.385\r?\n", "Ctrl-C at the prompt discards the line")
    r.send("for i = 1, 2 do\r")
    r.expect(rb"\n>> ")
    r.send(b"\x03")
    report(r.expect(PROMPT) is not None, "Ctrl-C discards a pending chunk",
           r.tail())
    check(r, "6 * 7", rb"\n42\r?\n", "and the next line starts afresh")

    check(r, "help(slope.vec)",
          rb"slope\.vec\(n \[, fill\]\).*Example:.*slope\.vec\{1\.5, 2, 3\.25\}",
          "help(slope.vec) prints its help")
    check(r, 'help "vec:nrom"', rb"vec:norm", "help suggests near matches")

    r.send('_PROMPT = "slope-test> "\r')
    report(r.expect(rb"\nslope-test> ") is not None, "_PROMPT honoured",
           r.tail())
    r.send("_PROMPT = nil\r")
    r.expect(FRESH)
    check(r, "x", rb"\n2\.385\r?\n", "repeat a line")
    check(r, "x", rb"\n2\.385\r?\n", "and once more")
    check(r, "last = 2.385 * 3", rb"\n", "a last line")

    r.send(b"\x04")
    status = r.wait()
    report(status is not None and os.WIFEXITED(status)
           and os.WEXITSTATUS(status) == 0,
           "Ctrl-D exits with status 0", "status %r\n%s" % (status, r.tail()))
    r.close()

    entries = history_entries()
    report(entries is not None, "history file written", HISTORY)
    entries = entries or []
    report("x = 2.385" in entries and "x * 2" in entries,
           "history holds the session's lines", entries)
    report("for i = 1, 2 do\nprint(i * 2.5) end" in entries,
           "a multi-line chunk is one entry", entries)
    report("x = 99" not in entries and "" not in entries,
           "discarded lines are not kept", entries)
    report(all(a != b for a, b in zip(entries, entries[1:])),
           "no consecutive duplicates", entries)
    report(entries[-1:] == ["last = 2.385 * 3"], "last entry last", entries)

    # Session 2: the history is loaded (Ctrl-P recalls the last line) and
    # the file stays bounded by SLOPE_HISTSIZE.
    r = Repl(histsize=5)
    r.expect(rb"> ")
    r.send(b"\x10\r")
    r.expect(FRESH)
    check(r, "last", rb"\n7\.155\r?\n", "history loaded at start")
    for i in range(1, 9):
        check(r, "n%d = %d" % (i, i), rb"\n", "line n%d" % i)
    r.send(b"\x04")
    status = r.wait()
    report(status is not None and os.WIFEXITED(status)
           and os.WEXITSTATUS(status) == 0, "second session exits",
           "status %r\n%s" % (status, r.tail()))
    r.close()
    entries = history_entries() or []
    report(len(entries) == 5 and entries[-1] == "n8 = 8"
           and entries[0] == "n4 = 4",
           "history bounded by SLOPE_HISTSIZE", entries)

    # Not a terminal: slope -i < file behaves as lua5.4 -i < file.
    script = "x = 2.385\nx\nfor i = 1, 2 do\nprint(i)\nend\n"
    env = dict(os.environ, HOME=HOME, SLOPE_HISTORY=HISTORY)
    try:
        p = subprocess.run(SLOPE + ["-i"], input=script.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=WAIT)
        out = p.stdout.decode(errors="replace")
        want = "> x = 2.385\n> x\n2.385\n> for i = 1, 2 do\n>> print(i)\n>> end\n1\n2\n> \n"
        report(p.returncode == 0 and out.endswith(want),
               "slope -i with stdin not a terminal",
               "got:\n%s\nwant (after the banner):\n%s\nstderr:\n%s"
               % (out, want, p.stderr.decode(errors="replace")))
    except subprocess.TimeoutExpired:
        report(False, "slope -i with stdin not a terminal", "timed out")
    report(len(history_entries() or []) == 5,
           "no history kept when stdin is not a terminal")

    return tap.plan()


if __name__ == "__main__":
    sys.exit(main())
