#!/usr/bin/env python3
"""kernel_notebooks.py: notebooks run through Jupyter's own tools; TAP.

slope kernel install --prefix writes the kernelspec under $TEST_TMPDIR,
which JUPYTER_PATH points at; jupyter nbconvert --execute then runs a
notebook made here (values, streams, an SVG plot, an HTML table, an error
cell) and re-runs the executed notebooks of examples/notebooks, whose
outputs must come out as they are stored. Skips when nbconvert, nbformat
or jupyter_client is missing, or when this build of slope has no kernel.
"""
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import tap  # tests/tap.py, beside this file

SLOPE = shlex.split(os.environ.get("SLOPE", "slope"))
TMP = os.path.abspath(os.environ.get("TEST_TMPDIR", "/tmp"))
SRC = os.path.abspath(os.environ.get("top_srcdir", "."))
PYTHON = os.environ.get("PYTHON3") or sys.executable

try:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    import jupyter_client  # noqa: F401 (nbconvert runs kernels through it)
    import nbconvert  # noqa: F401
except ImportError as e:
    print("1..0 # SKIP Jupyter's nbconvert, nbformat or jupyter_client "
          "missing (%s)" % e)
    sys.exit(0)

report = tap.report


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def execute(path, outdir, env, allow_errors=True):
    """nbconvert --execute path into outdir; (status, executed nb, stderr)."""
    cmd = [PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
           "--output-dir", outdir,
           "--ExecutePreprocessor.timeout=120"]
    if allow_errors:
        cmd.append("--allow-errors")
    p = subprocess.run(cmd + [path], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    out = os.path.join(outdir, os.path.basename(path))
    nb = None
    if p.returncode == 0 and os.path.exists(out):
        nb = nbformat.read(out, as_version=4)
    return p.returncode, nb, p.stderr.decode(errors="replace")


NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")


def normal(text):
    """Text with run-to-run noise taken out: times, rounding."""
    text = re.sub(r"time = [^,\n]*", "time = T", text)
    text = re.sub(r"(>time</th><td[^>]*>)[^<]*", r"\1T", text)

    def num(m):
        v = float(m.group(0))
        return "0" if abs(v) < 1e-8 else "%.6g" % v
    return NUMBER.sub(num, text)


def outputs(nb):
    """Per code cell: a list of comparable outputs."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        got = []
        for o in cell.outputs:
            t = o.output_type
            if t == "stream":
                got.append((t, o.name, normal(o.text)))
            elif t == "error":
                got.append((t, o.ename, normal(o.evalue)))
            else:
                data = o.get("data", {})
                got.append((t, tuple(sorted(data)),
                            normal(data.get("text/plain", "")),
                            normal(data.get("text/html", ""))))
        cells.append(got)
    return cells


def merge_streams(cell_outputs):
    """Consecutive stream outputs of one name as one (batching varies)."""
    out = []
    for o in cell_outputs:
        if out and o[0] == "stream" and out[-1][0] == "stream" \
                and out[-1][1] == o[1]:
            out[-1] = ("stream", o[1], out[-1][2] + o[2])
        else:
            out.append(o)
    return out


def main():
    p = subprocess.run(SLOPE + ["kernel", "--help"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        print("1..0 # SKIP this slope has no kernel")
        return 0

    prefix = os.path.join(TMP, "jupyter-prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    p = subprocess.run(SLOPE + ["kernel", "install", "--prefix", prefix],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    spec_dir = os.path.join(prefix, "share", "jupyter", "kernels", "slope")
    report(p.returncode == 0 and os.path.isdir(spec_dir),
           "slope kernel install --prefix writes the kernelspec",
           p.stderr.decode(errors="replace"))
    try:
        with open(os.path.join(spec_dir, "kernel.json")) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        spec = {"error": str(e)}
    argv = spec.get("argv", [])
    report(len(argv) == 4 and os.path.isabs(argv[0])
           and os.access(argv[0], os.X_OK)
           and argv[1:] == ["kernel", "--connection-file",
                            "{connection_file}"]
           and spec.get("display_name") == "slope"
           and spec.get("language") == "lua"
           and spec.get("interrupt_mode") == "signal",
           "kernel.json: argv, display_name, language, interrupt_mode", spec)
    report(png_size(os.path.join(spec_dir, "logo-32x32.png")) == (32, 32)
           and png_size(os.path.join(spec_dir, "logo-64x64.png")) == (64, 64),
           "logos: PNG images of 32x32 and 64x64")
    p = subprocess.run(SLOPE + ["kernel", "install", "--user", "--prefix",
                                prefix], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    report(p.returncode != 0 and b"exclude" in p.stderr,
           "--user and --prefix together are refused", p.stderr)

    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                "JUPYTER_RUNTIME_DIR"):
        env[var] = os.path.join(TMP, "jupyter-" + var.split("_")[1].lower())
    env["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    env["JUPYTER_PLATFORM_DIRS"] = "0"
    env["HOME"] = os.path.join(TMP, "jupyter-home")
    os.makedirs(env["HOME"], exist_ok=True)

    # A notebook made here.
    nb = new_notebook(metadata={"kernelspec": {"name": "slope",
                                               "display_name": "slope",
                                               "language": "lua"}})
    nb.cells = [
        new_code_cell("x = 2.385\nx * 2"),
        new_code_cell('print("hello", 1.5)\nio.stderr:write("warned\\n")'),
        new_code_cell("plot.curve(math.sin, 0, 6.28, {title = 'sine'})"),
        new_code_cell('error("deliberate")'),
        new_code_cell("x, slope.vec{3, 4}"),
        new_code_cell('{{name = "a", f = 2.385}, {name = "b", f = 4}}'),
    ]
    made = os.path.join(TMP, "kernel-made.ipynb")
    nbformat.write(nb, made)
    outdir = os.path.join(TMP, "kernel-notebooks")
    os.makedirs(outdir, exist_ok=True)
    status, done, err = execute(made, outdir, env)
    report(status == 0 and done is not None,
           "nbconvert --execute --allow-errors runs a slope notebook", err)
    cells = [c.outputs for c in done.cells] if done else [[]] * 6

    def data(c, kind):
        return [o for o in c if o.output_type == kind]
    r = data(cells[0], "execute_result")
    report(len(r) == 1 and r[0]["data"]["text/plain"] == "4.77"
           and r[0]["execution_count"] == 1,
           "a value as execute_result (2.385 * 2)", cells[0])
    s = data(cells[1], "stream")
    report([(o.name, o.text) for o in s]
           == [("stdout", "hello\t1.5\n"), ("stderr", "warned\n")],
           "stdout and stderr as streams", cells[1])
    d = data(cells[2], "display_data")
    svg = d[0]["data"].get("image/svg+xml", "") if d else ""
    try:
        root = ET.fromstring(svg.encode())
        svg_ok = root.tag.endswith("svg") and "sine" in svg
    except ET.ParseError:
        svg_ok = False
    report(len(d) == 1 and svg_ok, "a plot inline as well-formed SVG",
           svg[:300])
    e = data(cells[3], "error")
    report(len(e) == 1 and e[0].ename == "LuaError"
           and "deliberate" in e[0].evalue and len(e[0].traceback) > 1,
           "an error cell holds the error", cells[3])
    r = data(cells[4], "execute_result")
    report(len(r) == 1 and r[0]["data"]["text/plain"] == "2.385\tvec{3, 4}",
           "cells after the error run with the state kept", cells[4])
    r = data(cells[5], "execute_result")
    report(len(r) == 1 and "<table" in r[0]["data"].get("text/html", ""),
           "a table of records shown as HTML", cells[5])
    status, done, err = execute(made, outdir, env, allow_errors=False)
    report(status != 0 and "deliberate" in err,
           "without --allow-errors the error cell stops nbconvert", err[-600:])

    # The examples, executed again: the same outputs as stored.
    nbdir = os.path.join(SRC, "examples", "notebooks")
    names = sorted(n for n in os.listdir(nbdir) if n.endswith(".ipynb"))
    report(len(names) >= 3, "at least three example notebooks", names)
    for name in names:
        stored = nbformat.read(os.path.join(nbdir, name), as_version=4)
        want = outputs(stored)
        status, done, err = execute(os.path.join(nbdir, name), outdir, env)
        got = outputs(done) if done else None
        same = got is not None and len(got) == len(want) and all(
            merge_streams(a) == merge_streams(b) for a, b in zip(got, want))
        diag = err
        if got is not None and not same:
            for i, (a, b) in enumerate(zip(got, want)):
                if merge_streams(a) != merge_streams(b):
                    diag = "cell %d:\ngot  %r\nwant %r" % (i, a, b)
                    break
        report(same, "%s: re-executed outputs match the stored ones" % name,
               diag)
        svgs = [o for c in (done.cells if done else []) if c.cell_type == "code"
                for o in c.outputs if "image/svg+xml" in o.get("data", {})]
        report(len(svgs) >= 1, "%s: has inline SVG plots" % name)

    return tap.plan()


if __name__ == "__main__":
    sys.exit(main())
