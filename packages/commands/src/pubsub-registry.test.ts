/*
 * The pub/sub registry and commands, run through the real gate and call() with
 * connection-less sessions; replies are compared as raw RESP bytes (the same
 * bytes redis-server 7 sends, checked against a real server in tests/).
 */

import { EventClass, RedisString } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { ClientSession } from "./client-session.js";
import type { CommandSpec } from "./command-spec.js";
import { monitorCommands } from "./commands/monitor.js";
import { pubsubCommands } from "./commands/pubsub.js";
import { call, processCommand, sessionClosed } from "./dispatch.js";
import { parseNotifyKeyspaceEvents } from "./notifications.js";
import { ServerState } from "./server-state.js";

/** `touchkey <key> <event>`: a write that ends in the epilogue with a string-class event. */
const touchSpec: CommandSpec = {
  name: "touchkey",
  arity: 3,
  flags: ["write"],
  group: "generic",
  summary: "test: emit a keyspace event",
  since: "0.0.0",
  handler: (c) => {
    c.db.touched(c.argv[1]!.toString("latin1"), c.argv[2]!.toString("latin1"), EventClass.String);
    c.reply.ok();
  },
};

/** `nested <cmd> [args]`: runs its arguments as a nested call, as EXEC does. */
const nestedSpec: CommandSpec = {
  name: "nested",
  arity: -2,
  flags: [],
  group: "generic",
  summary: "test: nested execution",
  since: "0.0.0",
  handler: (c) => {
    const outer = c.argv;
    const command = c.server.table.lookup(outer[1]!)!;
    c.argv = outer.slice(1);
    c.reply.arrayLen(1);
    call(c, command);
    c.argv = outer;
  },
};

function newServer(): ServerState {
  return new ServerState({ specs: [...pubsubCommands, ...monitorCommands, touchSpec, nestedSpec] });
}

/** Run one command for `c` and return everything written to it since the last run. */
function run(c: ClientSession, ...args: string[]): string {
  processCommand(
    c,
    args.map((arg) => Buffer.from(arg, "latin1")),
  );
  return output(c);
}

/** What `c` has been sent and not yet read. */
function output(c: ClientSession): string {
  return Buffer.concat(c.reply.drain()).toString("latin1");
}

const confirm = (word: string, name: string | null, count: number, head = "*") =>
  `${head}3\r\n$${word.length}\r\n${word}\r\n${name === null ? (head === ">" ? "_" : "$-1") : `$${name.length}\r\n${name}`}\r\n:${count}\r\n`;
const message = (channel: string, payload: string, head = "*") =>
  `${head}3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$${payload.length}\r\n${payload}\r\n`;
const pmessage = (pattern: string, channel: string, payload: string, head = "*") =>
  `${head}4\r\n$8\r\npmessage\r\n$${pattern.length}\r\n${pattern}\r\n$${channel.length}\r\n${channel}\r\n$${payload.length}\r\n${payload}\r\n`;

describe("subscribe family", () => {
  it("confirms every channel with the running count of channels plus patterns", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    expect(run(c, "SUBSCRIBE", "a", "b", "a")).toBe(
      confirm("subscribe", "a", 1) + confirm("subscribe", "b", 2) + confirm("subscribe", "a", 2),
    );
    expect(run(c, "PSUBSCRIBE", "x*")).toBe(confirm("psubscribe", "x*", 3));
    expect(run(c, "SSUBSCRIBE", "s")).toBe(confirm("ssubscribe", "s", 1));
    expect(server.pubsub.channelCount).toBe(2);
    expect(server.pubsub.patternCount).toBe(1);
    expect(server.pubsub.shardChannelCount).toBe(1);
    expect(c.subscriptionCount).toBe(4);
  });

  it("renders confirmations as push frames for RESP3 clients", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    c.resp = 3;
    expect(run(c, "SUBSCRIBE", "a")).toBe(confirm("subscribe", "a", 1, ">"));
    expect(run(c, "UNSUBSCRIBE")).toBe(confirm("unsubscribe", "a", 0, ">"));
    expect(run(c, "UNSUBSCRIBE")).toBe(confirm("unsubscribe", null, 0, ">"));
  });

  it("unsubscribes from everything of one kind, or confirms a null name when there was nothing", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    run(c, "SUBSCRIBE", "a", "b");
    run(c, "PSUBSCRIBE", "p");
    expect(run(c, "UNSUBSCRIBE")).toBe(confirm("unsubscribe", "a", 2) + confirm("unsubscribe", "b", 1));
    expect(run(c, "UNSUBSCRIBE", "zz")).toBe(confirm("unsubscribe", "zz", 1));
    expect(run(c, "PUNSUBSCRIBE")).toBe(confirm("punsubscribe", "p", 0));
    expect(run(c, "PUNSUBSCRIBE")).toBe(confirm("punsubscribe", null, 0));
    expect(run(c, "SUNSUBSCRIBE")).toBe(confirm("sunsubscribe", null, 0));
    expect(server.pubsub.channelCount).toBe(0);
    expect(server.pubsub.patternCount).toBe(0);
  });

  it("counts shard channels separately from channels and patterns", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    run(c, "SUBSCRIBE", "a");
    expect(run(c, "SSUBSCRIBE", "a", "b")).toBe(
      confirm("ssubscribe", "a", 1) + confirm("ssubscribe", "b", 2),
    );
    expect(run(c, "SUNSUBSCRIBE", "a")).toBe(confirm("sunsubscribe", "a", 1));
    expect(run(c, "UNSUBSCRIBE", "a")).toBe(confirm("unsubscribe", "a", 0));
    expect(c.subscriptionCount).toBe(1);
  });

  it("refuses SSUBSCRIBE and MONITOR in a nested execution but allows SUBSCRIBE, as Redis does in EXEC", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    expect(run(c, "NESTED", "SSUBSCRIBE", "s")).toBe(
      "*1\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n",
    );
    expect(run(c, "NESTED", "MONITOR")).toBe("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
    expect(run(c, "NESTED", "SUBSCRIBE", "a")).toBe(`*1\r\n${confirm("subscribe", "a", 1)}`);
  });

  it("forgets every subscription of a client that goes away", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    const other = new ClientSession(server, null);
    run(c, "SUBSCRIBE", "a", "b");
    run(c, "PSUBSCRIBE", "p*");
    run(c, "SSUBSCRIBE", "s");
    run(other, "SUBSCRIBE", "a");
    sessionClosed(c);
    expect(server.pubsub.channelCount).toBe(1);
    expect(server.pubsub.patternCount).toBe(0);
    expect(server.pubsub.shardChannelCount).toBe(0);
    expect(run(new ClientSession(server, null), "PUBSUB", "NUMSUB", "a", "b")).toBe(
      "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:0\r\n",
    );
  });

  it("leaves subscribed mode (and its P flag) without notifications on unsubscribeAll", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    run(c, "SUBSCRIBE", "a");
    run(c, "PSUBSCRIBE", "p");
    expect(c.flags & 16).toBe(16);
    server.pubsub.unsubscribeAll(c);
    expect(output(c)).toBe("");
    expect(c.subscriptionCount).toBe(0);
    expect(c.flags & 16).toBe(0);
    expect(server.pubsub.channelCount + server.pubsub.patternCount).toBe(0);
  });
});

describe("PUBLISH", () => {
  it("counts one receiver per channel subscription and per matching pattern subscription", () => {
    const server = newServer();
    const a = new ClientSession(server, null);
    const b = new ClientSession(server, null);
    const publisher = new ClientSession(server, null);
    run(a, "SUBSCRIBE", "news");
    run(a, "PSUBSCRIBE", "n*", "*s", "x*");
    run(b, "PSUBSCRIBE", "n*");
    expect(run(publisher, "PUBLISH", "news", "hi")).toBe(":4\r\n");
    expect(output(a)).toBe(
      message("news", "hi") + pmessage("n*", "news", "hi") + pmessage("*s", "news", "hi"),
    );
    expect(output(b)).toBe(pmessage("n*", "news", "hi"));
    expect(run(publisher, "PUBLISH", "nothing-here", "x")).toBe(":2\r\n");
    expect(run(publisher, "PUBLISH", "zzz", "x")).toBe(":0\r\n");
  });

  it("keeps payloads and channel names binary-safe", () => {
    const server = newServer();
    const a = new ClientSession(server, null);
    const publisher = new ClientSession(server, null);
    const channel = "ch\x00\xff\r\n";
    const payload = "\x00\x01\r\n\xfe";
    run(a, "SUBSCRIBE", channel);
    expect(run(publisher, "PUBLISH", channel, payload)).toBe(":1\r\n");
    expect(output(a)).toBe(message(channel, payload));
  });

  it("delivers shard messages only to shard subscribers, never through patterns", () => {
    const server = newServer();
    const a = new ClientSession(server, null);
    const publisher = new ClientSession(server, null);
    run(a, "SSUBSCRIBE", "s");
    run(a, "PSUBSCRIBE", "*");
    expect(run(publisher, "SPUBLISH", "s", "m")).toBe(":1\r\n");
    expect(output(a)).toBe("*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n");
    expect(run(publisher, "PUBLISH", "s", "m")).toBe(":1\r\n");
    expect(output(a)).toBe(pmessage("*", "s", "m"));
  });

  it("appends a message to the publishing client after its own reply (RESP3)", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    c.resp = 3;
    run(c, "SUBSCRIBE", "self");
    expect(run(c, "PUBLISH", "self", "m")).toBe(`:1\r\n${message("self", "m", ">")}`);
  });

  it("keeps pushes out of a transaction's reply: they follow the whole unit", () => {
    const server = newServer();
    const c = new ClientSession(server, null);
    c.resp = 3;
    run(c, "SUBSCRIBE", "self");
    expect(run(c, "NESTED", "PUBLISH", "self", "m")).toBe(`*1\r\n:1\r\n${message("self", "m", ">")}`);
  });
});

describe("PUBSUB introspection", () => {
  it("lists channels (optionally by pattern), counts subscribers and patterns", () => {
    const server = newServer();
    const a = new ClientSession(server, null);
    const b = new ClientSession(server, null);
    const q = new ClientSession(server, null);
    run(a, "SUBSCRIBE", "alpha", "beta");
    run(b, "SUBSCRIBE", "alpha");
    run(a, "PSUBSCRIBE", "a*");
    run(b, "PSUBSCRIBE", "a*", "b*");
    run(b, "SSUBSCRIBE", "shard");
    expect(run(q, "PUBSUB", "CHANNELS")).toBe("*2\r\n$5\r\nalpha\r\n$4\r\nbeta\r\n");
    expect(run(q, "PUBSUB", "CHANNELS", "b*")).toBe("*1\r\n$4\r\nbeta\r\n");
    expect(run(q, "pubsub", "numsub", "alpha", "beta", "gamma")).toBe(
      "*6\r\n$5\r\nalpha\r\n:2\r\n$4\r\nbeta\r\n:1\r\n$5\r\ngamma\r\n:0\r\n",
    );
    expect(run(q, "PUBSUB", "NUMSUB")).toBe("*0\r\n");
    expect(run(q, "PUBSUB", "NUMPAT")).toBe(":2\r\n");
    expect(run(q, "PUBSUB", "SHARDCHANNELS")).toBe("*1\r\n$5\r\nshard\r\n");
    expect(run(q, "PUBSUB", "SHARDCHANNELS", "x*")).toBe("*0\r\n");
    expect(run(q, "PUBSUB", "SHARDNUMSUB", "shard", "alpha")).toBe(
      "*4\r\n$5\r\nshard\r\n:1\r\n$5\r\nalpha\r\n:0\r\n",
    );
  });

  it("answers bad forms with Redis' errors", () => {
    const server = newServer();
    const q = new ClientSession(server, null);
    expect(run(q, "PUBSUB")).toBe("-ERR wrong number of arguments for 'pubsub' command\r\n");
    expect(run(q, "PUBSUB", "FOO")).toBe("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n");
    expect(run(q, "pubsub", "Channels", "a", "b")).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'Channels'. Try PUBSUB HELP.\r\n",
    );
    expect(run(q, "PUBSUB", "NUMPAT", "x")).toBe(
      "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n",
    );
    // HELP: an array of status lines, one subcommand syntax line then its description.
    const help = run(q, "PUBSUB", "HELP");
    expect(help).toMatch(/^\*13\r\n(\+[^\r\n]*\r\n){13}$/);
    expect(help).toContain("+NUMSUB [<channel> ...]\r\n");
  });
});

describe("keyspace notifications", () => {
  it("publishes on the keyspace and keyevent channels of the enabled classes", () => {
    const server = newServer();
    server.settings.notifyKeyspaceEvents = parseNotifyKeyspaceEvents("KEA")!;
    const listener = new ClientSession(server, null);
    const writer = new ClientSession(server, null);
    run(listener, "PSUBSCRIBE", "__key*__:*");
    expect(run(writer, "TOUCHKEY", "k", "set")).toBe("+OK\r\n");
    expect(output(listener)).toBe(
      pmessage("__key*__:*", "__keyspace@0__:k", "set") + pmessage("__key*__:*", "__keyevent@0__:set", "k"),
    );
  });

  it("publishes nothing for classes that are off, and only the channels asked for", () => {
    const server = newServer();
    const listener = new ClientSession(server, null);
    const writer = new ClientSession(server, null);
    run(listener, "PSUBSCRIBE", "*");
    run(writer, "TOUCHKEY", "k", "set");
    expect(output(listener)).toBe("");
    server.settings.notifyKeyspaceEvents = parseNotifyKeyspaceEvents("Kg")!;
    run(writer, "TOUCHKEY", "k", "set");
    expect(output(listener)).toBe("");
    server.settings.notifyKeyspaceEvents = parseNotifyKeyspaceEvents("E$")!;
    run(writer, "TOUCHKEY", "k", "append");
    expect(output(listener)).toBe(pmessage("*", "__keyevent@0__:append", "k"));
  });

  it("delivers a RESP3 client's own events after its reply", () => {
    const server = newServer();
    server.settings.notifyKeyspaceEvents = parseNotifyKeyspaceEvents("KA")!;
    const c = new ClientSession(server, null);
    c.resp = 3;
    run(c, "SUBSCRIBE", "__keyspace@0__:mine");
    expect(run(c, "TOUCHKEY", "mine", "set")).toBe(`+OK\r\n${message("__keyspace@0__:mine", "set", ">")}`);
  });

  it("notifies expirations that happen outside any command", () => {
    const server = newServer();
    server.settings.notifyKeyspaceEvents = parseNotifyKeyspaceEvents("Ex")!;
    const listener = new ClientSession(server, null);
    run(listener, "SUBSCRIBE", "__keyevent@3__:expired");
    const db = server.keyspace.db(3);
    const entry = db.add("gone", RedisString.fromInteger(1));
    db.setEntryExpire(entry, Date.now() - 1);
    db.activeExpireStep(10, Date.now());
    expect(output(listener)).toBe(message("__keyevent@3__:expired", "gone"));
  });
});
