"""hs_slsqp.py: the SciPy side of scripts/bench/hs.

    /usr/bin/python3 hs_slsqp.py GENERATED.py MAXITER FTOL [PROBLEMS]

GENERATED.py is the module hs_pycode.lua writes from hs_problems.lua: the
same formulas as slope's, as straight-line Python with exact reverse-mode
gradients.  Each problem is solved by scipy.optimize.minimize(method=
"SLSQP") from its published starting point, with the exact gradient, every
constraint as a dict with its exact Jacobian row, the bounds (None where
there are none), options maxiter=MAXITER and ftol=FTOL.  It prints
"v <TAB> versions" first, then one line per problem, tab-separated:

  r name scipy-slsqp status x1,x2,... iterations f-evals seconds message

(x with 17 digits: the bench evaluates f and the constraint violation
itself, with the same functions for every solver).
"""

import importlib.util
import math
import sys
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import minimize


def load(path):
    spec = importlib.util.spec_from_file_location("hs_generated", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def oneline(s):
    return " ".join(str(s).split())


def constraint(kind, pair):
    fun, jac = pair
    return {"type": kind, "fun": lambda x: fun(x),
            "jac": lambda x: np.array(jac(x))}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    gen = load(sys.argv[1])
    maxiter, ftol = int(sys.argv[2]), float(sys.argv[3])
    only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[4] \
        else None
    print("v\tscipy %s, numpy %s, python %s" % (
        scipy.__version__, np.__version__, sys.version.split()[0]),
        flush=True)
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    for p in gen.PROBLEMS:
        if only and p["name"] not in only:
            continue
        cons = [constraint("eq", c) for c in p["eq"]] + \
               [constraint("ineq", c) for c in p["ineq"]]
        bounds = None
        if p["lower"] is not None:
            bounds = [(None if math.isinf(lo) else lo,
                       None if math.isinf(up) else up)
                      for lo, up in zip(p["lower"], p["upper"])]
        f, g = p["f"], p["g"]
        t0 = time.process_time()
        try:
            res = minimize(f, np.array(p["x0"], dtype=float),
                           jac=lambda x: np.array(g(x)), method="SLSQP",
                           bounds=bounds, constraints=cons,
                           options={"maxiter": maxiter, "ftol": ftol})
            t = time.process_time() - t0
            x = ",".join("%.17g" % v for v in res.x)
            print("r\t%s\tscipy-slsqp\t%s\t%s\t%d\t%d\t%.6g\t%s" % (
                p["name"], "converged" if res.success else "failed", x,
                res.nit, res.nfev, t, oneline(res.message)), flush=True)
        except Exception as e:  # a failure is a result, not the end
            print("err\t%s\tscipy-slsqp\t%s" % (p["name"], oneline(e)),
                  flush=True)


if __name__ == "__main__":
    main()
