/*
 * Differential cases: sets. SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
 * SRANDMEMBER SMOVE SINTER SINTERCARD SUNION SDIFF SINTERSTORE SUNIONSTORE
 * SDIFFSTORE SSCAN: replies and error texts, intset -> hashtable conversions at
 * redis-server 7.0's thresholds (OBJECT ENCODING before and after), wrong types,
 * missing keys, arity, binary members, RESP3 shapes.
 *
 * Comparison modes: an intset iterates in ascending order, and so does any
 * result Redis builds as a fresh set of integers (SUNION, SDIFF, the STORE forms,
 * SPOP of the whole set), so those compare exactly. A hashtable has no defined
 * order: its SMEMBERS / SINTER / SUNION / SDIFF compare as multisets
 * ("unordered"). SINTER iterates its smallest input; with inputs of equal size
 * which one that is is not defined either, so such cases compare unordered.
 * Random replies (SPOP, SRANDMEMBER below the size) compare by reply type only,
 * except where chance has no say (one member, or a count covering the set).
 *
 * Keys are scoped per case ("@k" -> "set<N>:k"). Cases that change encoding
 * limits with CONFIG SET restore the defaults before they end.
 */
import { type DiffCase, sameType, unordered } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** The decimal strings from..to-1. */
function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(String(i));
  return out;
}

/** Non-integer members m0..m(count-1). */
function words(count: number, prefix = "m"): string[] {
  return range(0, count).map((i) => `${prefix}${i}`);
}

const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a]);

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- SADD / SREM
  {
    name: "SADD creates a set and counts new members",
    steps: [
      ["SADD", "@s", "a", "b", "a"],
      ["SCARD", "@s"],
      ["TYPE", "@s"],
    ],
  },
  {
    name: "SADD of existing members counts nothing",
    steps: [
      ["SADD", "@s", "1", "2"],
      ["SADD", "@s", "2", "1"],
      ["SCARD", "@s"],
    ],
  },
  { name: "SADD arity", steps: [["SADD", "@s"], ["SADD"]] },
  {
    name: "SADD keeps the TTL",
    steps: [
      ["SADD", "@s", "1"],
      ["EXPIRE", "@s", "100"],
      ["SADD", "@s", "2"],
      ["TTL", "@s"],
    ],
  },
  {
    name: "SREM counts removed members",
    steps: [
      ["SADD", "@s", "1", "2", "3", "a"],
      ["SREM", "@s", "1", "1", "9", "a"],
      unordered("SMEMBERS", "@s"),
    ],
  },
  {
    name: "SREM of the last member deletes the key",
    steps: [
      ["SADD", "@s", "1", "2"],
      ["SREM", "@s", "2", "1", "3"],
      ["EXISTS", "@s"],
      ["TYPE", "@s"],
    ],
  },
  { name: "SREM of a missing key", steps: [["SREM", "@none", "a"]] },
  { name: "SREM arity", steps: [["SREM", "@s"]] },
  {
    name: "SREM of non-canonical integers from an intset",
    steps: [
      ["SADD", "@s", "1", "0", "-1"],
      ["SREM", "@s", "01", "-0", "+1", " 1"],
      ["SMEMBERS", "@s"],
    ],
  },
  {
    name: "SREM emptying a hashtable deletes the key",
    steps: [
      ["SADD", "@s", ...words(200)],
      ["SREM", "@s", ...words(200)],
      ["EXISTS", "@s"],
    ],
  },

  // ---------------------------------------------------------------- reads
  {
    name: "SMEMBERS of an intset is ascending",
    steps: [
      ["SADD", "@s", "10", "-3", "7", "0", "2"],
      ["SMEMBERS", "@s"],
    ],
  },
  { name: "SMEMBERS of a missing key", steps: [["SMEMBERS", "@none"]] },
  { name: "SMEMBERS arity", steps: [["SMEMBERS"], ["SMEMBERS", "@a", "@b"]] },
  {
    name: "SMEMBERS of a hashtable (no defined order)",
    steps: [["SADD", "@s", "b", "a", "c", "1"], unordered("SMEMBERS", "@s")],
  },
  {
    name: "SISMEMBER",
    steps: [
      ["SADD", "@s", "1", "a"],
      ["SISMEMBER", "@s", "1"],
      ["SISMEMBER", "@s", "a"],
      ["SISMEMBER", "@s", "b"],
      ["SISMEMBER", "@none", "a"],
    ],
  },
  {
    name: "SISMEMBER of non-canonical integers in an intset",
    steps: [
      ["SADD", "@s", "1", "-5", "0"],
      ["SISMEMBER", "@s", "01"],
      ["SISMEMBER", "@s", "-0"],
      ["SISMEMBER", "@s", "+1"],
      ["SISMEMBER", "@s", "-5"],
      ["SISMEMBER", "@s", "1.0"],
    ],
  },
  {
    name: "SISMEMBER arity",
    steps: [
      ["SISMEMBER", "@s"],
      ["SISMEMBER", "@s", "a", "b"],
    ],
  },
  {
    name: "SMISMEMBER",
    steps: [
      ["SADD", "@s", "a", "b"],
      ["SMISMEMBER", "@s", "a", "x", "b", "a"],
      ["SMISMEMBER", "@none", "a", "b"],
    ],
  },
  { name: "SMISMEMBER arity", steps: [["SMISMEMBER", "@s"]] },
  {
    name: "SCARD",
    steps: [
      ["SCARD", "@none"],
      ["SADD", "@s", ...range(0, 600)],
      ["SCARD", "@s"],
    ],
  },
  { name: "SCARD arity", steps: [["SCARD"], ["SCARD", "@a", "@b"]] },

  // ---------------------------------------------------------------- encodings
  {
    name: "integers make an intset, anything else a hashtable",
    steps: [
      ["SADD", "@i", "1", "-2", "3"],
      ["OBJECT", "ENCODING", "@i"],
      ["SADD", "@w", "a"],
      ["OBJECT", "ENCODING", "@w"],
      ["SADD", "@m", "a", "1"],
      ["OBJECT", "ENCODING", "@m"],
    ],
  },
  {
    name: "64-bit edges are integers, one past them is not",
    steps: [
      ["SADD", "@in", "-9223372036854775808", "9223372036854775807", "0"],
      ["OBJECT", "ENCODING", "@in"],
      ["SMEMBERS", "@in"],
      ["SADD", "@out", "9223372036854775808"],
      ["OBJECT", "ENCODING", "@out"],
      ["SADD", "@neg", "-9223372036854775809"],
      ["OBJECT", "ENCODING", "@neg"],
    ],
  },
  {
    name: "non-canonical integers convert an intset",
    steps: [
      ["SADD", "@a", "1", "01"],
      ["OBJECT", "ENCODING", "@a"],
      ["SADD", "@b", "1", "-0"],
      ["OBJECT", "ENCODING", "@b"],
      ["SADD", "@c", "1", "+1"],
      ["OBJECT", "ENCODING", "@c"],
      ["SADD", "@d", "1", " 1"],
      ["OBJECT", "ENCODING", "@d"],
      ["SADD", "@e", "1", "1.0"],
      ["OBJECT", "ENCODING", "@e"],
      ["SCARD", "@a"],
    ],
  },
  {
    name: "512 integers stay an intset, the 513th converts",
    steps: [
      ["SADD", "@s", ...range(0, 512)],
      ["OBJECT", "ENCODING", "@s"],
      ["SADD", "@s", "100"],
      ["OBJECT", "ENCODING", "@s"],
      ["SADD", "@s", "512"],
      ["OBJECT", "ENCODING", "@s"],
      ["SCARD", "@s"],
    ],
  },
  {
    name: "513 integers in one SADD convert",
    steps: [
      ["SADD", "@s", ...range(-256, 257)],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "conversion is one-way: removing the string keeps the hashtable",
    steps: [
      ["SADD", "@s", "1", "2", "a"],
      ["SREM", "@s", "a"],
      ["OBJECT", "ENCODING", "@s"],
      unordered("SMEMBERS", "@s"),
    ],
  },
  {
    name: "CONFIG SET set-max-intset-entries changes the threshold",
    steps: [
      ["CONFIG", "SET", "set-max-intset-entries", "3"],
      ["SADD", "@s", "1", "2", "3"],
      ["OBJECT", "ENCODING", "@s"],
      ["SADD", "@s", "4"],
      ["OBJECT", "ENCODING", "@s"],
      ["CONFIG", "SET", "set-max-intset-entries", "512"],
      ["SREM", "@s", "4"],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "a lowered limit converts only on a new member",
    steps: [
      ["SADD", "@s", ...range(0, 10)],
      ["CONFIG", "SET", "set-max-intset-entries", "5"],
      ["SADD", "@s", "3"],
      ["OBJECT", "ENCODING", "@s"],
      ["SADD", "@s", "10"],
      ["OBJECT", "ENCODING", "@s"],
      ["CONFIG", "SET", "set-max-intset-entries", "512"],
    ],
  },
  {
    name: "a zero intset limit makes every set a hashtable",
    steps: [
      ["CONFIG", "SET", "set-max-intset-entries", "0"],
      ["SADD", "@s", "1"],
      ["OBJECT", "ENCODING", "@s"],
      ["CONFIG", "SET", "set-max-intset-entries", "512"],
    ],
  },
  {
    name: "COPY of an intset and of a hashtable",
    steps: [
      ["SADD", "@i", "3", "1", "2"],
      ["COPY", "@i", "@i2"],
      ["OBJECT", "ENCODING", "@i2"],
      ["SMEMBERS", "@i2"],
      ["SADD", "@h", ...words(10)],
      ["COPY", "@h", "@h2"],
      ["OBJECT", "ENCODING", "@h2"],
      ["SREM", "@h", "m0"],
      ["SISMEMBER", "@h2", "m0"],
      ["SCARD", "@h2"],
    ],
  },

  // ---------------------------------------------------------------- binary members
  {
    name: "binary and empty members",
    steps: [
      ["SADD", "@s", binary, "", "\r\n"],
      ["SISMEMBER", "@s", binary],
      ["SISMEMBER", "@s", ""],
      ["SCARD", "@s"],
      unordered("SMEMBERS", "@s"),
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "SREM of a binary member",
    steps: [
      ["SADD", "@s", binary, "x"],
      ["SREM", "@s", binary],
      ["SMEMBERS", "@s"],
    ],
  },

  // ---------------------------------------------------------------- SPOP
  {
    name: "SPOP of a missing key",
    steps: [
      ["SPOP", "@none"],
      ["SPOP", "@none", "3"],
      ["SPOP", "@none", "0"],
    ],
  },
  {
    name: "SPOP of a one-member set deletes it",
    steps: [
      ["SADD", "@s", "a"],
      ["SPOP", "@s"],
      ["EXISTS", "@s"],
      ["SPOP", "@s"],
    ],
  },
  {
    name: "SPOP with a count covering an intset returns it ascending",
    steps: [
      ["SADD", "@s", "5", "1", "3"],
      ["SPOP", "@s", "3"],
      ["EXISTS", "@s"],
    ],
  },
  {
    name: "SPOP with a count above the size",
    steps: [
      ["SADD", "@s", "5", "1"],
      ["SPOP", "@s", "100"],
      ["EXISTS", "@s"],
    ],
  },
  {
    name: "SPOP with a count covering a hashtable (no defined order)",
    steps: [["SADD", "@s", "a", "b", "c", "d"], unordered("SPOP", "@s", "4"), ["EXISTS", "@s"]],
  },
  {
    name: "SPOP with count 0 leaves the set",
    steps: [
      ["SADD", "@s", "1"],
      ["SPOP", "@s", "0"],
      ["SCARD", "@s"],
    ],
  },
  {
    name: "SPOP with a count below the size (random: type and size only)",
    steps: [
      ["SADD", "@s", ...range(0, 20)],
      sameType("SPOP", "@s", "5"),
      ["SCARD", "@s"],
      sameType("SPOP", "@s"),
      ["SCARD", "@s"],
    ],
  },
  {
    name: "SPOP of most of a big integer set leaves an intset",
    steps: [
      ["SADD", "@s", ...range(0, 1000)],
      ["OBJECT", "ENCODING", "@s"],
      sameType("SPOP", "@s", "900"),
      ["SCARD", "@s"],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "SPOP of a few members of a big integer set keeps the hashtable",
    steps: [
      ["SADD", "@s", ...range(0, 1000)],
      sameType("SPOP", "@s", "10"),
      ["SCARD", "@s"],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "SPOP of most of a mixed set keeps a hashtable when strings may survive",
    steps: [
      ["SADD", "@s", ...words(100)],
      sameType("SPOP", "@s", "95"),
      ["SCARD", "@s"],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "SPOP count errors, checked before the key",
    steps: [
      ["SPOP", "@none", "-1"],
      ["SPOP", "@none", "x"],
      ["SPOP", "@none", "1.5"],
      ["SPOP", "@none", "9223372036854775808"],
      ["SADD", "@s", "1"],
      ["SPOP", "@s", "-1"],
    ],
  },
  {
    name: "SPOP syntax error with extra arguments",
    steps: [
      ["SADD", "@s", "1"],
      ["SPOP", "@s", "1", "2"],
      ["SCARD", "@s"],
    ],
  },
  { name: "SPOP arity", steps: [["SPOP"]] },

  // ---------------------------------------------------------------- SRANDMEMBER
  {
    name: "SRANDMEMBER of a missing key",
    steps: [
      ["SRANDMEMBER", "@none"],
      ["SRANDMEMBER", "@none", "5"],
      ["SRANDMEMBER", "@none", "-5"],
    ],
  },
  {
    name: "SRANDMEMBER of a one-member set",
    steps: [
      ["SADD", "@s", "a"],
      ["SRANDMEMBER", "@s"],
      ["SRANDMEMBER", "@s", "1"],
      ["SRANDMEMBER", "@s", "-3"],
      ["SRANDMEMBER", "@s", "5"],
    ],
  },
  {
    name: "SRANDMEMBER with a count covering an intset",
    steps: [
      ["SADD", "@s", "9", "-1", "4"],
      ["SRANDMEMBER", "@s", "3"],
      ["SRANDMEMBER", "@s", "100"],
    ],
  },
  {
    name: "SRANDMEMBER with a count covering a hashtable (no defined order)",
    steps: [["SADD", "@s", "x", "y", "z"], unordered("SRANDMEMBER", "@s", "3")],
  },
  {
    name: "SRANDMEMBER with count 0",
    steps: [
      ["SADD", "@s", "1"],
      ["SRANDMEMBER", "@s", "0"],
    ],
  },
  {
    name: "SRANDMEMBER below the size (random: type only)",
    steps: [
      ["SADD", "@s", ...range(0, 30)],
      sameType("SRANDMEMBER", "@s"),
      sameType("SRANDMEMBER", "@s", "5"),
      sameType("SRANDMEMBER", "@s", "-50"),
      ["SCARD", "@s"],
    ],
  },
  {
    name: "SRANDMEMBER count errors",
    steps: [
      ["SRANDMEMBER", "@none", "x"],
      ["SRANDMEMBER", "@none", "-9223372036854775808"],
      ["SRANDMEMBER", "@none", "9223372036854775807"],
      ["SRANDMEMBER", "@none", "9223372036854775808"],
      ["SADD", "@s", "1"],
      ["SRANDMEMBER", "@s", "1", "2"],
    ],
  },
  { name: "SRANDMEMBER arity", steps: [["SRANDMEMBER"]] },

  // ---------------------------------------------------------------- SMOVE
  {
    name: "SMOVE moves a member to a new set",
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SMOVE", "@a", "@b", "1"],
      ["SMEMBERS", "@a"],
      ["SMEMBERS", "@b"],
      ["OBJECT", "ENCODING", "@b"],
    ],
  },
  {
    name: "SMOVE of a string member creates a hashtable",
    steps: [
      ["SADD", "@a", "x", "1"],
      ["SMOVE", "@a", "@b", "x"],
      ["OBJECT", "ENCODING", "@b"],
      ["SMEMBERS", "@a"],
    ],
  },
  {
    name: "SMOVE of the last member deletes the source",
    steps: [
      ["SADD", "@a", "1"],
      ["SADD", "@b", "2"],
      ["SMOVE", "@a", "@b", "1"],
      ["EXISTS", "@a"],
      ["SMEMBERS", "@b"],
    ],
  },
  {
    name: "SMOVE of a member the destination has",
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SADD", "@b", "1"],
      ["SMOVE", "@a", "@b", "1"],
      ["SMEMBERS", "@a"],
      ["SMEMBERS", "@b"],
    ],
  },
  {
    name: "SMOVE of a missing member",
    steps: [
      ["SADD", "@a", "1"],
      ["SMOVE", "@a", "@b", "9"],
      ["EXISTS", "@b"],
    ],
  },
  {
    name: "SMOVE from a missing key",
    steps: [
      ["SMOVE", "@none", "@b", "1"],
      ["SET", "@str", "v"],
      ["SMOVE", "@none", "@str", "1"],
    ],
  },
  {
    name: "SMOVE within one set",
    steps: [
      ["SADD", "@a", "1"],
      ["SMOVE", "@a", "@a", "1"],
      ["SMOVE", "@a", "@a", "2"],
      ["SMEMBERS", "@a"],
    ],
  },
  {
    name: "SMOVE type checks",
    steps: [
      ["SADD", "@a", "1"],
      ["SET", "@str", "v"],
      ["SMOVE", "@a", "@str", "1"],
      ["SMOVE", "@str", "@a", "1"],
      ["SMOVE", "@str", "@none", "1"],
      ["SMEMBERS", "@a"],
    ],
  },
  {
    name: "SMOVE converts the destination past the intset limit",
    steps: [
      ["SADD", "@a", "600"],
      ["SADD", "@b", ...range(0, 512)],
      ["SMOVE", "@a", "@b", "600"],
      ["OBJECT", "ENCODING", "@b"],
    ],
  },
  {
    name: "SMOVE arity",
    steps: [
      ["SMOVE", "@a", "@b"],
      ["SMOVE", "@a", "@b", "1", "2"],
    ],
  },

  // ---------------------------------------------------------------- SINTER / SINTERCARD / SINTERSTORE
  {
    name: "SINTER of intsets",
    steps: [
      ["SADD", "@a", "1", "2", "3", "4"],
      ["SADD", "@b", "2", "4", "6"],
      ["SINTER", "@a", "@b"],
      ["SINTER", "@b", "@a"],
    ],
  },
  {
    name: "SINTER of one key is its members",
    steps: [
      ["SADD", "@a", "3", "1"],
      ["SINTER", "@a"],
    ],
  },
  {
    name: "SINTER with a missing key is empty",
    steps: [
      ["SADD", "@a", "1"],
      ["SINTER", "@a", "@none"],
      ["SINTER", "@none", "@a"],
    ],
  },
  {
    name: "SINTER of hashtables (no defined order)",
    steps: [
      ["SADD", "@a", "x", "y", "z", "1"],
      ["SADD", "@b", "y", "z", "1", "w"],
      unordered("SINTER", "@a", "@b"),
    ],
  },
  {
    name: "SINTER of the same key twice",
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SINTER", "@a", "@a"],
    ],
  },
  {
    name: "SINTER of three sets",
    steps: [
      ["SADD", "@a", ...range(0, 10)],
      ["SADD", "@b", ...range(5, 20)],
      ["SADD", "@c", "7", "8", "30"],
      ["SINTER", "@a", "@b", "@c"],
    ],
  },
  {
    name: "SINTER type-checks every key, even after a missing one",
    steps: [
      ["SADD", "@a", "1"],
      ["SET", "@str", "v"],
      ["SINTER", "@a", "@str"],
      ["SINTER", "@none", "@str"],
      ["SINTER", "@str", "@none"],
    ],
  },
  { name: "SINTER arity", steps: [["SINTER"]] },
  {
    name: "SINTERSTORE stores an intset result",
    steps: [
      ["SADD", "@a", "1", "2", "3"],
      ["SADD", "@b", "2", "3", "x"],
      ["SINTERSTORE", "@d", "@a", "@b"],
      ["SMEMBERS", "@d"],
      ["OBJECT", "ENCODING", "@d"],
    ],
  },
  {
    name: "SINTERSTORE with an empty result deletes the destination",
    steps: [
      ["SADD", "@a", "1"],
      ["SADD", "@b", "2"],
      ["SADD", "@d", "old"],
      ["SINTERSTORE", "@d", "@a", "@b"],
      ["EXISTS", "@d"],
      ["SINTERSTORE", "@d", "@a", "@none"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "SINTERSTORE replaces a destination of another type and drops its TTL",
    steps: [
      ["SET", "@d", "v"],
      ["EXPIRE", "@d", "100"],
      ["SADD", "@a", "1"],
      ["SINTERSTORE", "@d", "@a"],
      ["TYPE", "@d"],
      ["TTL", "@d"],
    ],
  },
  {
    name: "SINTERSTORE into one of its sources",
    steps: [
      ["SADD", "@a", "1", "2", "3"],
      ["SADD", "@b", "2", "3"],
      ["SINTERSTORE", "@a", "@a", "@b"],
      ["SMEMBERS", "@a"],
    ],
  },
  {
    name: "SINTERSTORE type checks",
    steps: [
      ["SET", "@str", "v"],
      ["SADD", "@a", "1"],
      ["SINTERSTORE", "@d", "@a", "@str"],
      ["EXISTS", "@d"],
    ],
  },
  { name: "SINTERSTORE arity", steps: [["SINTERSTORE", "@d"]] },
  {
    name: "SINTERCARD counts and honours LIMIT",
    steps: [
      ["SADD", "@a", "1", "2", "3", "4"],
      ["SADD", "@b", "2", "3", "4", "5"],
      ["SINTERCARD", "2", "@a", "@b"],
      ["SINTERCARD", "2", "@a", "@b", "LIMIT", "2"],
      ["SINTERCARD", "2", "@a", "@b", "limit", "0"],
      ["SINTERCARD", "2", "@a", "@b", "LIMIT", "100"],
      ["SINTERCARD", "1", "@a"],
      ["SINTERCARD", "2", "@a", "@none"],
    ],
  },
  {
    name: "SINTERCARD numkeys errors",
    steps: [
      ["SINTERCARD", "0", "@a"],
      ["SINTERCARD", "-1", "@a"],
      ["SINTERCARD", "x", "@a"],
      ["SINTERCARD", "9999999999999999999", "@a"],
      ["SINTERCARD", "3", "@a", "@b"],
      ["SINTERCARD", "2147483648", "@a"],
    ],
  },
  {
    name: "SINTERCARD option errors",
    steps: [
      ["SINTERCARD", "2", "@a", "@b", "LIMIT"],
      ["SINTERCARD", "2", "@a", "@b", "LIMIT", "-1"],
      ["SINTERCARD", "2", "@a", "@b", "LIMIT", "x"],
      ["SINTERCARD", "2", "@a", "@b", "FOO", "1"],
      ["SINTERCARD", "1", "@a", "@b"],
      ["SINTERCARD", "2", "@a", "@b", "LIMIT", "1", "LIMIT", "5"],
    ],
  },
  {
    name: "SINTERCARD type checks",
    steps: [
      ["SET", "@str", "v"],
      ["SADD", "@a", "1"],
      ["SINTERCARD", "2", "@a", "@str"],
      ["SINTERCARD", "2", "@none", "@str"],
    ],
  },
  { name: "SINTERCARD arity", steps: [["SINTERCARD", "1"]] },

  // ---------------------------------------------------------------- SUNION / SDIFF and STORE forms
  {
    name: "SUNION of intsets is ascending",
    steps: [
      ["SADD", "@a", "5", "1"],
      ["SADD", "@b", "3", "1", "-2"],
      ["SUNION", "@a", "@b"],
      ["SUNION", "@a", "@none", "@b"],
    ],
  },
  {
    name: "SUNION with strings (no defined order)",
    steps: [["SADD", "@a", "x", "1"], ["SADD", "@b", "y", "1"], unordered("SUNION", "@a", "@b")],
  },
  {
    name: "SUNION of missing keys",
    steps: [
      ["SUNION", "@none"],
      ["SUNION", "@none", "@none2"],
    ],
  },
  {
    name: "SUNION of hashtables holding only integers is an ordered intset",
    steps: [
      ["SADD", "@a", "3", "x"],
      ["SREM", "@a", "x"],
      ["SADD", "@b", "2", "1"],
      ["SUNION", "@a", "@b"],
    ],
  },
  {
    name: "SUNION type checks",
    steps: [
      ["SET", "@str", "v"],
      ["SADD", "@a", "1"],
      ["SUNION", "@a", "@str"],
      ["SUNION", "@none", "@str"],
    ],
  },
  { name: "SUNION arity", steps: [["SUNION"]] },
  {
    name: "SDIFF of intsets",
    steps: [
      ["SADD", "@a", "1", "2", "3", "4", "5"],
      ["SADD", "@b", "2"],
      ["SADD", "@c", "4", "9"],
      ["SDIFF", "@a", "@b", "@c"],
      ["SDIFF", "@b", "@a"],
      ["SDIFF", "@a", "@none"],
    ],
  },
  {
    name: "SDIFF of a missing first key is empty",
    steps: [
      ["SADD", "@a", "1"],
      ["SDIFF", "@none", "@a"],
    ],
  },
  {
    name: "SDIFF of a key with itself is empty",
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SDIFF", "@a", "@a"],
      ["SDIFF", "@a", "@none", "@a"],
    ],
  },
  {
    name: "SDIFF with strings (no defined order)",
    steps: [["SADD", "@a", "x", "y", "z", "1"], ["SADD", "@b", "y"], unordered("SDIFF", "@a", "@b")],
  },
  {
    name: "SDIFF where removing the other sets is the cheaper way",
    steps: [
      ["SADD", "@a", ...range(0, 100)],
      ["SADD", "@b", "5"],
      ["SADD", "@c", "6"],
      ["SADD", "@d", "7"],
      ["SADD", "@e", "8"],
      ["SDIFF", "@a", "@b", "@c", "@d", "@e", "@none"],
    ],
  },
  {
    name: "SDIFF type checks",
    steps: [
      ["SET", "@str", "v"],
      ["SADD", "@a", "1"],
      ["SDIFF", "@a", "@str"],
      ["SDIFF", "@str", "@a"],
      ["SDIFF", "@none", "@str"],
    ],
  },
  { name: "SDIFF arity", steps: [["SDIFF"]] },
  {
    name: "SUNIONSTORE stores and reports the size",
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SADD", "@b", "2", "3"],
      ["SUNIONSTORE", "@d", "@a", "@b"],
      ["SMEMBERS", "@d"],
      ["OBJECT", "ENCODING", "@d"],
    ],
  },
  {
    name: "SUNIONSTORE of strings makes a hashtable",
    steps: [
      ["SADD", "@a", "x"],
      ["SADD", "@b", "1"],
      ["SUNIONSTORE", "@d", "@a", "@b"],
      ["OBJECT", "ENCODING", "@d"],
      ["SCARD", "@d"],
    ],
  },
  {
    name: "SUNIONSTORE past the intset limit makes a hashtable",
    steps: [
      ["SADD", "@a", ...range(0, 300)],
      ["SADD", "@b", ...range(300, 600)],
      ["SUNIONSTORE", "@d", "@a", "@b"],
      ["OBJECT", "ENCODING", "@d"],
      ["OBJECT", "ENCODING", "@a"],
    ],
  },
  {
    name: "SUNIONSTORE of missing keys deletes the destination",
    steps: [
      ["SADD", "@d", "1"],
      ["SUNIONSTORE", "@d", "@none"],
      ["EXISTS", "@d"],
      ["SUNIONSTORE", "@d", "@none"],
    ],
  },
  {
    name: "SDIFFSTORE stores, or deletes for an empty result",
    steps: [
      ["SADD", "@a", "1", "2", "3"],
      ["SADD", "@b", "1"],
      ["SDIFFSTORE", "@d", "@a", "@b"],
      ["SMEMBERS", "@d"],
      ["SDIFFSTORE", "@d", "@b", "@a"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "SDIFFSTORE replaces a hash",
    steps: [
      ["HSET", "@d", "f", "v"],
      ["SADD", "@a", "1"],
      ["SDIFFSTORE", "@d", "@a"],
      ["TYPE", "@d"],
    ],
  },
  {
    name: "STORE forms type-check their sources",
    steps: [
      ["SET", "@str", "v"],
      ["SUNIONSTORE", "@d", "@str"],
      ["SDIFFSTORE", "@d", "@none", "@str"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "STORE forms arity",
    steps: [
      ["SUNIONSTORE", "@d"],
      ["SDIFFSTORE", "@d"],
    ],
  },

  // ---------------------------------------------------------------- SSCAN
  {
    name: "SSCAN of an intset returns everything ascending with cursor 0",
    steps: [
      ["SADD", "@s", "10", "2", "-1"],
      ["SSCAN", "@s", "0"],
      ["SSCAN", "@s", "0", "COUNT", "1"],
      ["SSCAN", "@s", "55"],
    ],
  },
  {
    name: "SSCAN MATCH on integers",
    steps: [
      ["SADD", "@s", "1", "10", "11", "2", "-1"],
      ["SSCAN", "@s", "0", "MATCH", "1*"],
      ["SSCAN", "@s", "0", "MATCH", "-*"],
    ],
  },
  {
    name: "SSCAN of a missing key",
    steps: [
      ["SSCAN", "@none", "0"],
      ["SSCAN", "@none", "0", "COUNT", "0"],
    ],
  },
  {
    name: "SSCAN cursor and option errors",
    steps: [
      ["SADD", "@s", "1"],
      ["SSCAN", "@s", "x"],
      ["SSCAN", "@s", "-1"],
      ["SSCAN", "@s", ""],
      ["SSCAN", "@s", "0", "COUNT", "0"],
      ["SSCAN", "@s", "0", "COUNT", "-1"],
      ["SSCAN", "@s", "0", "MATCH"],
      ["SSCAN", "@s", "0", "TYPE", "set"],
    ],
  },
  {
    name: "SSCAN of a small hashtable (order not defined: type only)",
    steps: [
      ["SADD", "@s", "a", "b", "c"],
      sameType("SSCAN", "@s", "0"),
      sameType("SSCAN", "@s", "0", "MATCH", "a"),
    ],
  },
  { name: "SSCAN arity", steps: [["SSCAN", "@s"]] },

  // ---------------------------------------------------------------- wrong types
  {
    name: "set commands on a string key",
    steps: [
      ["SET", "@str", "v"],
      ["SADD", "@str", "a"],
      ["SREM", "@str", "a"],
      ["SMEMBERS", "@str"],
      ["SISMEMBER", "@str", "a"],
      ["SMISMEMBER", "@str", "a"],
      ["SCARD", "@str"],
      ["SPOP", "@str"],
      ["SPOP", "@str", "2"],
      ["SRANDMEMBER", "@str"],
      ["SRANDMEMBER", "@str", "2"],
      ["SSCAN", "@str", "0"],
      ["GET", "@str"],
    ],
  },
  {
    name: "set commands on a hash key",
    steps: [
      ["HSET", "@h", "f", "v"],
      ["SADD", "@h", "a"],
      ["SCARD", "@h"],
      ["SINTER", "@h"],
      ["HGET", "@h", "f"],
    ],
  },
  {
    name: "hash commands on a set key",
    steps: [
      ["SADD", "@s", "a"],
      ["HGET", "@s", "a"],
      ["HSET", "@s", "a", "1"],
      ["HLEN", "@s"],
      ["TYPE", "@s"],
    ],
  },
  {
    name: "argument errors come before the type check",
    steps: [
      ["SET", "@str", "v"],
      ["SPOP", "@str", "-1"],
      ["SRANDMEMBER", "@str", "x"],
      ["SSCAN", "@str", "x"],
      ["SINTERCARD", "0", "@str"],
    ],
  },

  // ---------------------------------------------------------------- RESP3
  {
    name: "RESP3: set replies",
    resp3: true,
    steps: [
      ["SADD", "@a", "3", "1", "2"],
      ["SADD", "@b", "2", "9"],
      ["SMEMBERS", "@a"],
      ["SMEMBERS", "@none"],
      ["SINTER", "@a", "@b"],
      ["SUNION", "@a", "@b"],
      ["SDIFF", "@a", "@b"],
      ["SINTER", "@a", "@none"],
    ],
  },
  {
    name: "RESP3: SPOP and SRANDMEMBER shapes",
    resp3: true,
    steps: [
      ["SADD", "@a", "1", "2"],
      ["SRANDMEMBER", "@a", "5"],
      ["SRANDMEMBER", "@none", "5"],
      ["SRANDMEMBER", "@none"],
      ["SPOP", "@none"],
      ["SPOP", "@none", "2"],
      ["SPOP", "@a", "0"],
      ["SPOP", "@a", "5"],
    ],
  },
  {
    name: "RESP3: SISMEMBER, SMISMEMBER, SCARD, SINTERCARD, SSCAN",
    resp3: true,
    steps: [
      ["SADD", "@a", "1"],
      ["SISMEMBER", "@a", "1"],
      ["SMISMEMBER", "@a", "1", "2"],
      ["SCARD", "@a"],
      ["SINTERCARD", "1", "@a"],
      ["SSCAN", "@a", "0"],
      ["SSCAN", "@none", "0"],
    ],
  },
  {
    name: "RESP3: SMEMBERS of a hashtable (no defined order)",
    resp3: true,
    steps: [
      ["SADD", "@a", "x", "y", "z"],
      unordered("SMEMBERS", "@a"),
      sameType("SPOP", "@a", "2"),
      ["SCARD", "@a"],
    ],
  },

  // ---------------------------------------------------------------- transactions and expiry
  {
    name: "set commands inside MULTI/EXEC",
    steps: [
      ["MULTI"],
      ["SADD", "@a", "1", "2"],
      ["SADD", "@b", "2"],
      ["SINTER", "@a", "@b"],
      ["SPOP", "@b"],
      ["EXEC"],
      ["EXISTS", "@b"],
    ],
  },
  {
    name: "an expired set reads as missing",
    steps: [
      ["SADD", "@s", "1"],
      ["PEXPIRE", "@s", "20"],
      { sleep: 60 },
      ["SISMEMBER", "@s", "1"],
      ["SCARD", "@s"],
      ["SMEMBERS", "@s"],
      ["SADD", "@s", "2"],
      ["TTL", "@s"],
    ],
  },
  {
    name: "STORE into an expired destination",
    steps: [
      ["SADD", "@d", "old"],
      ["PEXPIRE", "@d", "20"],
      ["SADD", "@a", "1"],
      { sleep: 60 },
      ["SUNIONSTORE", "@d", "@a"],
      ["SMEMBERS", "@d"],
      ["TTL", "@d"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("set", cases);
