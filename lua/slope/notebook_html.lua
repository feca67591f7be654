-- notebook_html.lua: an executed notebook as one self-contained HTML page
-- (slope notebook --html): the Markdown text rendered (headings,
-- paragraphs, lists, emphasis, inline code, block quotes), Lua code
-- highlighted by a small tokenizer, outputs preformatted, plots inline as
-- <svg>, the style sheet inline. The page references nothing outside
-- itself: links to other places keep their text only.
local ipairs, concat, format = ipairs, table.concat, string.format

local M = {}

local function escape(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;",
                               [">"] = "&gt;", ['"'] = "&quot;" }))
end

-- {==================================================================
-- Lua highlighting
-- ===================================================================

local keywords = {}
for w in ("and break do else elseif end false for function goto if in "
          .. "local nil not or repeat return then true until while"):gmatch("%S+") do
  keywords[w] = true
end
local builtins = {}
for w in ("print pairs ipairs type tostring tonumber error assert pcall "
          .. "select require setmetatable getmetatable next math string "
          .. "table io os slope ad optim analyze plot numdiff expect"):gmatch("%S+") do
  builtins[w] = true
end

-- Lua source as HTML with <span class="k|b|s|c|n"> around keywords,
-- builtins, strings, comments and numbers.
function M.highlight(src)
  local out, i, n = {}, 1, #src
  local function span(class, text)
    out[#out + 1] = '<span class="' .. class .. '">' .. escape(text) .. "</span>"
  end
  while i <= n do
    local c = src:sub(i, i)
    local long = src:match("^%-%-%[(=*)%[", i)
    if long then  -- long comment
      local _, e = src:find("%]" .. long .. "%]", i)
      e = e or n
      span("c", src:sub(i, e)); i = e + 1
    elseif src:sub(i, i + 1) == "--" then
      local e = src:find("\n", i) or n + 1
      span("c", src:sub(i, e - 1)); i = e
    elseif src:match("^%[=*%[", i) then
      local eq = src:match("^%[(=*)%[", i)
      local _, e = src:find("%]" .. eq .. "%]", i)
      e = e or n
      span("s", src:sub(i, e)); i = e + 1
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == c or d == "\n" then break
        else j = j + 1 end
      end
      span("s", src:sub(i, j)); i = j + 1
    elseif c:match("%d") or (c == "." and src:match("^%.%d", i)) then
      local num = src:match("^0[xX][%x%.]+[pP]?[%+%-]?%d*", i)
                  or src:match("^%d*%.?%d+[eE][%+%-]?%d+", i)
                  or src:match("^%d+%.?%d*[eE][%+%-]?%d+", i)
                  or src:match("^%d*%.?%d*", i)
      span("n", num); i = i + #num
    elseif c:match("[%a_]") then
      local word = src:match("^[%w_]+", i)
      if keywords[word] then span("k", word)
      elseif builtins[word] and not src:sub(1, i - 1):match("[%.:]%s*$") then
        span("b", word)
      else out[#out + 1] = escape(word) end
      i = i + #word
    else
      out[#out + 1] = escape(c); i = i + 1
    end
  end
  return concat(out)
end

-- }==================================================================


-- {==================================================================
-- Markdown text
-- ===================================================================

-- Inline markup: code spans, emphasis, links (text only unless local and
-- in-page), with everything else escaped.
local function inline(s)
  local parts, i = {}, 1
  while true do
    local a, b, tick = s:find("(`+)", i)
    if not a then break end
    local c, d = s:find(tick, b + 1, true)
    if not c then break end
    parts[#parts + 1] = { text = s:sub(i, a - 1) }
    parts[#parts + 1] = { code = s:sub(b + 1, c - 1) }
    i = d + 1
  end
  parts[#parts + 1] = { text = s:sub(i) }
  local out = {}
  for _, p in ipairs(parts) do
    if p.code then
      out[#out + 1] = "<code>" .. escape(p.code:gsub("^ (.*) $", "%1")) .. "</code>"
    else
      local t = escape(p.text)
      t = t:gsub("!%[([^%]]*)%]%(([^%)]*)%)", "%1")
      t = t:gsub("%[([^%]]+)%]%((#[%w%-_]+)%)", '<a href="%2">%1</a>')
      t = t:gsub("%[([^%]]+)%]%(([^%)]*)%)", "%1")
      t = t:gsub("%*%*(.-)%*%*", "<strong>%1</strong>")
      t = t:gsub("%f[%w%*]%*([^%*%s][^%*]-)%*", "<em>%1</em>")
      t = t:gsub("%f[%w_]_([^_%s][^_]-)_%f[^%w_]", "<em>%1</em>")
      out[#out + 1] = t
    end
  end
  return concat(out)
end

M.inline = inline

local function slug(s)
  return (s:lower():gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", ""))
end

-- Lines of Markdown text (no lua blocks) as HTML.
local function markdown(lines, out)
  local i, n = 1, #lines
  local para = {}
  local function flushpara()
    if #para > 0 then
      out[#out + 1] = "<p>" .. inline(concat(para, " ")) .. "</p>"
      para = {}
    end
  end
  while i <= n do
    local l = lines[i]
    local hashes, title = l:match("^(#+)%s+(.-)%s*#*%s*$")
    local marker = l:match("^ ? ? ?(```+)") or l:match("^ ? ? ?(~~~+)")
    if l:match("^%s*$") then
      flushpara(); i = i + 1
    elseif hashes and #hashes <= 6 then
      flushpara()
      out[#out + 1] = format('<h%d id="%s">%s</h%d>', #hashes, slug(title),
                             inline(title), #hashes)
      i = i + 1
    elseif marker then
      flushpara()
      local body = {}
      i = i + 1
      while i <= n and not lines[i]:match("^ ? ? ?" .. marker:sub(1, 1):rep(#marker)) do
        body[#body + 1] = lines[i]; i = i + 1
      end
      i = i + 1
      out[#out + 1] = '<pre class="text">' .. escape(concat(body, "\n")) .. "</pre>"
    elseif l:match("^%s*[%-%*+]%s+") or l:match("^%s*%d+[%.%)]%s+") then
      flushpara()
      local ordered = l:match("^%s*%d+[%.%)]%s+") ~= nil
      local tag = ordered and "ol" or "ul"
      out[#out + 1] = "<" .. tag .. ">"
      local item
      while i <= n do
        local li = lines[i]
        local rest = ordered and li:match("^%s*%d+[%.%)]%s+(.*)$")
                     or (not ordered and li:match("^%s*[%-%*+]%s+(.*)$"))
        if rest then
          if item then out[#out + 1] = "<li>" .. inline(concat(item, " ")) .. "</li>" end
          item = { rest }
        elseif li:match("^%s+%S") and item then
          item[#item + 1] = li:match("^%s*(.-)%s*$")
        else
          break
        end
        i = i + 1
      end
      if item then out[#out + 1] = "<li>" .. inline(concat(item, " ")) .. "</li>" end
      out[#out + 1] = "</" .. tag .. ">"
    elseif l:match("^>") then
      flushpara()
      local quote = {}
      while i <= n and lines[i]:match("^>") do
        quote[#quote + 1] = lines[i]:gsub("^> ?", "")
        i = i + 1
      end
      out[#out + 1] = "<blockquote>"
      markdown(quote, out)
      out[#out + 1] = "</blockquote>"
    elseif l:match("^%s*%-%-%-+%s*$") or l:match("^%s*%*%*%*+%s*$") then
      flushpara()
      out[#out + 1] = "<hr>"
      i = i + 1
    else
      para[#para + 1] = l:match("^%s*(.-)%s*$")
      i = i + 1
    end
  end
  flushpara()
end

M.markdown = function(lines)
  local out = {}
  markdown(lines, out)
  return concat(out, "\n")
end

-- }==================================================================


local STYLE = [[
body { font-family: Georgia, "DejaVu Serif", serif; max-width: 52em;
  margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5;
  background: #fff; }
h1, h2, h3 { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif;
  color: #133; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.9em; }
p code, li code { background: #f1f1ef; padding: 0 0.2em; border-radius: 3px; }
pre { padding: 0.7em 1em; overflow-x: auto; border-radius: 4px; margin: 0.6em 0; }
pre.code { background: #f6f8fa; border-left: 4px solid #4a7ab0; }
pre.output { background: #fff; border-left: 4px solid #bbb; color: #333; }
pre.text { background: #f6f6f6; }
.exercise pre.code { border-left-color: #c77d14; }
.solution pre.code { border-left-color: #2b8a3e; }
.label { font-family: "DejaVu Sans", sans-serif; font-size: 0.8em;
  font-weight: bold; color: #666; margin-top: 1em; }
.passed { color: #2b8a3e; font-weight: bold; }
.failed { color: #b3261e; font-weight: bold; }
.error { color: #b3261e; }
.plot { margin: 0.8em 0; text-align: center; }
.plot svg { max-width: 100%; height: auto; }
.k { color: #8b1e6b; font-weight: bold; }
.b { color: #1f5aa6; }
.s { color: #2f7d32; }
.c { color: #7a7a7a; font-style: italic; }
.n { color: #a6521f; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em;
  color: #555; }
]]

-- The output text of a cell as HTML: exercise verdicts and errors marked.
local function output_html(text)
  local lines = {}
  for line in (text:gsub("\n$", "") .. "\n"):gmatch("(.-)\n") do
    local e = escape(line)
    if line:match("^exercise [^:]+: passed$") then
      e = '<span class="passed">' .. e .. "</span>"
    elseif line:match("^exercise [^:]+: failed") then
      e = '<span class="failed">' .. e .. "</span>"
    elseif line:match("^error: ") or line:match("^stopped: ") then
      e = '<span class="error">' .. e .. "</span>"
    end
    lines[#lines + 1] = e
  end
  return concat(lines, "\n")
end

-- An SVG document as an inline element (its XML prolog dropped).
local function inline_svg(svg)
  svg = svg:gsub("^%s*<%?xml.-%?>%s*", ""):gsub("<!DOCTYPE.->%s*", "")
  -- HTML knows the SVG namespace: no reference to it needed
  return (svg:gsub('%s+xmlns:?%w*="[^"]*"', ""))
end

--[[ page(result [, opts]): the HTML page of a notebook.run result; opts:
title, solutions (show the solution blocks). ]]
function M.page(result, opts)
  opts = opts or {}
  local out = {}
  out[#out + 1] = "<!DOCTYPE html>"
  out[#out + 1] = '<html lang="en"><head><meta charset="utf-8">'
  out[#out + 1] = "<title>" .. escape(opts.title or "notebook") .. "</title>"
  out[#out + 1] = "<style>" .. STYLE .. "</style></head><body>"
  for _, c in ipairs(result.cells) do
    if c.kind == "text" then
      markdown(c.lines, out)
    elseif c.attrs.solution then
      if opts.solutions then
        out[#out + 1] = '<div class="solution"><div class="label">Solution: '
                        .. escape(c.attrs.solution) .. "</div>"
        out[#out + 1] = '<pre class="code">' .. M.highlight(c.code) .. "</pre></div>"
      end
    else
      local ex = c.attrs.exercise
      out[#out + 1] = ex and ('<div class="exercise"><div class="label">Exercise: '
                              .. escape(ex) .. "</div>") or "<div>"
      out[#out + 1] = '<pre class="code">' .. M.highlight(c.code) .. "</pre>"
      for _, it in ipairs(c.items or {}) do
        if it.text then
          out[#out + 1] = '<pre class="output">' .. output_html(it.text) .. "</pre>"
        elseif it.svg then
          out[#out + 1] = '<div class="plot">' .. inline_svg(it.svg) .. "</div>"
        end
      end
      out[#out + 1] = "</div>"
    end
  end
  out[#out + 1] = "</body></html>"
  return concat(out, "\n") .. "\n"
end

return M
