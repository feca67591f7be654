-- data.lua: slope.data, data sets for training: csv(path [, opts]) reads a
-- numeric table with a header into a matrix and named columns (native).
return require("slope.core").data
