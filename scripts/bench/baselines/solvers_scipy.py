"""solvers_scipy.py: the SciPy peer of scripts/bench/solvers.

    /usr/bin/python3 solvers_scipy.py      (speaks a line protocol on stdin)

  setup rosen N          ->  ok n=N versions=...
  run lbfgsb GTOL        ->  ok k=v ... | error MESSAGE
  quit

"run lbfgsb" minimises extended Rosenbrock from the standard start
(-1.2, 1, -1.2, 1, ...) with scipy.optimize.minimize(method="L-BFGS-B",
jac=True) on a numpy-vectorised analytic value and gradient, maxcor 10
(slope's lbfgs memory), stopping at the first iterate whose gradient has
2-norm <= GTOL: SciPy's own tests compare the projected gradient's largest
component (pgtol) and the relative reduction of f (factr), neither of which
is the 2-norm, so both are set to 0 and a callback stops the run (it raises
an exception, the only way to stop L-BFGS-B from a callback in SciPy 1.10;
the gradient it tests is the one of the evaluation at that iterate, so no
extra evaluation is made).  Reports iterations, evaluations, f, |g|_2 and
the run's own time (time.perf_counter).
"""

import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize


class Done(Exception):
    pass


def rosen_start(n):
    x = np.empty(n)
    x[0::2] = -1.2
    x[1::2] = 1.0
    return x


class Rosen:
    def __init__(self, n):
        self.n = n
        self.g = np.empty(n)
        self.calls = 0
        self.last_x = None
        self.last_f = None

    def fg(self, x):
        a, b = x[0::2], x[1::2]
        t = b - a * a
        u = 1 - a
        f = float(np.sum(100 * t * t + u * u))
        g = np.empty(self.n)
        g[0::2] = -400 * t * a - 2 * u
        g[1::2] = 200 * t
        self.calls += 1
        self.last_x, self.last_f, self.g = x.copy(), f, g
        return f, g


def run_lbfgsb(n, gtol):
    p = Rosen(n)
    state = {"iters": 0, "x": None, "f": None, "g": None, "extra": 0}

    def callback(xk):
        state["iters"] += 1
        if p.last_x is not None and np.array_equal(xk, p.last_x):
            f, g = p.last_f, p.g
        else:  # not expected: evaluate (counted)
            f, g = p.fg(xk)
            state["extra"] += 1
        if np.linalg.norm(g) <= gtol:
            state["x"], state["f"], state["g"] = xk.copy(), f, g
            raise Done()

    x0 = rosen_start(n)
    t0 = time.perf_counter()
    status = "converged"
    try:
        f0, g0 = p.fg(x0)
        if np.linalg.norm(g0) <= gtol:
            raise Done()
        res = minimize(p.fg, x0, jac=True, method="L-BFGS-B",
                       callback=callback,
                       options={"maxcor": 10, "gtol": 0.0, "ftol": 0.0,
                                "maxiter": 10 ** 6, "maxfun": 10 ** 7})
        status = "stopped:" + "_".join(str(res.message).split())
        state["f"], state["g"] = float(res.fun), res.jac
    except Done:
        pass
    wall = time.perf_counter() - t0
    return ("ok iterations=%d calls=%d extra=%d wall=%.9g f=%.17g "
            "gnorm=%.17g status=%s" % (
                state["iters"], p.calls, state["extra"], wall, state["f"],
                float(np.linalg.norm(state["g"])), status))


def main():
    n = None
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            if w[0] == "setup" and w[1:2] == ["rosen"]:
                n = int(w[2])
                reply = "ok n=%d scipy=%s numpy=%s python=%s" % (
                    n, scipy.__version__, np.__version__,
                    sys.version.split()[0])
            elif w[0] == "run" and w[1:2] == ["lbfgsb"] and n:
                reply = run_lbfgsb(n, float(w[2]))
            elif w[0] == "quit":
                break
            else:
                reply = "error unknown command"
        except Exception as e:  # report, keep serving
            reply = "error " + " ".join(str(e).split())
        print(reply, flush=True)


if __name__ == "__main__":
    main()
