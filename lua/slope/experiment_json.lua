-- experiment_json.lua: the small JSON encoder and decoder that experiment
-- records are written with. Numbers round-trip: integers as integers,
-- floats with %.17g (and a ".0" when that looks like an integer), so a
-- float decodes to the same bits; inf and nan have no JSON form and are
-- written as null (a record says why in its status). Object keys are
-- sorted, so the same table always gives the same text.
local string, table, math, type, pairs, tostring, error, tonumber =
      string, table, math, type, pairs, tostring, error, tonumber
local utf8, setmetatable, getmetatable, next = utf8, setmetatable, getmetatable, next
local format, byte, sub, find = string.format, string.byte, string.sub,
                                string.find

local json = {}

-- json.null decodes JSON null inside arrays (so that they keep their
-- length); objects drop null members. Empty tables encode as [] unless
-- marked with json.object.
local null = setmetatable({}, {__tostring = function() return "null" end})
json.null = null
local objectmt = {__name = "json.object"}
function json.object(t) return setmetatable(t or {}, objectmt) end

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or format("\\u%04x", byte(c))
  end) .. '"'
end

local function number(x)
  if math.type(x) == "integer" then return format("%d", x) end
  if x ~= x or x == math.huge or x == -math.huge then return "null" end
  local s = format("%.17g", x)
  if not find(s, "[.eEn]") then s = s .. ".0" end
  return s
end

local function isarray(t)
  local n = #t
  if n == 0 then return next(t) == nil and getmetatable(t) ~= objectmt end
  local count = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
    count = count + 1
  end
  return count == n
end

local encodevalue

local function encodetable(t, out, seen)
  if seen[t] then error("json.encode: cycle in the value", 0) end
  seen[t] = true
  if isarray(t) then
    out[#out + 1] = "["
    for i = 1, #t do
      if i > 1 then out[#out + 1] = "," end
      encodevalue(t[i], out, seen)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(t) do
      if type(k) ~= "string" and type(k) ~= "number" then
        error("json.encode: object key of type " .. type(k), 0)
      end
      keys[#keys + 1] = tostring(k)
    end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      local v = t[k]
      if v == nil then v = t[tonumber(k)] end
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = quote(k)
      out[#out + 1] = ":"
      encodevalue(v, out, seen)
    end
    out[#out + 1] = "}"
  end
  seen[t] = nil
end

function encodevalue(v, out, seen)
  local tv = type(v)
  if v == nil or v == null then out[#out + 1] = "null"
  elseif tv == "boolean" then out[#out + 1] = tostring(v)
  elseif tv == "number" then out[#out + 1] = number(v)
  elseif tv == "string" then out[#out + 1] = quote(v)
  elseif tv == "table" then encodetable(v, out, seen)
  else
    local mt = getmetatable(v)
    if mt and mt.__name == "slope.vec" and v.totable then
      encodetable(v:totable(), out, seen)
    else
      error("json.encode: cannot encode a value of type " .. tv, 0)
    end
  end
end

-- json.encode(v) -> text on one line.
function json.encode(v)
  local out = {}
  encodevalue(v, out, {})
  return table.concat(out)
end

-- {{ Decoding

local function fail(s, i, what)
  error(format("json.decode: %s at byte %d", what, i), 0)
end

local function skip(s, i)
  return find(s, "[^ \t\r\n]", i) or #s + 1
end

local decodevalue

local function decodestring(s, i)
  local out, j = {}, i + 1
  while true do
    local k = find(s, '["\\%c]', j)
    if not k then fail(s, i, "unterminated string") end
    out[#out + 1] = sub(s, j, k - 1)
    local c = sub(s, k, k)
    if c == '"' then return table.concat(out), k + 1 end
    if c ~= "\\" then fail(s, k, "control character in string") end
    local e = sub(s, k + 1, k + 1)
    if e == "u" then
      local hex = sub(s, k + 2, k + 5)
      if not hex:match("^%x%x%x%x$") then fail(s, k, "bad \\u escape") end
      local cp = tonumber(hex, 16)
      j = k + 6
      if cp >= 0xD800 and cp <= 0xDBFF then
        local lo = sub(s, j, j + 5):match("^\\u(%x%x%x%x)$")
        lo = lo and tonumber(lo, 16)
        if not lo or lo < 0xDC00 or lo > 0xDFFF then
          fail(s, k, "lone surrogate")
        end
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
        j = j + 6
      end
      out[#out + 1] = utf8.char(cp)
    else
      local m = ({['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b",
                  f = "\f", n = "\n", r = "\r", t = "\t"})[e]
      if not m then fail(s, k, "bad escape") end
      out[#out + 1] = m
      j = k + 2
    end
  end
end

local function decodenumber(s, i)
  local text = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if not text or not text:match("^-?%d+%.?%d*$") and
     not text:match("^-?%d+%.?%d*[eE][-+]?%d+$") then
    fail(s, i, "bad number")
  end
  local v
  if find(text, "[.eE]") then v = tonumber(text)
  else v = math.tointeger(tonumber(text)) or tonumber(text) end
  if v == nil then fail(s, i, "bad number") end
  return v, i + #text
end

function decodevalue(s, i)
  i = skip(s, i)
  local c = sub(s, i, i)
  if c == "{" then
    local t = {}
    i = skip(s, i + 1)
    if sub(s, i, i) == "}" then return json.object(t), i + 1 end
    while true do
      if sub(s, i, i) ~= '"' then fail(s, i, "object key expected") end
      local k
      k, i = decodestring(s, i)
      i = skip(s, i)
      if sub(s, i, i) ~= ":" then fail(s, i, "':' expected") end
      local v
      v, i = decodevalue(s, i + 1)
      if v ~= null then t[k] = v end
      i = skip(s, i)
      local d = sub(s, i, i)
      if d == "}" then return t, i + 1 end
      if d ~= "," then fail(s, i, "',' or '}' expected") end
      i = skip(s, i + 1)
    end
  elseif c == "[" then
    local t, n = {}, 0
    i = skip(s, i + 1)
    if sub(s, i, i) == "]" then return t, i + 1 end
    while true do
      local v
      v, i = decodevalue(s, i)
      n = n + 1
      t[n] = v
      i = skip(s, i)
      local d = sub(s, i, i)
      if d == "]" then return t, i + 1 end
      if d ~= "," then fail(s, i, "',' or ']' expected") end
      i = i + 1
    end
  elseif c == '"' then return decodestring(s, i)
  elseif c == "t" and sub(s, i, i + 3) == "true" then return true, i + 4
  elseif c == "f" and sub(s, i, i + 4) == "false" then return false, i + 5
  elseif c == "n" and sub(s, i, i + 3) == "null" then return null, i + 4
  elseif c == "-" or find(c, "^%d") then return decodenumber(s, i)
  end
  fail(s, i, c == "" and "unexpected end" or "unexpected '" .. c .. "'")
end

-- json.decode(text) -> value; raises "json.decode: ... at byte N" on bad
-- text. A null at the top or in an array is json.null.
function json.decode(s)
  if type(s) ~= "string" then
    error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 2)
  end
  local v, i = decodevalue(s, 1)
  i = skip(s, i)
  if i <= #s then fail(s, i, "trailing text") end
  return v
end

return json
