-- sgd.lua: optim.sgd, minibatch training on a traced loss: batches as tape
-- parameters, reshuffled every epoch from a seeded generator, any
-- first-order method as the update, reproducible to the bit.
local t = require "tap"
local slope = require "slope"
local optim, ad = slope.optim, slope.ad

-- Least squares y = X w + noise, with a known exact solution; N = 100 is
-- not a multiple of the batch 32, so a short last batch is used.
local N, d = 100, 3
local wtrue = {2, -1, 0.5}
local rows, ys = {}, {}
for i = 1, N do
  local r = {math.sin(i), math.cos(3 * i), 1}
  rows[i] = r
  ys[i] = r[1] * wtrue[1] + r[2] * wtrue[2] + r[3] * wtrue[3]
end
local X, y = slope.mat(rows), slope.vec(ys)
local function mse(w, Xb, yb)
  local s = 0
  for i = 1, #yb do
    local e = Xb[i]:dot(w) - yb[i]
    s = s + e * e
  end
  return s / #yb
end

local r = optim.sgd(mse, {0, 0, 0}, {X, y}, {method = "momentum", lr = 0.1,
                                             batch = 32, epochs = 200, seed = 3})
t.is(r.status, "converged", "sgd: all epochs done")
t.is(r.message, "all epochs done", "sgd: message")
t.is(r.epochs, 200, "sgd: 200 epochs")
t.is(r.iterations, 200 * 4, "sgd: ceil(100 / 32) = 4 steps per epoch")
t.is(#r.loss, 200, "sgd: one loss per epoch")
t.ok(r.loss[200] < 1e-10 and r.loss[200] < r.loss[1],
     "sgd: the epoch loss falls to zero (consistent data)",
     string.format("first %g last %g", r.loss[1], r.loss[200]))
for i = 1, 3 do
  t.close(r.x[i], wtrue[i], 1e-6, "sgd recovers w[" .. i .. "]")
end
t.is(r.method, "momentum", "sgd: result.method")
t.ok(r.evaluations.grad == r.iterations + 1,
     "sgd: one gradient per step, plus the first")

-- Reproducible: the same seed gives the same bits; another seed differs.
local function run(seed, method)
  local q = optim.sgd(mse, {0, 0, 0}, {X, y}, {method = method or "adam",
    lr = 0.05, batch = 16, epochs = 3, seed = seed})
  return string.format("%.17g %.17g %.17g", q.x[1], q.x[2], q.x[3])
end
t.is(run(42), run(42), "adam, seed 42: bit-identical in two runs")
t.is(run(42, "gd"), run(42, "gd"), "plain sgd, seed 42: bit-identical")
t.ok(run(42) ~= run(43), "another seed, another order of batches")

-- The trace holds one record per epoch.
local tr = optim.sgd(mse, {0, 0, 0}, {X, y}, {lr = 0.1, batch = 50,
                                              epochs = 4, trace = true})
t.is(#tr.trace, 4, "trace: one record per epoch")
t.is(tr.trace[3].epoch, 3, "trace: epoch numbers")
t.is(tr.trace[4].loss, tr.loss[4], "trace: the epoch's mean batch loss")
t.is(tr.iterations, 8, "batch 50: two steps per epoch")
local tr9 = optim.sgd(mse, {0, 0, 0}, {X, y}, {lr = 0.1, batch = 50,
                                               epochs = 9, trace = 4})
local eps = {}
for i, r in ipairs(tr9.trace) do eps[i] = r.epoch .. "=" .. tostring(r.loss == tr9.loss[r.epoch]) end
t.is(table.concat(eps, " "), "4=true 8=true 9=true",
     "trace = 4 over 9 epochs: every fourth epoch and the last")

-- A single matrix as data: the loss gets its rows; the user's opts table
-- is left as it was.
local Z = slope.mat(N, 2, 0)
for i = 1, N do Z[i][1], Z[i][2] = rows[i][1], ys[i] end
local opts = {lr = 0.2, batch = 10, epochs = 50}
local rz = optim.sgd(function(w, Zb)
  local s = 0
  for i = 1, Zb.rows do s = s + (w[1] * Zb[i][1] - Zb[i][2])^2 end
  return s / Zb.rows
end, {0}, Z, opts)
t.is(rz.status, "converged", "a single mat as data")
t.is(opts.gtol, nil, "sgd leaves the caller's opts alone")
t.ok(rz.loss[50] < rz.loss[1], "single mat: the loss falls")

-- A batch larger than the data set is the whole data set.
local rb = optim.sgd(mse, {0, 0, 0}, {X, y}, {lr = 0.5, batch = 1000,
                                              epochs = 300})
t.is(rb.iterations, 300, "batch > N: one step per epoch")
t.close(rb.x[1], wtrue[1], 1e-6, "batch > N: full-batch gradient descent")

-- Divergence ends the run with the last finite point.
local rd = optim.sgd(mse, {0, 0, 0}, {X, y}, {method = "gd", lr = 50,
                                              batch = 20, epochs = 50})
t.is(rd.status, "diverged", "sgd with lr 50 diverges")
t.ok(rd.x[1] == rd.x[1] and math.abs(rd.x[1]) < math.huge,
     "... and returns a finite point")

-- Errors.
t.error_like("bad argument #3 to 'sgd' (data item 2 has 99 rows, item 1 has 100)",
  function() optim.sgd(mse, {0, 0, 0}, {X, slope.vec(99, 0)}) end)
t.error_like("bad argument #3 to 'sgd' (data item 2: vec or mat expected, got string)",
  function() optim.sgd(mse, {0, 0, 0}, {X, "y"}) end)
t.error_like("bad argument #4 to 'sgd' (field 'batch' must be an integer >= 1)",
  function() optim.sgd(mse, {0, 0, 0}, {X, y}, {batch = 0}) end)
t.error_like("bad argument #4 to 'sgd' (field 'epochs' must be an integer >= 1)",
  function() optim.sgd(mse, {0, 0, 0}, {X, y}, {epochs = 0}) end)
t.error_like("bad argument #4 to 'sgd' (field 'lr' must be positive, got -1.0)",
  function() optim.sgd(mse, {0, 0, 0}, {X, y}, {lr = -1}) end)
t.error_like("bad argument #4 to 'sgd' (field 'method' must be one of gd,",
  function() optim.sgd(mse, {0, 0, 0}, {X, y}, {method = "sgd"}) end)
t.error_like("bad argument #4 to 'sgd' (table expected, got number)",
  function() optim.sgd(mse, {0, 0, 0}, {X, y}, 3) end)
t.error_like("ad: comparison of a traced value",
  function() optim.sgd(function(w, Xb, yb)
    if w[1] > 0 then return w[1] end
    return 0
  end, {0, 0, 0}, {X, y}) end)

t.done()
