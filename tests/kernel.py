#!/usr/bin/env python3
"""kernel.py: slope kernel driven by jupyter_client; prints TAP.

The kernel is $SLOPE (possibly behind a valgrind wrapper, so every wait is
generous) started on a connection file under $TEST_TMPDIR, its stderr kept
there. Skips when jupyter_client or pyzmq is missing, or when this build
of slope has no kernel.
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import time

import tap  # tests/tap.py, beside this file

SLOPE = shlex.split(os.environ.get("SLOPE", "slope"))
TMP = os.path.abspath(os.environ.get("TEST_TMPDIR", "/tmp"))
SLOW = any("valgrind" in os.path.basename(w) for w in SLOPE)
WAIT = 120.0 if SLOW else 20.0

try:
    import zmq
    from jupyter_client import BlockingKernelClient
    from jupyter_client.connect import write_connection_file
except ImportError as e:
    print("1..0 # SKIP jupyter_client or pyzmq missing (%s)" % e)
    sys.exit(0)

report = tap.report


started = []   # every kernel process, killed at exit if still running


class Kernel:
    """One slope kernel process and a client on it."""

    def __init__(self, tag):
        self.conn = os.path.join(TMP, "kernel-%s.json" % tag)
        self.errfile = os.path.join(TMP, "kernel-%s.err" % tag)
        write_connection_file(self.conn, ip="127.0.0.1",
                              key=os.urandom(16).hex().encode())
        with open(self.conn) as f:
            self.info = json.load(f)
        self.err = open(self.errfile, "w")
        self.proc = subprocess.Popen(
            SLOPE + ["kernel", "--connection-file", self.conn],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.err, cwd=TMP)
        started.append(self.proc)
        self.pending = {}
        self.kc = BlockingKernelClient(connection_file=self.conn)
        self.kc.load_connection_file()
        # The heartbeat is tested by hand: jupyter_client's would call a
        # kernel dead that valgrind makes slow to start.
        self.kc.start_channels(hb=False)
        self.kc.wait_for_ready(timeout=WAIT)

    def ping(self, payload):
        """Send payload to the heartbeat; True if it comes back."""
        ctx = zmq.Context()
        s = ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.connect("tcp://127.0.0.1:%d" % self.info["hb_port"])
        s.send(payload)
        ok = s.poll(int(WAIT * 1000)) and s.recv() == payload
        s.close()
        ctx.term()
        return bool(ok)

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.errfile) as f:
            return f.read()

    def execute(self, code, allow_stdin=False, on_input=None,
                interrupt=None):
        """Run code; (reply content, [(type, content)] on IOPub)."""
        kc = self.kc
        mid = kc.execute(code, allow_stdin=allow_stdin)
        msgs = []
        deadline = time.monotonic() + WAIT
        busy = False
        while time.monotonic() < deadline:
            if on_input is not None:
                try:
                    m = kc.get_stdin_msg(timeout=0.05)
                    if m["msg_type"] == "input_request":
                        msgs.append(("input_request", m["content"]))
                        kc.input(on_input)
                except Exception:
                    pass
            try:
                m = kc.get_iopub_msg(timeout=0.05)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") != mid:
                continue
            c = m["content"]
            msgs.append((m["msg_type"], c))
            if m["msg_type"] == "status":
                if c["execution_state"] == "busy" and interrupt:
                    time.sleep(0.5 if not SLOW else 3.0)
                    interrupt()
                if c["execution_state"] == "idle":
                    break
        return self.reply(mid)["content"], msgs

    def reply(self, mid):
        """The shell reply to request mid (wait_for_ready may have left
        extra kernel_info replies before it; replies to other requests
        that come first are kept for their turn)."""
        if mid in self.pending:
            return self.pending.pop(mid)
        while True:
            m = self.kc.get_shell_msg(timeout=WAIT)
            got = m["parent_header"].get("msg_id")
            if got == mid:
                return m
            self.pending[got] = m

    def shutdown(self, restart=False):
        self.kc.shutdown(restart=restart)
        reply = self.kc.get_shell_msg(timeout=WAIT)  # not used: control
        return reply

    def close(self):
        self.kc.stop_channels()
        try:
            status = self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.err.close()
        return status


def of(msgs, kind):
    return [c for t, c in msgs if t == kind]


def stream_text(msgs, name):
    return "".join(c["text"] for c in of(msgs, "stream") if c["name"] == name)


def result_plain(msgs):
    r = of(msgs, "execute_result")
    return r[0]["data"]["text/plain"] if len(r) == 1 else None


def control_request(k, msg_type, content):
    """Send a request on the control channel and return the reply."""
    msg = k.kc.session.msg(msg_type, content)
    k.kc.control_channel.send(msg)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            m = k.kc.get_control_msg(timeout=0.2)
        except Exception:
            continue
        if m["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return m
    return None


def main():
    p = subprocess.run(SLOPE + ["kernel", "--help"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        print("1..0 # SKIP this slope has no kernel: %s"
              % p.stderr.decode(errors="replace").strip().splitlines()[0])
        return 0
    report(b"--connection-file" in p.stdout and b"install" in p.stdout,
           "slope kernel --help shows both forms", p.stdout)

    k = Kernel("a")
    info = k.kc.kernel_info(reply=True, timeout=WAIT)["content"]
    report(info.get("protocol_version") == "5.3"
           and info.get("implementation") == "slope"
           and info["language_info"]["name"] == "lua"
           and info["language_info"]["file_extension"] == ".lua",
           "kernel_info: protocol 5.3, language lua", info)

    r, m = k.execute("x = 2.385")
    report(r["status"] == "ok" and r["execution_count"] == 1
           and not of(m, "execute_result"),
           "an assignment runs, count 1, no result", (r, m))
    report([c["execution_state"] for c in of(m, "status")] == ["busy", "idle"]
           and of(m, "execute_input")[0]["code"] == "x = 2.385"
           and of(m, "execute_input")[0]["execution_count"] == 1,
           "status busy/idle and execute_input on IOPub", m)

    r, m = k.execute("x * 2")
    report(r["execution_count"] == 2 and result_plain(m) == "4.77"
           and of(m, "execute_result")[0]["execution_count"] == 2,
           "last expression's value as execute_result (2.385 * 2)", m)

    r, m = k.execute("'str', 42, slope.vec{3, 4}")
    report(result_plain(m) == "str\t42\tvec{3, 4}",
           "several values printed as the REPL prints them", m)

    r, m = k.execute('print("one", 1.5); io.write("two\\n"); '
                     'io.stderr:write("three\\n"); io.stdout:write("four")')
    report(stream_text(m, "stdout") == "one\t1.5\ntwo\nfour"
           and stream_text(m, "stderr") == "three\n"
           and not of(m, "execute_result"),
           "print, io.write and io.stderr as streams", m)

    r, m = k.execute('print("tick"); local t = os.clock() '
                     'while os.clock() - t < 0.3 do end; print("tock")')
    texts = [c["text"] for c in of(m, "stream")]
    report(texts == ["tick\n", "tock\n"],
           "output streamed while the cell runs (two messages)", texts)

    r, m = k.execute('local y = 1\nerror("boom")')
    e = of(m, "error")
    report(r["status"] == "error" and r["ename"] == "LuaError"
           and r["evalue"] == "In[%d]:2: boom" % r["execution_count"]
           and any("stack traceback" in t for t in r["traceback"])
           and len(e) == 1 and e[0]["evalue"] == r["evalue"],
           "an error: ename, evalue, traceback, error on IOPub", (r, m))
    r, m = k.execute("x")
    report(result_plain(m) == "2.385", "variables survive an error", m)

    # Cells queued behind a failing one are aborted, as Jupyter expects.
    ids = [k.kc.execute('local t = os.clock() '
                        'while os.clock() - t < 0.2 do end error("first")'),
           k.kc.execute("QUEUED = 2.385"),
           k.kc.execute("QUEUED2 = 1")]
    statuses = [k.reply(i)["content"]["status"] for i in ids]
    r, m = k.execute("return QUEUED == nil and QUEUED2 == nil")
    report(statuses == ["error", "aborted", "aborted"]
           and result_plain(m) == "true",
           "execute requests queued behind an error are aborted", statuses)
    r, m = k.execute("x = = 1")
    report(r["status"] == "error" and r["ename"] == "SyntaxError",
           "a syntax error is a SyntaxError", r)

    r, m = k.execute("plot.curve(math.sin, 0, 3.14, {title = 'sine'})")
    d = of(m, "display_data")
    svg = d[0]["data"].get("image/svg+xml", "") if d else ""
    report(len(d) == 1 and svg.lstrip().startswith("<?xml") and "<svg" in svg
           and "sine" in svg and "text/plain" in d[0]["data"]
           and not of(m, "execute_result"),
           "a plot is display_data with image/svg+xml", m)

    r, m = k.execute("optim.minimize(function(x) return (x[1] - 1.5)^2 "
                     "+ (x[2] + 2.385)^2 end, {0, 0})")
    res = of(m, "execute_result")
    html = res[0]["data"].get("text/html", "") if res else ""
    report("<table" in html and "converged" in html and "1.5" in html
           and html.index(">status<") < html.index(">gnorm<")
           and 'status = "converged"' in res[0]["data"]["text/plain"],
           "an optim result as an HTML table besides the text", res)
    r, m = k.execute('{{name = "a", f = 2.385}, {name = "b<c", f = 4}}')
    res = of(m, "execute_result")
    html = res[0]["data"].get("text/html", "") if res else ""
    report(html.count("<tr>") == 3 and ">f</th>" in html
           and ">name</th>" in html and "b&lt;c" in html
           and ">2.385</td>" in html,
           "a table of records as an HTML table", html)
    r, m = k.execute("{1, 2, 3}")
    res = of(m, "execute_result")
    report(res and "text/html" not in res[0]["data"],
           "a plain array has no HTML", res)

    c = k.kc.complete("slope.ve", reply=True, timeout=WAIT)["content"]
    report(c["status"] == "ok" and c["matches"] == ["slope.vec",
                                                    "slope.version"]
           and c["cursor_start"] == 0 and c["cursor_end"] == 8,
           "complete: slope.ve gives slope.vec, slope.version", c)
    code = 's = "é"; y = string.for'
    c = k.kc.complete(code, cursor_pos=len(code),
                      reply=True, timeout=WAIT)["content"]
    report(c["matches"] == ["string.format"]
           and c["cursor_start"] == len(code) - len("string.for")
           and c["cursor_end"] == len(code),
           "complete after UTF-8 text: cursor in code points", c)
    k.execute("t = {alpha = {beta = 2.385}}")
    c = k.kc.complete("t.al", reply=True, timeout=WAIT)["content"]
    report(c["matches"] == ["t.alpha."], "a single table match gets its '.'",
           c)
    c = k.kc.complete("retu", reply=True, timeout=WAIT)["content"]
    report(c["matches"] == ["return "], "keywords complete", c)

    i = k.kc.inspect("optim.minimize(f, x0)", cursor_pos=8,
                     reply=True, timeout=WAIT)["content"]
    report(i["found"] and "optim.minimize(" in i["data"]["text/plain"]
           and "Example" in i["data"]["text/plain"],
           "inspect: help text of optim.minimize", i)
    i = k.kc.inspect("ad.grad(", reply=True, timeout=WAIT)["content"]
    report(i["found"] and "ad.grad" in i["data"]["text/plain"],
           "inspect inside a call's parentheses", i)
    i = k.kc.inspect("no_such_name", reply=True, timeout=WAIT)["content"]
    report(not i["found"] and i["data"] == {}, "inspect: unknown name", i)

    def is_complete(code):
        return k.reply(k.kc.is_complete(code))["content"]

    report(is_complete("for i = 1, 2 do")["status"] == "incomplete",
           "is_complete: an open loop is incomplete")
    report(is_complete("x")["status"] == "complete"
           and is_complete("for i = 1, 2 do end")["status"] == "complete",
           "is_complete: an expression, a closed loop are complete")
    report(is_complete("x )")["status"] == "invalid",
           "is_complete: a stray parenthesis is invalid")

    r, m = k.execute('print("asking"); name = io.read(); '
                     'return "hello " .. name', allow_stdin=True,
                     on_input="world 2.385")
    req = of(m, "input_request")
    report(len(req) == 1 and result_plain(m) == "hello world 2.385"
           and stream_text(m, "stdout") == "asking\n",
           "io.read asks the client (input_request on stdin)", m)
    r, m = k.execute("return io.read('n') * 2", allow_stdin=True,
                     on_input="2.385")
    report(result_plain(m) == "4.77", "io.read('n') reads a number", m)
    r, m = k.execute("io.read()", allow_stdin=False)
    report(r["status"] == "error" and "takes no input" in r["evalue"],
           "io.read without allow_stdin is an error", r)

    report(k.ping(b"ping 2.385"), "the heartbeat echoes")
    beats = []

    def ping_then_interrupt():
        beats.append(k.ping(b"busy"))
        os.kill(k.proc.pid, signal.SIGINT)
    r, m = k.execute('print("spinning"); while true do end',
                     interrupt=ping_then_interrupt)
    report(beats == [True], "the heartbeat echoes while a cell runs")
    report(r["status"] == "error" and r["ename"] == "Interrupted"
           and stream_text(m, "stdout") == "spinning\n",
           "SIGINT stops a busy Lua loop", r)
    r, m = k.execute("x")
    report(result_plain(m) == "2.385", "variables intact after an interrupt",
           m)

    replies = []
    r, m = k.execute(
        "A = slope.mat(3000, 3000, 1.5); B = A * A",
        interrupt=lambda: replies.append(
            control_request(k, "interrupt_request", {})))
    report(r["status"] == "error" and "interrupted" in r["evalue"]
           and replies and replies[0] is not None
           and replies[0]["msg_type"] == "interrupt_reply",
           "interrupt_request on control stops a long C loop (A * A)",
           (r, replies))
    r, m = k.execute("A[1][1], B")
    report(result_plain(m) == "1.5\tnil", "A intact, B never assigned", m)
    k.execute("A = nil; collectgarbage()")

    # A message with a wrong signature: logged, never run.
    ctx = zmq.Context()
    raw = ctx.socket(zmq.DEALER)
    raw.setsockopt(zmq.LINGER, 0)
    raw.connect("tcp://127.0.0.1:%d" % k.info["shell_port"])
    forged = k.kc.session.msg("execute_request",
                              {"code": "FORGED = 2.385", "silent": False,
                               "store_history": True, "allow_stdin": False,
                               "user_expressions": {}})
    parts = [json.dumps(forged[p], default=str).encode()
             for p in ("header", "parent_header", "metadata", "content")]
    raw.send_multipart([b"<IDS|MSG>", b"0" * 64] + parts)
    got = raw.poll(1000 if not SLOW else 5000)
    raw.close()
    ctx.term()
    r, m = k.execute("return FORGED == nil")
    report(not got and result_plain(m) == "true",
           "a message with a bad signature is not run", (got, m))
    report("bad signature" in k.stderr(),
           "... and the kernel logs it on stderr", k.stderr())

    # Restart: the process ends, a new one starts afresh.
    reply = control_request(k, "shutdown_request", {"restart": True})
    report(reply is not None and reply["content"].get("restart") is True,
           "shutdown_request (restart) answered on control", reply)
    status = k.close()
    report(status == 0, "the kernel exits with status 0", status)
    k = Kernel("b")
    r, m = k.execute("return x == nil, slope ~= nil")
    report(r["execution_count"] == 1 and result_plain(m) == "true\ttrue",
           "after a restart: a fresh state, count 1", (r, m))
    reply = control_request(k, "shutdown_request", {"restart": False})
    status = k.close()
    report(reply is not None and status == 0,
           "shutdown: the second kernel exits with status 0", status)
    report("rejected" not in k.stderr(), "no message rejected in a clean run",
           k.stderr())

    return tap.plan()


def run():
    try:
        return main()
    finally:  # a test that failed half-way leaves no kernel behind
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(run())
