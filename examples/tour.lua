-- tour.lua: what slope can do so far. Run: ./slope examples/tour.lua
local slope = require "slope"

print("A tour of slope: vectors, matrices, and errors that say what is wrong")

-- Native vectors: contiguous doubles in C, 1-based, with arithmetic.
local x = slope.vec{1.5, -2.25, 3}
local y = slope.vec(3, 0.5)
print("x         =", x)
print("x + 2y    =", x + 2 * y)
print("x . y     =", x:dot(y))
print("|x|       =", x:norm())
print("|x|_1     =", x:norm(1))

-- A plain Lua array works wherever a vector is expected.
print("x . {1,0,1} =", x:dot{1, 0, 1})

-- Matrices are row-major; m[i] is a row that shares the matrix's memory.
local A = slope.mat{{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}
print("A         =", A)
print("A x       =", A * x)
print("x' A x    =", x:dot(A * x))    -- positive: A is positive definite
print("A^T == A  =", A:T() == A)
print("A A       =", A * A)

-- The gradient of f(x) = x' A x / 2 is A x; check it against central
-- differences, the limit definition of the derivative, by hand.
local function f(v) return 0.5 * v:dot(A * v) end
local h = 1e-6
local fd = slope.vec(#x)
for i = 1, #x do
  local e = slope.vec(#x); e[i] = h
  fd[i] = (f(x + e) - f(x - e)) / (2 * h)
end
print("A x agrees with finite differences to 1e-6:",
      (A * x - fd):norm(math.huge) < 1e-6)

-- Errors name the function and the argument (shown without the position).
local function try(fn, ...)
  local ok, msg = pcall(fn, ...)
  print("error:", (tostring(msg):gsub("^[^:]*:%d+: ", "")))
end
try(slope.vec, "three")
try(function() return x + slope.vec{1, 2} end)
try(function() return x[4] end)

print("At the REPL, help() lists every function and help(slope.vec) explains one.")
