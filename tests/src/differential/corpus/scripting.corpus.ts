/*
 * Differential cases: Lua scripting. EVAL / EVALSHA / EVAL_RO / SCRIPT: the
 * Redis <-> Lua conversion rules in RESP2 and RESP3 (nil/false, integers,
 * doubles truncated, status and error tables, nested arrays, maps, sets, big
 * numbers, verbatim strings, redis.setresp), redis.call / redis.pcall error
 * texts with their `@user_script:N` positions, the sandbox (read-only globals,
 * no os / io / require / loadfile / dofile), the Lua 5.1 names scripts use, and
 * shebang flags.
 *
 * Not here, on purpose: Lua runtime error messages that differ between Lua 5.1
 * (Redis) and the Lua 5.4 engine Spinel embeds (e.g. "attempt to index a nil
 * value (field 'x')" vs 5.1's "attempt to index field 'x' (a nil value)") and
 * compile-error wording; the package README lists those differences.
 */
import type { DiffCase } from "../corpus-types.js";
import { helpLines, quiet } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

const evalCase = (name: string, script: string, ...args: string[]): DiffCase => ({
  name,
  steps: [["EVAL", script, "0", ...args]],
});

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- Lua -> Redis
  evalCase("a Lua integer is an integer reply", "return 42"),
  evalCase("a Lua float is truncated to an integer", "return 3.99"),
  evalCase("a negative float is truncated toward zero", "return -3.99"),
  evalCase("a string is a bulk reply", "return 'hello'"),
  evalCase("true is 1 and false is a null bulk in RESP2", "return {true, false}"),
  evalCase("false alone is a null bulk", "return false"),
  evalCase("nil is a null bulk", "return nil"),
  evalCase("no return value is a null bulk", "local x = 1"),
  evalCase("an array stops at the first nil", "return {1, 2, nil, 4}"),
  evalCase("nested arrays", "return {1, {2, {3, 'x'}}, {}}"),
  evalCase("a status table is a status reply", "return {ok='fine'}"),
  evalCase("an error table is an error reply", "return {err='MYERR something'}"),
  evalCase("redis.status_reply", "return redis.status_reply('PONG')"),
  evalCase("redis.error_reply", "return redis.error_reply('E1 custom error')"),
  evalCase("redis.error_reply with a wrong argument", "return redis.error_reply(1, 2)"),
  evalCase("a status inside an array", "return {1, {ok='o'}, 'x'}"),
  evalCase("a double table is a bulk in RESP2", "return {double=1.5}"),
  evalCase("a map table is a flat array in RESP2", "return {map={a=1}}"),
  evalCase("a set table is an array in RESP2", "return {set={b=true}}"),
  evalCase("a big number is a bulk in RESP2", "return {big_number='12345678901234567890'}"),
  evalCase("a verbatim string is a bulk in RESP2", "return {verbatim_string={format='txt', string='hi'}}"),
  evalCase("a table with keys only is an empty array", "return {a=1}"),
  evalCase("a function return is a null bulk", "return print ~= nil"),
  { name: "RESP3: a double table is a double", resp3: true, steps: [["EVAL", "return {double=1.5}", "0"]] },
  { name: "RESP3: a map table is a map", resp3: true, steps: [["EVAL", "return {map={a=1}}", "0"]] },
  { name: "RESP3: a set table is a set", resp3: true, steps: [["EVAL", "return {set={b=true}}", "0"]] },
  { name: "RESP3: big number", resp3: true, steps: [["EVAL", "return {big_number='123'}", "0"]] },
  {
    name: "RESP3: verbatim string",
    resp3: true,
    steps: [["EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0"]],
  },
  { name: "RESP3: true without setresp(3) is 1", resp3: true, steps: [["EVAL", "return true", "0"]] },
  { name: "RESP3: false without setresp(3) is null", resp3: true, steps: [["EVAL", "return false", "0"]] },
  {
    name: "RESP3: booleans after setresp(3)",
    resp3: true,
    steps: [["EVAL", "redis.setresp(3) return {true, false}", "0"]],
  },
  evalCase("booleans after setresp(3) on a RESP2 client", "redis.setresp(3) return {true, false}"),

  // ---------------------------------------------------------------- Redis -> Lua
  {
    name: "redis.call results seen by the script (types)",
    steps: [
      ["SET", "@s", "v"],
      ["RPUSH", "@l", "a", "b"],
      [
        "EVAL",
        "return {type(redis.call('get', KEYS[1])), type(redis.call('get', KEYS[3])), tostring(redis.call('get', KEYS[3])), type(redis.call('lrange', KEYS[2], 0, -1)), type(redis.call('incr', KEYS[4])), redis.call('set', KEYS[5], 'x')['ok']}",
        "5",
        "@s",
        "@l",
        "@missing",
        "@n",
        "@t",
      ],
    ],
  },
  {
    name: "redis.pcall returns an error table",
    steps: [
      ["SET", "@s", "v"],
      ["EVAL", "local r = redis.pcall('lpush', KEYS[1], 'a') return {type(r), r['err']}", "1", "@s"],
    ],
  },
  {
    name: "RESP3 replies inside a script after setresp(3)",
    steps: [
      ["HSET", "@h", "f", "v"],
      ["SADD", "@set", "m"],
      ["ZADD", "@z", "1.5", "m"],
      [
        "EVAL",
        "redis.setresp(3) local h = redis.call('hgetall', KEYS[1]) local s = redis.call('smembers', KEYS[2]) local z = redis.call('zscore', KEYS[3], 'm') return {h['map']['f'], tostring(s['set']['m']), tostring(z['double']), tostring(redis.call('get', 'nokey{x}'))}",
        "3",
        "@h",
        "@set",
        "@z",
      ],
    ],
  },
  {
    name: "redis.setresp rejects other versions",
    steps: [["EVAL", "redis.setresp(4)", "0"]],
  },
  {
    name: "numbers passed to redis.call are formatted like Redis",
    steps: [
      [
        "EVAL",
        "return {redis.call('echo', 1.5), redis.call('echo', 10/2), redis.call('echo', 1e20), redis.call('echo', 0.1+0.2), redis.call('echo', -7)}",
        "0",
      ],
    ],
  },
  {
    name: "KEYS and ARGV",
    steps: [["EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "@a", "@b", "x", "y"]],
  },
  {
    name: "binary-safe arguments and results",
    steps: [
      [
        "EVAL",
        "redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])",
        "1",
        "@bin",
        Buffer.from([0, 255, 13, 10, 128]),
      ],
    ],
  },

  // ---------------------------------------------------------------- errors
  {
    name: "redis.call error raises with the script position",
    steps: [
      ["SET", "@s", "1"],
      ["EVAL", "return redis.call('lpush', KEYS[1], 'a')", "1", "@s"],
    ],
  },
  {
    name: "redis.call error on a later line",
    steps: [
      ["SET", "@s", "1"],
      ["EVAL", "local x = 1\nlocal y = 2\nreturn redis.call('lpush', KEYS[1], 'a')", "1", "@s"],
    ],
  },
  {
    name: "pcall catches a redis.call error as its message",
    steps: [
      ["SET", "@s", "1"],
      ["EVAL", "local ok, e = pcall(redis.call, 'lpush', KEYS[1], 'a') return {tostring(ok), e}", "1", "@s"],
    ],
  },
  evalCase("error() with a string", "error('boom')"),
  evalCase("error() with an error table", "error({err='MY boom'})"),
  evalCase(
    "pcall of an error table gives its message",
    "local ok, e = pcall(function() error({err='x'}) end) return e",
  ),
  evalCase("unknown command", "return redis.call('nosuch')"),
  evalCase("no arguments", "return redis.call()"),
  evalCase("a table argument", "return redis.call('get', {})"),
  evalCase("wrong arity", "return redis.call('get')"),
  evalCase("a noscript command", "return redis.call('multi')"),
  evalCase("a command error through redis.call", "return redis.call('incr', 'nokey{z}', 'extra')"),
  { name: "negative numkeys", steps: [["EVAL", "return 1", "-1"]] },
  { name: "numkeys above the arguments", steps: [["EVAL", "return 1", "2", "@a"]] },
  { name: "numkeys not a number", steps: [["EVAL", "return 1", "x"]] },
  {
    name: "EVALSHA of an unknown script",
    steps: [["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"]],
  },
  { name: "EVAL arity", steps: [["EVAL", "return 1"]] },

  // ---------------------------------------------------------------- sandbox
  evalCase("setting a global", "x = 1"),
  evalCase("declaring a global function", "function f() end"),
  evalCase("reading a missing global", "return undefined_name"),
  evalCase("os is not there", "return os.time()"),
  evalCase("io is not there", "return io.write('x')"),
  evalCase("require is not there", "return require('x')"),
  evalCase("loadfile is not there", "return loadfile('x')"),
  evalCase("dofile is not there", "return dofile('x')"),
  evalCase("print is not there", "print('x')"),
  evalCase("debug is not there", "return debug.getinfo(1)"),
  evalCase("rawset on _G", "rawset(_G, 'x', 1) return x"),
  evalCase("changing a library table", "string.x = 1"),
  evalCase("changing redis", "redis.call = nil"),
  evalCase("changing cjson", "cjson.encode = nil"),
  evalCase("local variables are fine", "local t = {} t.x = 1 return t.x"),
  evalCase(
    "the Lua 5.1 names exist",
    "return {type(unpack), type(loadstring), type(table.getn), type(math.pow), type(math.mod), type(string.gfind), type(table.maxn), type(math.log10), type(gcinfo)}",
  ),
  evalCase("unpack and table.getn", "return {unpack({1, 2, 3})}"),
  evalCase("table.getn", "return table.getn({1, 2, 3})"),
  evalCase("math.pow", "return math.pow(2, 10)"),
  evalCase("loadstring runs in the sandbox", "local f = loadstring('return 1 + 1') return f()"),
  evalCase(
    "tostring of numbers as Lua 5.1",
    "return {tostring(10/2), tostring(0.1), tostring(1e15), tostring(1/3), tostring(-0.5)}",
  ),
  evalCase("string.format", "return string.format('%d %s %5.2f', 3, 'x', 1.5)"),
  evalCase(
    "string.format renders numbers taken as text as Lua 5.1 does",
    "return {string.format('%s|%-5s|%5.1f', 6/2, 2.0, 7/2), string.format('%q %q', 1/3, 3), string.format('%s', 2^63)}",
  ),
  evalCase(
    "string.format casts floats for integer conversions as Lua 5.1 does",
    "return {string.format('%d %d %x %c', 1.5, -1.5, 255.9, 65.7), string.format('%d', 2^63), string.format('%d', '12')}",
  ),
  evalCase(
    "numbers concatenated with .. print as Lua 5.1",
    "return {'a' .. 6/2, 'b' .. 1e15 .. '|' .. 0.1 .. '|' .. -0.0 .. '|' .. 2^53, 10 .. '', string.rep('x', 2) .. 3.0, tonumber('3.0') .. ''}",
  ),
  evalCase("string.format: %s of a boolean", "return string.format('%s %s', 1, true)"),
  evalCase("string.format: %s of nil", "return string.format('%s', nil)"),
  evalCase("string.format: missing argument", "return string.format('%s %s', 'a')"),
  evalCase("string.format: no arguments", "return string.format()"),
  evalCase("string.format: bad number", "return string.format('%d', 'x')"),
  evalCase("string.format: unknown conversion", "return string.format('%z', 1)"),
  evalCase(
    "math.random follows Redis' drand48 sequence after math.randomseed",
    "math.randomseed(42) local a = {} for i = 1, 5 do a[#a + 1] = math.random(1000) end " +
      "a[#a + 1] = math.random(5, 9) a[#a + 1] = tostring(math.random()) a[#a + 1] = math.random(2.7) " +
      "a[#a + 1] = math.random('3') math.randomseed(-5) a[#a + 1] = math.random(100) return a",
  ),
  evalCase("math.random: empty interval", "return math.random(0)"),
  evalCase("math.random: empty two-bound interval", "return math.random(5, 3)"),
  evalCase("math.random: too many arguments", "return math.random(1, 2, 3)"),
  evalCase("_VERSION", "return _VERSION"),

  // ---------------------------------------------------------------- libraries
  evalCase(
    "cjson.encode",
    "return cjson.encode({1, 2, 3, {a=1}, 'x/y', 1.5, 1e20, cjson.null, true, false})",
  ),
  evalCase("cjson.encode of an empty table", "return cjson.encode({})"),
  evalCase("cjson.encode escapes", "return cjson.encode('a\"b\\\\c\\n\\t\\1')"),
  evalCase("cjson.encode of a sparse array", "return cjson.encode({[1]=1, [5]=2})"),
  evalCase("cjson.encode of an excessively sparse array", "return cjson.encode({[1]=1, [20]=2})"),
  evalCase("cjson.encode of a function", "return cjson.encode(function() end)"),
  evalCase("cjson.encode of a boolean key", "return cjson.encode({[true]=1})"),
  evalCase(
    "cjson.decode round trip",
    'local t = cjson.decode(\'[1,2.5,"a",null,{"k":true}]\') return {t[1], tostring(t[2]), t[3], t[4] == cjson.null, tostring(t[5].k)}',
  ),
  evalCase("cjson.decode of unicode escapes", "return cjson.decode('\"\\\\u00e9\\\\u20ac\"')"),
  evalCase("cjson.decode of a truncated array", "return cjson.decode('[1')"),
  evalCase("cjson.decode of a bad token", "return cjson.decode('x')"),
  evalCase(
    "cjson.decode of numbers",
    "return {tostring(cjson.decode('100')), tostring(cjson.decode('1e2')), tostring(cjson.decode('-0.5'))}",
  ),
  evalCase("cjson.null is a userdata", "return type(cjson.null)"),
  evalCase(
    "cmsgpack.pack",
    "return cmsgpack.pack({1, 2, {a='b'}}, 1.5, -1, 300, 'abc', true, false, 70000, -200, 2^40)",
  ),
  evalCase("cmsgpack round trip", "return {cmsgpack.unpack(cmsgpack.pack(1, 'x', {1, 2}, -5, 65535))}"),
  evalCase("cmsgpack of a long string", "return #cmsgpack.pack(string.rep('x', 300))"),
  evalCase(
    "bit operations",
    "return {bit.band(-1, 255), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(1, 33), bit.ror(1, 1), bit.bswap(1), bit.tobit(2^32 + 1)}",
  ),
  evalCase("bit.tohex", "return {bit.tohex(255), bit.tohex(-1, -4), bit.tohex(1, 2)}"),
  evalCase("bit.tobit rounds half to even", "return {bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5)}"),
  evalCase("bit.band without arguments", "return bit.band()"),
  evalCase("struct.pack", "return struct.pack('>iHb', 1, 2, 3)"),
  evalCase("struct round trip", "return {struct.unpack('<lLsd', struct.pack('<lLsd', -5, 7, 'hi', 2.5))}"),
  evalCase("struct.size", "return struct.size('>iHb')"),
  evalCase("struct.unpack of short data", "return {struct.unpack('>i', 'ab')}"),
  evalCase("struct.pack of an unknown format", "return struct.pack('q', 1)"),
  evalCase("struct c0 needs a size", "return struct.unpack('c0', struct.pack('bc0', 3, 'abc'))"),
  evalCase("redis.sha1hex", "return {redis.sha1hex(''), redis.sha1hex('abc')}"),
  evalCase(
    "redis.breakpoint and redis.debug",
    "return {tostring(redis.breakpoint()), tostring(redis.debug('x'))}",
  ),
  evalCase("redis.REDIS_VERSION", "return redis.REDIS_VERSION"),
  evalCase("redis.replicate_commands", "return redis.replicate_commands()"),
  evalCase("redis.log", "redis.log(redis.LOG_WARNING, 'from a script') return 1"),

  // ---------------------------------------------------------------- shebang and read-only
  {
    name: "EVAL_RO refuses writes",
    steps: [["EVAL_RO", "return redis.call('set', KEYS[1], 'v')", "1", "@k"]],
  },
  {
    name: "EVAL_RO reads",
    steps: [
      ["SET", "@k", "v"],
      ["EVAL_RO", "return redis.call('get', KEYS[1])", "1", "@k"],
    ],
  },
  {
    name: "no-writes shebang refuses writes",
    steps: [["EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'v')", "1", "@k"]],
  },
  { name: "unknown shebang flag", steps: [["EVAL", "#!lua flags=bogus\nreturn 1", "0"]] },
  { name: "unknown shebang engine", steps: [["EVAL", "#!js\nreturn 1", "0"]] },
  { name: "unknown shebang option", steps: [["EVAL", "#!lua name=foo\nreturn 1", "0"]] },
  { name: "shebang keeps line numbers", steps: [["EVAL", "#!lua\nreturn x", "0"]] },
  {
    name: "EVAL_RO of a shebang script without no-writes",
    steps: [["EVAL_RO", "#!lua\nreturn 1", "0"]],
  },

  // ---------------------------------------------------------------- SCRIPT
  {
    name: "SCRIPT LOAD, EXISTS, EVALSHA, FLUSH",
    steps: [
      ["SCRIPT", "LOAD", "return 'loaded'"],
      [
        "SCRIPT",
        "EXISTS",
        "a1f4e5e8c1b8b2e2b9ee6b6b7b9e0c0e3a1f9d55",
        "4ab7ba08c3d4e2c5a7c0d74b8bda4ba1d6b5f8f4",
      ],
      ["EVALSHA", "b71d0a1a08ee1b22a6e5db6a97b1d0e4bd0e8b80", "0"],
      ["EVALSHA", "B71D0A1A08EE1B22A6E5DB6A97B1D0E4BD0E8B80", "0"],
      ["SCRIPT", "FLUSH"],
      ["SCRIPT", "FLUSH", "ASYNC"],
      ["SCRIPT", "FLUSH", "bogus"],
      ["SCRIPT", "EXISTS", "b71d0a1a08ee1b22a6e5db6a97b1d0e4bd0e8b80"],
    ],
  },
  {
    name: "SCRIPT LOAD then EVALSHA by the returned sha",
    steps: [
      ["SCRIPT", "LOAD", "return ARGV[1]"],
      ["EVALSHA", "098e0f0d1448c0a81dafe820f66d460eb09263da", "0", "hello"],
    ],
  },
  { name: "SCRIPT LOAD of a broken script", steps: [["SCRIPT", "LOAD", "return +"]] },
  { name: "SCRIPT KILL with nothing running", steps: [["SCRIPT", "KILL"]] },
  { name: "SCRIPT HELP", steps: [helpLines("SCRIPT", "HELP")] },
  {
    name: "SCRIPT DEBUG NO and a bad mode",
    steps: [
      ["SCRIPT", "DEBUG", "NO"],
      ["SCRIPT", "DEBUG", "maybe"],
    ],
  },
  { name: "SCRIPT unknown subcommand", steps: [["SCRIPT", "BOGUS"]] },

  // ---------------------------------------------------------------- transactions
  {
    name: "EVAL inside MULTI is queued and runs as a unit",
    steps: [
      ["MULTI"],
      ["EVAL", "redis.call('set', KEYS[1], 'a') return redis.call('incr', KEYS[2])", "2", "@a", "@n"],
      ["GET", "@a"],
      ["EXEC"],
    ],
  },
  {
    name: "WATCH sees a script's writes",
    steps: [
      ["WATCH", "@w"],
      ["EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "@w"],
      ["MULTI"],
      ["GET", "@w"],
      ["EXEC"],
    ],
  },
  {
    name: "scripts run in the caller's database and SELECT stays inside",
    steps: [
      ["SELECT", "1"],
      ["EVAL", "redis.call('select', '2') redis.call('set', KEYS[1], 'in2') return 1", "1", "@k"],
      ["EXISTS", "@k"],
      ["SELECT", "2"],
      ["GET", "@k"],
      quiet("DEL", "@k"),
      ["SELECT", "0"],
    ],
  },
  {
    name: "blocking commands do not block in scripts",
    steps: [["EVAL", "return redis.call('blpop', KEYS[1], 0)", "1", "@l"]],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("lua", cases);
