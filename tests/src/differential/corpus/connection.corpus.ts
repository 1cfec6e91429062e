/*
 * Differential cases: PING, ECHO, SELECT, HELLO, AUTH (without requirepass:
 * the default user is "nopass"), RESET and CLIENT. Replies that carry the
 * connection's id or address are compared by type only.
 */
import { type DiffCase, quiet, sameType } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  {
    name: "PING forms",
    steps: [["PING"], ["PING", "hello"], ["PING", "a", "b"], ["ping", Buffer.from("\0\r\n")]],
  },
  { name: "ECHO", steps: [["ECHO", "hi"], ["ECHO", ""], ["ECHO"], ["ECHO", "a", "b"]] },
  {
    name: "SELECT valid and invalid indexes",
    steps: [
      ["SELECT", "1"],
      ["SET", "cn:k", "1"],
      ["SELECT", "0"],
      ["GET", "cn:k"],
      ["SELECT", "15"],
      ["SELECT", "16"],
      ["SELECT", "-1"],
      ["SELECT", "abc"],
      ["SELECT", "1.5"],
      ["SELECT", "99999999999999999999"],
      ["SELECT"],
    ],
  },
  { name: "HELLO 2 and HELLO with no version", steps: [sameType("HELLO", "2"), sameType("HELLO")] },
  { name: "HELLO 3 switches to RESP3", steps: [sameType("HELLO", "3"), ["GET", "cn:none"], ["HELLO", "4"]] },
  {
    name: "HELLO protocol errors",
    steps: [
      ["HELLO", "1"],
      ["HELLO", "4"],
      ["HELLO", "abc"],
      ["HELLO", "-2"],
      ["HELLO", "9223372036854775808"],
      ["GET", "cn:none"],
    ],
  },
  {
    name: "HELLO option errors",
    steps: [
      ["HELLO", "3", "FOO"],
      ["HELLO", "3", "AUTH"],
      ["HELLO", "3", "AUTH", "default"],
      ["HELLO", "3", "SETNAME"],
      ["HELLO", "2", "SETNAME", "a b"],
      ["GET", "cn:none"],
    ],
  },
  {
    name: "HELLO SETNAME takes effect while options are read",
    steps: [
      ["HELLO", "2", "SETNAME", "first", "bogus"],
      ["CLIENT", "GETNAME"],
      sameType("HELLO", "2", "SETNAME", "second"),
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
    ],
  },
  {
    name: "HELLO AUTH against the nopass default user",
    steps: [sameType("HELLO", "3", "AUTH", "default", "anything"), ["HELLO", "3", "AUTH", "nobody", "x"]],
  },
  {
    name: "AUTH without a configured password",
    steps: [
      ["AUTH", "secret"],
      ["AUTH", "default", "anything"],
      ["AUTH", "nobody", "x"],
      ["AUTH", "a", "b", "c"],
      ["AUTH"],
    ],
  },
  {
    name: "CLIENT SETNAME / GETNAME",
    steps: [
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "conn-1"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "bad name"],
      ["CLIENT", "SETNAME", "bad\nname"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME"],
      ["CLIENT", "GETNAME", "x"],
    ],
  },
  {
    name: "CLIENT GETNAME in RESP3 is a null",
    resp3: true,
    steps: [
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "r3"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
    ],
  },
  {
    name: "CLIENT ID and CLIENT INFO",
    steps: [sameType("CLIENT", "ID"), sameType("CLIENT", "INFO"), ["CLIENT", "ID", "x"]],
  },
  {
    name: "CLIENT LIST filters and errors",
    steps: [
      sameType("CLIENT", "LIST"),
      sameType("CLIENT", "LIST", "TYPE", "normal"),
      ["CLIENT", "LIST", "TYPE", "pubsub"],
      ["CLIENT", "LIST", "TYPE", "master"],
      ["CLIENT", "LIST", "TYPE", "replica"],
      ["CLIENT", "LIST", "TYPE", "slave"],
      ["CLIENT", "LIST", "TYPE", "foo"],
      ["CLIENT", "LIST", "TYPE"],
      ["CLIENT", "LIST", "ID", "abc"],
      ["CLIENT", "LIST", "ID", "999999"],
      ["CLIENT", "LIST", "ID", "0", "-5"],
      ["CLIENT", "LIST", "foo"],
    ],
  },
  {
    name: "CLIENT KILL errors and misses",
    steps: [
      ["CLIENT", "KILL", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
      ["CLIENT", "KILL", "LADDR", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ID", "999999"],
      ["CLIENT", "KILL", "ID", "0"],
      ["CLIENT", "KILL", "ID", "abc"],
      ["CLIENT", "KILL", "TYPE", "foo"],
      ["CLIENT", "KILL", "TYPE", "pubsub"],
      ["CLIENT", "KILL", "USER", "nobody"],
      ["CLIENT", "KILL", "SKIPME", "maybe"],
      ["CLIENT", "KILL", "FOO", "bar"],
      ["CLIENT", "KILL", "ID", "1", "SKIPME"],
      ["CLIENT", "KILL", "ID"],
      ["CLIENT", "KILL"],
    ],
  },
  {
    name: "CLIENT KILL of nobody else with SKIPME yes",
    steps: [
      ["CLIENT", "KILL", "TYPE", "master", "SKIPME", "yes"],
      ["CLIENT", "KILL", "SKIPME", "no", "ID", "999999"],
    ],
  },
  {
    name: "CLIENT UNBLOCK",
    steps: [
      ["CLIENT", "UNBLOCK", "999999"],
      ["CLIENT", "UNBLOCK", "999999", "TIMEOUT"],
      ["CLIENT", "UNBLOCK", "999999", "error"],
      ["CLIENT", "UNBLOCK", "999999", "foo"],
      ["CLIENT", "UNBLOCK", "abc"],
      ["CLIENT", "UNBLOCK", "-1"],
      ["CLIENT", "UNBLOCK", "1", "timeout", "x"],
      ["CLIENT", "UNBLOCK"],
    ],
  },
  {
    name: "CLIENT NO-EVICT and REPLY ON",
    steps: [
      ["CLIENT", "NO-EVICT", "on"],
      ["CLIENT", "NO-EVICT", "OFF"],
      ["CLIENT", "NO-EVICT", "maybe"],
      ["CLIENT", "REPLY", "ON"],
      ["CLIENT", "REPLY", "maybe"],
    ],
  },
  {
    name: "CLIENT without or with an unknown subcommand",
    steps: [["CLIENT"], ["CLIENT", "FOO"], ["client", "nosuch", "a"]],
  },
  {
    name: "RESET returns to database 0 and RESP2",
    steps: [["SELECT", "2"], ["SET", "cn:r", "in-db2"], ["RESET"], ["GET", "cn:r"], quiet("FLUSHALL")],
  },
  {
    name: "RESET after HELLO 3",
    resp3: true,
    steps: [["CLIENT", "GETNAME"], ["RESET"], ["CLIENT", "GETNAME"], ["GET", "cn:none"]],
  },
  {
    name: "RESET leaves MULTI",
    steps: [["MULTI"], ["SET", "cn:m", "1"], ["RESET"], ["EXEC"], ["GET", "cn:m"]],
  },
  {
    name: "RESET unwatches",
    steps: [["WATCH", "cn:w"], ["SET", "cn:w", "1"], ["RESET"], ["MULTI"], ["GET", "cn:w"], ["EXEC"]],
  },
  {
    name: "RESET clears the client name",
    steps: [["CLIENT", "SETNAME", "before-reset"], ["RESET"], ["CLIENT", "GETNAME"], ["RESET", "x"]],
  },
  {
    name: "commands and subcommands are case-insensitive",
    steps: [
      ["pInG"],
      ["Client", "GetName"],
      ["cLiEnT", "sEtNaMe", "mixed"],
      ["CLIENT", "getname"],
      ["client", "setname", ""],
    ],
  },
];
