"""mgh_scipy.py: the SciPy side of scripts/bench/mgh.

    /usr/bin/python3 mgh_scipy.py GENERATED.py REPS GTOL MAXITER [PROBLEMS]

GENERATED.py is the module mgh_pycode.lua writes from mgh_problems.lua:
the same formulas as slope's, as straight-line Python with exact reverse-
mode gradients.  It prints "v <TAB> versions" first; then for each
problem, tab-separated, the same lines
as mgh_slope.lua: "x0 name f(x0) gradient-fold operations" (for the
cross-check), then one "r" line per variant of scipy.optimize.minimize
(method="BFGS", options gtol=GTOL, norm=2 so the test is |g|_2 <= GTOL as
in slope, maxiter=MAXITER), from the standard starting point:

  scipy-bfgs      jac = the generated exact gradient
  scipy-bfgs-fd   jac = None: SciPy's default forward differences

r name method status f gnorm iterations f-evals grad-evals 0 seconds message
(gnorm is the exact gradient's norm at the result; seconds the median of
REPS runs of process CPU time, as os.clock on slope's side).
"""

import importlib.util
import statistics
import sys
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import minimize

STATUS = {0: "converged", 1: "maxiter", 2: "precision_loss", 3: "nan"}


def load(path):
    spec = importlib.util.spec_from_file_location("mgh_generated", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def oneline(s):
    return " ".join(str(s).split())


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    gen = load(sys.argv[1])
    reps, gtol, maxiter = int(sys.argv[2]), float(sys.argv[3]), int(
        sys.argv[4])
    only = set(sys.argv[5].split(",")) if len(sys.argv) > 5 and sys.argv[5] \
        else None
    print("v\tscipy %s, numpy %s, python %s" % (
        scipy.__version__, np.__version__, sys.version.split()[0]),
        flush=True)
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    for p in gen.PROBLEMS:
        if only and p["name"] not in only:
            continue
        x0 = np.array(p["x0"], dtype=float)
        f, g = p["f"], p["g"]
        g0 = g(x0)
        fold = sum((1 + (i % 7) / 7) * g0[i - 1] for i in range(1, p["n"] + 1))
        print("x0\t%s\t%.17g\t%.17g\t%d" % (p["name"], f(x0), fold, p["ops"]),
              flush=True)
        for label, jac in (("scipy-bfgs", lambda x: np.array(g(x))),
                           ("scipy-bfgs-fd", None)):
            times, res = [], None
            for _ in range(reps):
                t0 = time.process_time()
                res = minimize(f, x0.copy(), jac=jac, method="BFGS",
                               options={"gtol": gtol, "norm": 2,
                                        "maxiter": maxiter})
                times.append(time.process_time() - t0)
            gn = float(np.linalg.norm(g(res.x)))
            print("r\t%s\t%s\t%s\t%.17g\t%.6g\t%d\t%d\t%d\t0\t%.6g\t%s" % (
                p["name"], label, STATUS.get(res.status, str(res.status)),
                float(res.fun), gn, res.nit, res.nfev, res.get("njev", 0),
                statistics.median(times), oneline(res.message)), flush=True)


if __name__ == "__main__":
    main()
