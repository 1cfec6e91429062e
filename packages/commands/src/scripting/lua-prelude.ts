/*
 * The Lua side of the scripting environment, as Lua source run once per Lua state.
 *
 * The engine (Lua 5.4 compiled to WebAssembly) opens its standard libraries; this
 * prelude then builds what a Redis 7.0 script sees:
 *
 * - a global table that scripts can read but never write ("Attempt to modify a
 *   readonly table"), whose missing names raise "Script attempted to access
 *   nonexistent global variable", and without os, io, require, dofile, loadfile,
 *   debug, print, package, utf8;
 * - the Lua 5.1 names Redis scripts use (unpack, loadstring, table.getn, math.pow,
 *   math.mod, string.gfind ...) and a 5.1-style tostring for floats;
 * - the `bit`, `cjson`, `cmsgpack` and `struct` libraries with Redis' behaviour;
 * - the `redis` table around the native functions the engine registers.
 *
 * The chunk receives the natives table and returns the functions the engine needs
 * internally (the sandbox environment, the error-position finder, the
 * table behind the globals, where the engine sets KEYS and ARGV). Errors raised by library functions carry the position of the
 * script line that called them, as Redis' C libraries report it.
 */

export const LUA_PRELUDE = String.raw`
local natives = ...
local rawG = _G
local debug_getinfo = debug.getinfo
local type, pairs, next, error, tostring, tonumber, select, rawget, rawset, rawequal, setmetatable, getmetatable, pcall =
      type, pairs, next, error, tostring, tonumber, select, rawget, rawset, rawequal, setmetatable, getmetatable, pcall
local math_type, math_floor, math_huge, string_format, string_byte, string_char, string_sub, string_pack, string_unpack, table_concat, table_unpack =
      math.type, math.floor, math.huge, string.format, string.byte, string.char, string.sub, string.pack, string.unpack, table.concat, table.unpack
local string_find, string_rep = string.find, string.rep

local READONLY = "Attempt to modify a readonly table"
local protected = setmetatable({}, { __mode = "k" })

-- A read-only view of a table: reads go to the real table, writes fail.
local function readonly(real)
  local view = setmetatable({}, {
    __index = real,
    __newindex = function() error(READONLY, 2) end,
    __pairs = function() return next, real, nil end,
    __len = function() return #real end,
    __metatable = false,
  })
  protected[view] = true
  return view, real
end

-- Library functions run inside a native guard that prefixes their errors with
-- the position of the script line that called them, as Redis' C libraries do.
local guarded = natives.guard

local function fail(message) error(message, 0) end

local function argerror(n, fname, extra) fail("bad argument #" .. n .. " to '" .. fname .. "' (" .. extra .. ")") end

local function typename(v) if v == nil then return "no value" end return type(v) end

local function checknumber(v, n, fname)
  local t = type(v)
  if t == "number" then return v end
  if t == "string" then local x = tonumber(v) if x then return x end end
  argerror(n, fname, "number expected, got " .. (v == nil and "no value" or t))
end

-- ------------------------------------------------------------------ 5.1 numbers

-- Lua 5.1 prints every number with "%.14g": 5.0 is "5", 0.1+0.2 is "0.3".
local function format_number(n)
  if math_type(n) == "integer" then return string_format("%d", n) end
  if n ~= n then return (string_format("%.14g", n):find("-") and "-nan" or "nan") end
  return string_format("%.14g", n)
end

local base_tostring = tostring
local function tostring51(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'tostring' (value expected)", 2) end
  local v = ...
  if type(v) == "number" then return format_number(v) end
  return base_tostring(v)
end

-- ------------------------------------------------------------------ bit (LuaBitOp)

local TWO32 = 4294967296
local function tobit_raw(x)
  if math_type(x) == "float" then
    if x ~= x or x == math_huge or x == -math_huge then return 0 end
    local n = x % TWO32
    local r = math_floor(n)
    local frac = n - r
    if frac > 0.5 or (frac == 0.5 and r % 2 == 1) then r = r + 1 end
    x = math_floor(r)
  end
  x = x & 0xffffffff
  if x >= 0x80000000 then x = x - TWO32 end
  return x
end

local function bitarg(v, n, fname) return tobit_raw(checknumber(v, n, fname)) end

local bit = {}
bit.tobit = guarded(function(x) return bitarg(x, 1, "tobit") end)
bit.bnot = guarded(function(x) return tobit_raw(~bitarg(x, 1, "bnot")) end)
local function fold(fname, op)
  return guarded(function(...)
    local n = select("#", ...)
    local acc = bitarg((...), 1, fname)
    for i = 2, n do acc = op(acc, bitarg((select(i, ...)), i, fname)) end
    return tobit_raw(acc)
  end)
end
bit.band = fold("band", function(a, b) return a & b end)
bit.bor = fold("bor", function(a, b) return a | b end)
bit.bxor = fold("bxor", function(a, b) return a ~ b end)
bit.lshift = guarded(function(x, n) return tobit_raw((bitarg(x, 1, "lshift") & 0xffffffff) << (bitarg(n, 2, "lshift") & 31)) end)
bit.rshift = guarded(function(x, n) return tobit_raw((bitarg(x, 1, "rshift") & 0xffffffff) >> (bitarg(n, 2, "rshift") & 31)) end)
bit.arshift = guarded(function(x, n)
  local v, s = bitarg(x, 1, "arshift"), bitarg(n, 2, "arshift") & 31
  return tobit_raw(v // (1 << s))
end)
bit.rol = guarded(function(x, n)
  local v, s = bitarg(x, 1, "rol") & 0xffffffff, bitarg(n, 2, "rol") & 31
  return tobit_raw((v << s) | (v >> (32 - s)))
end)
bit.ror = guarded(function(x, n)
  local v, s = bitarg(x, 1, "ror") & 0xffffffff, bitarg(n, 2, "ror") & 31
  return tobit_raw((v >> s) | (v << (32 - s)))
end)
bit.bswap = guarded(function(x)
  local v = bitarg(x, 1, "bswap") & 0xffffffff
  return tobit_raw(((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24))
end)
bit.tohex = guarded(function(x, n)
  local v = bitarg(x, 1, "tohex") & 0xffffffff
  local digits = n == nil and 8 or bitarg(n, 2, "tohex")
  local upper = digits < 0
  if upper then digits = -digits end
  if digits > 8 then digits = 8 end
  return string_sub(string_format(upper and "%08X" or "%08x", v), 9 - digits)
end)

-- ------------------------------------------------------------------ cjson

local cjson_null = natives.null
local cjson = { null = cjson_null, _NAME = "cjson", _VERSION = "2.1.0" }
local encode_max_depth, decode_max_depth = 1000, 1000
local encode_precision = 14

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["/"] = "\\/", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function escape_char(c) return escapes[c] or string_format("\\u%04x", string_byte(c)) end
local function encode_string(s) return '"' .. s:gsub('[%c"\\/]', escape_char) .. '"' end

local function encode_number(n)
  if n ~= n or n == math_huge or n == -math_huge then fail("Cannot serialise number: must not be NaN or Inf") end
  if math_type(n) == "integer" then return string_format("%d", n) end
  return string_format("%." .. encode_precision .. "g", n)
end

local encode_value
local function encode_table(t, depth, parts)
  if depth > encode_max_depth then fail("Cannot serialise, excessive nesting (" .. depth .. ")") end
  local max, count, is_array = 0, 0, true
  for k in next, t do
    if math_type(k) == "integer" and k > 0 or (type(k) == "number" and k > 0 and k == math_floor(k)) then
      if k > max then max = k end
      count = count + 1
    else
      is_array = false
      break
    end
  end
  if is_array and max > 0 then
    if max > 10 and max > count * 2 then fail("Cannot serialise table: excessively sparse array") end
    parts[#parts + 1] = "["
    for i = 1, max do
      if i > 1 then parts[#parts + 1] = "," end
      encode_value(t[i], depth, parts)
    end
    parts[#parts + 1] = "]"
    return
  end
  parts[#parts + 1] = "{"
  local first = true
  for k, v in next, t do
    local kt = type(k)
    local key
    if kt == "string" then key = encode_string(k)
    elseif kt == "number" then key = '"' .. encode_number(k) .. '"'
    else fail("Cannot serialise " .. kt .. ": table key must be a number or string") end
    if not first then parts[#parts + 1] = "," end
    first = false
    parts[#parts + 1] = key
    parts[#parts + 1] = ":"
    encode_value(v, depth, parts)
  end
  parts[#parts + 1] = "}"
end

encode_value = function(v, depth, parts)
  local t = type(v)
  if t == "string" then parts[#parts + 1] = encode_string(v)
  elseif t == "number" then parts[#parts + 1] = encode_number(v)
  elseif t == "boolean" then parts[#parts + 1] = v and "true" or "false"
  elseif t == "nil" or rawequal(v, cjson_null) then parts[#parts + 1] = "null"
  elseif t == "table" then encode_table(v, depth + 1, parts)
  else fail("Cannot serialise " .. t .. ": type not supported") end
end

cjson.encode = guarded(function(...)
  if select("#", ...) ~= 1 then fail("bad argument #1 to 'encode' (expected 1 argument)") end
  local parts = {}
  encode_value((...), 0, parts)
  return table_concat(parts)
end)

-- Decoder: a token scanner reporting cjson's error texts.
local decode_value
local function token_name(s, pos)
  local c = string_sub(s, pos, pos)
  if c == "" then return "T_END" end
  if c == "{" then return "T_OBJ_BEGIN" elseif c == "}" then return "T_OBJ_END"
  elseif c == "[" then return "T_ARR_BEGIN" elseif c == "]" then return "T_ARR_END"
  elseif c == ":" then return "T_COLON" elseif c == "," then return "T_COMMA"
  elseif c == '"' then return "T_STRING" end
  if string_find(c, "[%d%-]") then return "T_NUMBER" end
  if string_sub(s, pos, pos + 3) == "true" or string_sub(s, pos, pos + 4) == "false" then return "T_BOOLEAN" end
  if string_sub(s, pos, pos + 3) == "null" then return "T_NULL" end
  return "invalid token"
end
local function decode_fail(what, s, pos) fail("Expected " .. what .. " but found " .. token_name(s, pos) .. " at character " .. pos) end
local function skip_ws(s, pos) local _, e = string_find(s, "^[ \t\r\n]*", pos) return e + 1 end

local function utf8_encode(cp)
  if cp < 0x80 then return string_char(cp)
  elseif cp < 0x800 then return string_char(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
  elseif cp < 0x10000 then return string_char(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  else return string_char(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)) end
end
local unescapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }

local function decode_string(s, pos)
  local parts, i = {}, pos + 1
  while true do
    local a, b = string_find(s, '^[^"\\]+', i)
    if a then parts[#parts + 1] = string_sub(s, a, b) i = b + 1 end
    local c = string_sub(s, i, i)
    if c == '"' then return table_concat(parts), i + 1 end
    if c == "" then fail("Expected value but found invalid token at character " .. pos) end
    local e = string_sub(s, i + 1, i + 1)
    if e == "u" then
      local hex = string_sub(s, i + 2, i + 5)
      local cp = #hex == 4 and tonumber(hex, 16)
      if not cp then fail("Expected value but found invalid unicode escape code at character " .. pos) end
      i = i + 6
      if cp >= 0xd800 and cp <= 0xdbff and string_sub(s, i, i + 1) == "\\u" then
        local low = tonumber(string_sub(s, i + 2, i + 5), 16)
        if low and low >= 0xdc00 and low <= 0xdfff then
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00)
          i = i + 6
        end
      end
      parts[#parts + 1] = utf8_encode(cp)
    elseif unescapes[e] then
      parts[#parts + 1] = unescapes[e]
      i = i + 2
    else
      fail("Expected value but found invalid escape code at character " .. pos)
    end
  end
end

decode_value = function(s, pos, depth)
  pos = skip_ws(s, pos)
  local c = string_sub(s, pos, pos)
  if c == "{" then
    if depth >= decode_max_depth then fail("Found too many nested data structures (" .. (depth + 1) .. ") at character " .. pos) end
    local t = {}
    pos = skip_ws(s, pos + 1)
    if string_sub(s, pos, pos) == "}" then return t, pos + 1 end
    while true do
      pos = skip_ws(s, pos)
      if string_sub(s, pos, pos) ~= '"' then decode_fail("object key string", s, pos) end
      local k
      k, pos = decode_string(s, pos)
      pos = skip_ws(s, pos)
      if string_sub(s, pos, pos) ~= ":" then decode_fail("colon", s, pos) end
      local v
      v, pos = decode_value(s, pos + 1, depth + 1)
      t[k] = v
      pos = skip_ws(s, pos)
      local d = string_sub(s, pos, pos)
      if d == "}" then return t, pos + 1 end
      if d ~= "," then decode_fail("comma or object end", s, pos) end
      pos = pos + 1
    end
  elseif c == "[" then
    if depth >= decode_max_depth then fail("Found too many nested data structures (" .. (depth + 1) .. ") at character " .. pos) end
    local t, n = {}, 0
    pos = skip_ws(s, pos + 1)
    if string_sub(s, pos, pos) == "]" then return t, pos + 1 end
    while true do
      local v
      v, pos = decode_value(s, pos, depth + 1)
      n = n + 1
      t[n] = v
      pos = skip_ws(s, pos)
      local d = string_sub(s, pos, pos)
      if d == "]" then return t, pos + 1 end
      if d ~= "," then decode_fail("comma or array end", s, pos) end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(s, pos)
  elseif string_sub(s, pos, pos + 3) == "true" then return true, pos + 4
  elseif string_sub(s, pos, pos + 4) == "false" then return false, pos + 5
  elseif string_sub(s, pos, pos + 3) == "null" then return cjson_null, pos + 4
  else
    local a, b = string_find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if a then
      local text = string_sub(s, a, b)
      local n = tonumber(text)
      if n then
        if math_type(n) == "integer" and (#text > 15) then n = n + 0.0 end
        return n, b + 1
      end
    end
    decode_fail("value", s, pos)
  end
end

cjson.decode = guarded(function(...)
  if select("#", ...) ~= 1 then fail("bad argument #1 to 'decode' (expected 1 argument)") end
  local s = ...
  if type(s) ~= "string" then
    if type(s) == "number" then s = format_number(s)
    else argerror(1, "decode", "string expected, got " .. typename(s)) end
  end
  local v, pos = decode_value(s, 1, 0)
  pos = skip_ws(s, pos)
  if pos <= #s then decode_fail("the end", s, pos) end
  return v
end)
cjson.encode_max_depth = function(n) if n then encode_max_depth = n end return encode_max_depth end
cjson.decode_max_depth = function(n) if n then decode_max_depth = n end return decode_max_depth end
cjson.encode_number_precision = function(n) if n then encode_precision = n end return encode_precision end
cjson.encode_keep_buffer = function(v) return v == nil or v end
cjson.encode_invalid_numbers = function(v) return v or false end
cjson.decode_invalid_numbers = function(v) return v or false end
cjson.encode_sparse_array = function(a, b, c) return a or false, b or 2, c or 10 end

-- ------------------------------------------------------------------ cmsgpack

local MAX_NESTING = 16
local pack_value
local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= "number" or k <= 0 or k ~= math_floor(k) then return false end
    count = count + 1
    if k > max then max = k end
  end
  return max == count, count
end

pack_value = function(v, parts, depth)
  local t = type(v)
  if t == "nil" then parts[#parts + 1] = "\xc0"
  elseif t == "boolean" then parts[#parts + 1] = v and "\xc3" or "\xc2"
  elseif t == "number" then
    local i = math_type(v) == "integer" and v or (v == math_floor(v) and v >= -9.2233720368547758e18 and v < 9.2233720368547758e18 and math_floor(v) or nil)
    if i then
      if i >= 0 then
        if i < 128 then parts[#parts + 1] = string_char(i)
        elseif i < 256 then parts[#parts + 1] = "\xcc" .. string_char(i)
        elseif i < 65536 then parts[#parts + 1] = "\xcd" .. string_pack(">I2", i)
        elseif i < 4294967296 then parts[#parts + 1] = "\xce" .. string_pack(">I4", i)
        else parts[#parts + 1] = "\xcf" .. string_pack(">i8", i) end
      else
        if i >= -32 then parts[#parts + 1] = string_char(i & 0xff)
        elseif i >= -128 then parts[#parts + 1] = "\xd0" .. string_pack(">i1", i)
        elseif i >= -32768 then parts[#parts + 1] = "\xd1" .. string_pack(">i2", i)
        elseif i >= -2147483648 then parts[#parts + 1] = "\xd2" .. string_pack(">i4", i)
        else parts[#parts + 1] = "\xd3" .. string_pack(">i8", i) end
      end
    else
      local f = string_pack(">f", v)
      if string_unpack(">f", f) == v then parts[#parts + 1] = "\xca" .. f
      else parts[#parts + 1] = "\xcb" .. string_pack(">d", v) end
    end
  elseif t == "string" then
    local n = #v
    if n < 32 then parts[#parts + 1] = string_char(0xa0 | n)
    elseif n < 256 then parts[#parts + 1] = "\xd9" .. string_char(n)
    elseif n < 65536 then parts[#parts + 1] = "\xda" .. string_pack(">I2", n)
    else parts[#parts + 1] = "\xdb" .. string_pack(">I4", n) end
    parts[#parts + 1] = v
  elseif t == "table" and depth < MAX_NESTING then
    local array, count = is_array(v)
    if array then
      if count < 16 then parts[#parts + 1] = string_char(0x90 | count)
      elseif count < 65536 then parts[#parts + 1] = "\xdc" .. string_pack(">I2", count)
      else parts[#parts + 1] = "\xdd" .. string_pack(">I4", count) end
      for i = 1, count do pack_value(v[i], parts, depth + 1) end
    else
      local n = 0
      for _ in next, v do n = n + 1 end
      if n < 16 then parts[#parts + 1] = string_char(0x80 | n)
      elseif n < 65536 then parts[#parts + 1] = "\xde" .. string_pack(">I2", n)
      else parts[#parts + 1] = "\xdf" .. string_pack(">I4", n) end
      for k, val in next, v do
        pack_value(k, parts, depth + 1)
        pack_value(val, parts, depth + 1)
      end
    end
  else
    parts[#parts + 1] = "\xc0"
  end
end

local function unpack_value(s, pos)
  local b = string_byte(s, pos)
  if b == nil then fail("Missing bytes in input.") end
  local function need(n) if pos + n > #s then fail("Missing bytes in input.") end end
  if b < 0x80 then return b, pos + 1 end
  if b >= 0xe0 then return b - 256, pos + 1 end
  local function str(n, at) need(at - pos + n - 1) return string_sub(s, at, at + n - 1), at + n end
  local function arr(n, at)
    local t = {}
    for i = 1, n do t[i], at = unpack_value(s, at) end
    return t, at
  end
  local function map(n, at)
    local t = {}
    for _ = 1, n do
      local k, v
      k, at = unpack_value(s, at)
      v, at = unpack_value(s, at)
      if k ~= nil then t[k] = v end
    end
    return t, at
  end
  if b >= 0xa0 and b <= 0xbf then return str(b & 0x1f, pos + 1) end
  if b >= 0x90 and b <= 0x9f then return arr(b & 0x0f, pos + 1) end
  if b >= 0x80 and b <= 0x8f then return map(b & 0x0f, pos + 1) end
  if b == 0xc0 then return nil, pos + 1 end
  if b == 0xc2 then return false, pos + 1 end
  if b == 0xc3 then return true, pos + 1 end
  local function num(fmt, size) need(size) return string_unpack(fmt, s, pos + 1), pos + 1 + size end
  if b == 0xca then local v = num(">f", 4) return v, pos + 5 end
  if b == 0xcb then local v = num(">d", 8) return v, pos + 9 end
  if b == 0xcc then return num(">I1", 1) end
  if b == 0xcd then return num(">I2", 2) end
  if b == 0xce then return num(">I4", 4) end
  if b == 0xcf then need(8) local v = string_unpack(">I8", s, pos + 1) if v < 0 then v = v + 18446744073709551616.0 end return v, pos + 9 end
  if b == 0xd0 then return num(">i1", 1) end
  if b == 0xd1 then return num(">i2", 2) end
  if b == 0xd2 then return num(">i4", 4) end
  if b == 0xd3 then return num(">i8", 8) end
  if b == 0xd9 or b == 0xc4 then need(1) return str(string_byte(s, pos + 1), pos + 2) end
  if b == 0xda or b == 0xc5 then need(2) return str(string_unpack(">I2", s, pos + 1), pos + 3) end
  if b == 0xdb or b == 0xc6 then need(4) return str(string_unpack(">I4", s, pos + 1), pos + 5) end
  if b == 0xdc then need(2) return arr(string_unpack(">I2", s, pos + 1), pos + 3) end
  if b == 0xdd then need(4) return arr(string_unpack(">I4", s, pos + 1), pos + 5) end
  if b == 0xde then need(2) return map(string_unpack(">I2", s, pos + 1), pos + 3) end
  if b == 0xdf then need(4) return map(string_unpack(">I4", s, pos + 1), pos + 5) end
  fail("Bad data format in input.")
end

local function unpack_many(s, limit, offset)
  local results, n, pos = {}, 0, offset + 1
  while pos <= #s and (limit <= 0 or n < limit) do
    local v
    v, pos = unpack_value(s, pos)
    n = n + 1
    results[n] = v
  end
  if limit > 0 then
    return (pos > #s and -1 or pos - 1), table_unpack(results, 1, n)
  end
  return table_unpack(results, 1, n)
end

local cmsgpack = { _NAME = "cmsgpack", _VERSION = "lua-cmsgpack 0.4.0" }
cmsgpack.pack = guarded(function(...)
  local n = select("#", ...)
  if n == 0 then fail("MessagePack pack needs input.") end
  local parts = {}
  for i = 1, n do pack_value((select(i, ...)), parts, 0) end
  return table_concat(parts)
end)
cmsgpack.unpack = guarded(function(s)
  if type(s) ~= "string" then argerror(1, "unpack", "string expected, got " .. typename(s)) end
  return unpack_many(s, 0, 0)
end)
cmsgpack.unpack_one = guarded(function(s, offset)
  if type(s) ~= "string" then argerror(1, "unpack_one", "string expected, got " .. typename(s)) end
  return unpack_many(s, 1, offset or 0)
end)
cmsgpack.unpack_limit = guarded(function(s, limit, offset)
  if type(s) ~= "string" then argerror(1, "unpack_limit", "string expected, got " .. typename(s)) end
  return unpack_many(s, limit or 0, offset or 0)
end)

-- ------------------------------------------------------------------ struct

-- Redis' struct library on top of string.pack, with its sizes (long and size_t are 8 bytes).
local function struct_items(fmt, fname)
  local items, i, n = {}, 1, #fmt
  local endian, maxalign = "<", 1
  while i <= n do
    local c = string_sub(fmt, i, i)
    i = i + 1
    local digits = string.match(fmt, "^%d+", i)
    if digits then i = i + #digits end
    local size = digits and tonumber(digits)
    if c == ">" or c == "<" then endian = c
    elseif c == "=" then endian = "<"
    elseif c == "!" then maxalign = size or 8
    elseif c == " " then
    else
      local item = { c = c, endian = endian, maxalign = maxalign }
      if c == "b" or c == "B" then item.size = 1 item.int = c == "b"
      elseif c == "h" or c == "H" then item.size = 2 item.int = c == "h"
      elseif c == "l" or c == "L" or c == "T" then item.size = 8 item.int = c == "l"
      elseif c == "i" or c == "I" then
        item.size = size or 4
        if item.size > 8 or item.size < 1 then fail("integral size " .. item.size .. " is larger than limit of 8") end
        item.int = c == "i"
      elseif c == "f" then item.size = 4
      elseif c == "d" then item.size = 8
      elseif c == "c" then item.size = size or 1 item.count = size ~= nil
      elseif c == "s" then item.size = 0
      elseif c == "x" then item.size = 1
      else argerror(1, fname, "invalid format option '" .. c .. "'") end
      items[#items + 1] = item
    end
  end
  return items
end

local function align(pos, item)
  local size = item.size
  if item.maxalign <= 1 or item.c == "c" or item.c == "s" or item.c == "x" then return pos end
  local a = size < item.maxalign and size or item.maxalign
  if a <= 1 then return pos end
  local off = (pos - 1) % a
  if off ~= 0 then return pos + a - off end
  return pos
end

local struct = {}
struct.pack = guarded(function(fmt, ...)
  if type(fmt) ~= "string" then argerror(1, "pack", "string expected, got " .. typename(fmt)) end
  local items = struct_items(fmt, "pack")
  local parts, pos, argi = {}, 1, 1
  local args = table.pack(...)
  for _, item in ipairs(items) do
    local aligned = align(pos, item)
    if aligned > pos then parts[#parts + 1] = string_rep("\0", aligned - pos) pos = aligned end
    local c = item.c
    if c == "x" then parts[#parts + 1] = "\0" pos = pos + 1
    else
      argi = argi + 1
      local v = args[argi - 1]
      local out
      if item.int ~= nil then
        local x = checknumber(v, argi, "pack")
        if math_type(x) == "float" then x = x >= 0 and math_floor(x) or -math_floor(-x) end
        x = math_floor(x)
        local sz = item.size
        if sz < 8 then x = x & ((1 << (sz * 8)) - 1) end
        out = string_pack(item.endian .. "I" .. sz, x & (sz == 8 and -1 or ((1 << (sz * 8)) - 1)))
      elseif c == "f" then out = string_pack(item.endian .. "f", checknumber(v, argi, "pack"))
      elseif c == "d" then out = string_pack(item.endian .. "d", checknumber(v, argi, "pack"))
      elseif c == "c" or c == "s" then
        if type(v) ~= "string" and type(v) ~= "number" then argerror(argi, "pack", "string expected, got " .. typename(v)) end
        v = tostring51(v)
        if c == "s" then out = v .. "\0"
        else
          local size = item.count and item.size or #v
          if item.count and #v < size then argerror(argi, "pack", "string too short") end
          out = string_sub(v, 1, size)
        end
      end
      parts[#parts + 1] = out
      pos = pos + #out
    end
  end
  return table_concat(parts)
end)

struct.unpack = guarded(function(fmt, data, init)
  if type(fmt) ~= "string" then argerror(1, "unpack", "string expected, got " .. typename(fmt)) end
  if type(data) ~= "string" then argerror(2, "unpack", "string expected, got " .. typename(data)) end
  local items = struct_items(fmt, "unpack")
  local pos = init and checknumber(init, 3, "unpack") or 1
  if pos < 1 then argerror(3, "unpack", "offset must be 1 or greater") end
  local results, previous = {}, nil
  local n = #data
  for _, item in ipairs(items) do
    pos = align(pos, item)
    local c = item.c
    if c == "x" then pos = pos + 1
    elseif c == "s" then
      local e = string_find(data, "\0", pos, true)
      if not e then argerror(2, "unpack", "unfinished string in data") end
      results[#results + 1] = string_sub(data, pos, e - 1)
      pos = e + 1
    elseif c == "c" then
      local size = item.size
      if item.count and size == 0 then
        if type(previous) ~= "number" then fail("format 'c0' needs a previous size") end
        size = previous
        results[#results] = nil
      elseif not item.count then size = 1 end
      if pos + size - 1 > n then argerror(2, "unpack", "data string too short") end
      results[#results + 1] = string_sub(data, pos, pos + size - 1)
      pos = pos + size
    else
      local size = item.size
      if pos + size - 1 > n then argerror(2, "unpack", "data string too short") end
      local v
      if c == "f" then v = string_unpack(item.endian .. "f", data, pos)
      elseif c == "d" then v = string_unpack(item.endian .. "d", data, pos)
      else v = string_unpack(item.endian .. (item.int and "i" or "I") .. size, data, pos)
        if not item.int and size == 8 and v < 0 then v = v + 18446744073709551616.0 end
      end
      results[#results + 1] = v
      previous = v
      pos = pos + size
    end
  end
  results[#results + 1] = pos
  return table_unpack(results, 1, #results)
end)

struct.size = guarded(function(fmt)
  if type(fmt) ~= "string" then argerror(1, "size", "string expected, got " .. typename(fmt)) end
  local pos = 1
  for _, item in ipairs(struct_items(fmt, "size")) do
    if item.c == "s" or (item.c == "c" and item.count and item.size == 0) then argerror(1, "size", "options 'c0' - 's' have undefined sizes") end
    pos = align(pos, item) + (item.c == "c" and not item.count and 1 or item.size)
  end
  return pos - 1
end)

-- ------------------------------------------------------------------ redis

local redis = {
  call = natives.call,
  pcall = natives.pcall,
  sha1hex = natives.sha1hex,
  log = natives.log,
  setresp = natives.setresp,
  set_repl = natives.set_repl,
  replicate_commands = natives.replicate_commands,
  breakpoint = function() return false end,
  debug = function() end,
  acl_check_cmd = natives.acl_check_cmd,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = natives.version, REDIS_VERSION_NUM = natives.version_num,
}
local function single_field(field)
  return function(...)
    local v = ...
    if select("#", ...) ~= 1 or type(v) ~= "string" then
      return { err = "ERR wrong number or type of arguments" }
    end
    return { [field] = v }
  end
end
redis.error_reply = single_field("err")
redis.status_reply = single_field("ok")

-- ------------------------------------------------------------------ the globals

-- pcall and xpcall see an error raised as a table {err=...} as its message string.
local function unwrap(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == "table" and type(rawget(e, "err")) == "string" then return false, rawget(e, "err") end
  return false, e
end
local function pcall51(f, ...) return unwrap(pcall(f, ...)) end
local function xpcall51(f, handler)
  return unwrap(xpcall(f, function(e)
    if type(e) == "table" and type(rawget(e, "err")) == "string" then e = rawget(e, "err") end
    return handler(e)
  end))
end

-- math.random and math.randomseed as Redis has them: the 48-bit linear
-- congruential generator of drand48 (x = x * 0x5DEECE66D + 0xB mod 2^48, 31-bit
-- outputs x >> 17), starting from drand48's default state and never reseeded by
-- Redis itself, so a server's sequence is the same on every machine. Lua 5.4's
-- integer multiply wraps modulo 2^64, which keeps the low 48 bits exact. (The
-- state lives in the Lua state: SCRIPT FLUSH, which builds a new one, starts the
-- sequence over, where Redis' C-level state would carry on.)
local RAND48_MASK = 0xFFFFFFFFFFFF
local RAND48_MAX = 2147483647
local rand48_state = 0x1234ABCD330E
local function rand48_fraction()
  rand48_state = (rand48_state * 0x5DEECE66D + 0xB) & RAND48_MASK
  return ((rand48_state >> 17) % RAND48_MAX) / RAND48_MAX
end
-- luaL_checkint of Lua 5.1: a number (or numeric string) truncated toward zero.
local function checkint51(v, n, fname)
  local x = checknumber(v, n, fname)
  if x ~= x or x == math_huge or x == -math_huge then return 0 end
  local t = math.tointeger(x >= 0 and math_floor(x) or -math_floor(-x))
  return t or 0
end
local function random51(...)
  local count = select("#", ...)
  local r = rand48_fraction()
  if count == 0 then return r end
  if count == 1 then
    local m = checkint51(..., 1, "random")
    if m < 1 then argerror(1, "random", "interval is empty") end
    return math_floor(r * m) + 1
  end
  if count == 2 then
    local low, high = ...
    local m = checkint51(low, 1, "random")
    local n = checkint51(high, 2, "random")
    if m > n then argerror(2, "random", "interval is empty") end
    return math_floor(r * (n - m + 1)) + m
  end
  fail("wrong number of arguments")
end
local function randomseed51(seed)
  local value = checkint51(seed, 1, "randomseed") & 0xFFFFFFFF
  rand48_state = (value << 16) | 0x330E
end

local mathlib = {}
for k, v in pairs(math) do mathlib[k] = v end
mathlib.pow = function(a, b) return checknumber(a, 1, "pow") ^ checknumber(b, 2, "pow") end
mathlib.mod = math.fmod
mathlib.ldexp = function(m, e) return m * 2.0 ^ e end
mathlib.frexp = function(x)
  if x == 0 or x ~= x or x == math_huge or x == -math_huge then return x, 0 end
  local e = math_floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2 e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2 e = e - 1 end
  return m, e
end
mathlib.log10 = function(x) return math.log(x, 10) end
mathlib.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
mathlib.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
mathlib.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
mathlib.atan2 = function(y, x) return math.atan(y, x) end
mathlib.log = function(x, base) if base then return math.log(x, base) end return math.log(x) end
mathlib.random, mathlib.randomseed = guarded(random51), guarded(randomseed51)
mathlib.type, mathlib.tointeger, mathlib.ult, mathlib.maxinteger, mathlib.mininteger = nil, nil, nil, nil, nil

-- string.format as Lua 5.1 has it: an argument taken as text (%s, %q) must be a
-- string or a number, and a number is rendered with "%.14g" (6/2 formats as
-- "3" where Lua 5.4 writes the float "3.0", and %q quotes numbers as strings).
-- Other conversions are 5.4's, which agree. The native is called through a
-- field named "format" so that its argument errors name it as 5.1 does.
local native_string = { format = string.format }
-- The native's error, reworded where 5.4 words it differently from 5.1.
local function native_format(...)
  local ok, result = pcall(native_string.format, ...)
  if ok then return result end
  local message = string.gsub(tostring(result), "^prelude:%d+: ", "")
  message = string.gsub(message, " to 'string%.format' ", " to 'format' ")
  message = string.gsub(message, "^invalid conversion ('.-') to 'format'", "invalid option %1 to 'format'")
  fail(message)
end
local function format51(...)
  local count = select("#", ...) - 1
  local fmt = ...
  if type(fmt) ~= "string" or count <= 0 or not string_find(fmt, "%", 1, true) then
    return native_format(...)
  end
  local args = { select(2, ...) }
  local index, at = 0, 1
  while true do
    local start = string_find(fmt, "%", at, true)
    if not start then break end
    if string_sub(fmt, start + 1, start + 1) == "%" then
      at = start + 2
    else
      local stop = string_find(fmt, "%a", start + 1)
      if not stop then break end
      index = index + 1
      local conversion = string_sub(fmt, stop, stop)
      if (conversion == "s" or conversion == "q") and index <= count then
        local value = args[index]
        local kind = type(value)
        if kind == "number" then
          if conversion == "q" or math_type(value) == "float" then args[index] = format_number(value) end
        elseif kind ~= "string" then
          argerror(index + 1, "format", "string expected, got " .. kind)
        end
      elseif string_find("diouxXc", conversion, 1, true) and math_type(args[index]) == "float" then
        -- 5.1 casts the number to a C integer: truncation toward zero, and
        -- the x86 result for what does not fit (NaN, beyond 64 bits).
        local value = args[index]
        if value ~= value or value >= 0x1p63 or value < -0x1p63 then
          args[index] = math.mininteger
        else
          args[index] = math.tointeger(value >= 0 and math_floor(value) or -math_floor(-value))
        end
      end
      at = stop + 1
    end
  end
  return native_format(fmt, table_unpack(args, 1, count))
end

local stringlib = {}
for k, v in pairs(string) do stringlib[k] = v end
stringlib.gfind = string.gmatch
stringlib.format = guarded(format51)
stringlib.pack, stringlib.unpack, stringlib.packsize, stringlib.dump = nil, nil, nil, nil

local tablelib = {}
for k, v in pairs(table) do tablelib[k] = v end
tablelib.getn = function(t) return #t end
tablelib.setn = function() error("'setn' is obsolete", 2) end
tablelib.maxn = function(t)
  local max = 0
  for k in next, t do if type(k) == "number" and k > max then max = k end end
  return max
end
tablelib.foreach = function(t, f)
  for k, v in next, t do local r = f(k, v) if r ~= nil then return r end end
end
tablelib.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
tablelib.pack, tablelib.unpack, tablelib.move = nil, nil, nil

local coroutinelib = {}
for k, v in pairs(coroutine) do coroutinelib[k] = v end
coroutinelib.close, coroutinelib.isyieldable = nil, nil

local G = {}
local env = setmetatable({}, {
  __index = G,
  __newindex = function() error(READONLY, 2) end,
  __pairs = function() return next, G, nil end,
  __metatable = false,
})
protected[env] = true
setmetatable(G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
})

local function protected_rawset(t, k, v)
  if protected[t] or t == G then error(READONLY, 0) end
  return rawset(t, k, v)
end

local function load51(chunk, name)
  if type(chunk) ~= "string" then return nil, "loadstring expects a string" end
  return load(chunk, name or chunk, "t", env)
end

local function setmetatable51(t, mt)
  if protected[t] or t == G then error(READONLY, 2) end
  return setmetatable(t, mt)
end

G._G = env
G._VERSION = "Lua 5.1"
G.assert, G.error, G.ipairs, G.next, G.pairs, G.rawequal, G.rawget, G.select = assert, error, ipairs, next, pairs, rawequal, rawget, select
G.tonumber, G.type, G.unpack, G.getmetatable = tonumber, type, table_unpack, getmetatable
G.tostring = tostring51
G.rawset = protected_rawset
G.setmetatable = setmetatable51
G.pcall, G.xpcall = pcall51, xpcall51
G.loadstring, G.load = load51, load51
G.collectgarbage = collectgarbage
G.gcinfo = function() return math_floor(collectgarbage("count")) end
G.math = readonly(mathlib)
G.string = readonly(stringlib)
G.table = readonly(tablelib)
G.coroutine = readonly(coroutinelib)
G.bit = readonly(bit)
G.cjson = readonly(cjson)
G.cmsgpack = readonly(cmsgpack)
G.struct = readonly(struct)
G.redis = readonly(redis)

-- Scripts and FUNCTION libraries compile against their own environment table.
local function compile(body, chunkname, environment)
  return load(body, chunkname, "t", environment or env)
end

-- Where an error happened, for the "script: <name>, on <source>:<line>." suffix.
local function errorplace(co)
  for level = 0, 64 do
    local i = debug_getinfo(co, level, "Sl")
    if not i then break end
    if i.what ~= "C" and string_sub(i.source, 1, 6) == "@user_" then return i.source, i.currentline end
  end
  return nil, nil
end


-- FUNCTION LOAD: a library body runs once in an environment that has only
-- redis.register_function, redis.log, the log levels and the version (as Redis
-- 7.0's loading environment); once loaded, its functions see the script globals
-- (without KEYS and ARGV) and the whole redis table.
local function missing_global(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end

local function library_env()
  local load_redis = setmetatable({
    register_function = natives.register_function,
    log = redis.log,
    LOG_DEBUG = redis.LOG_DEBUG, LOG_VERBOSE = redis.LOG_VERBOSE,
    LOG_NOTICE = redis.LOG_NOTICE, LOG_WARNING = redis.LOG_WARNING,
    REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
  }, { __index = missing_global })
  local loadG = setmetatable({ redis = readonly(load_redis) }, { __index = missing_global })
  local libG = {}
  for k, v in pairs(G) do libG[k] = v end
  libG.KEYS, libG.ARGV = nil, nil
  setmetatable(libG, { __index = missing_global })
  local mt = {
    __index = loadG,
    __newindex = function() error(READONLY, 2) end,
    __pairs = function() return next, loadG, nil end,
    __metatable = false,
  }
  local lenv = setmetatable({}, mt)
  libG._G = lenv
  protected[lenv] = true
  protected[libG] = true
  local function finish()
    mt.__index = libG
    mt.__pairs = function() return next, libG, nil end
  end
  return lenv, finish
end


return {
  env = env,
  compile = compile,
  errorplace = errorplace,
  globals = G,
  library_env = library_env,
  memory = function(collect)
    if collect then collectgarbage("collect") end
    return collectgarbage("count") * 1024
  end,
}
`;
