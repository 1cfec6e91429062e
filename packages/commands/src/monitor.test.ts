/*
 * MONITOR lines: quoting as sdscatrepr, redaction of passwords, hidden commands,
 * and the observer being installed only while someone monitors.
 */

import { describe, expect, it } from "vitest";
import { ClientSession } from "./client-session.js";
import type { CommandSpec } from "./command-spec.js";
import { monitorCommands } from "./commands/monitor.js";
import { pubsubCommands } from "./commands/pubsub.js";
import { processCommand, sessionClosed } from "./dispatch.js";
import { formatMonitorLine, quoteArgument, stopMonitoring } from "./monitor.js";
import { ServerState } from "./server-state.js";

const plainSpec = (name: string, flags: CommandSpec["flags"] = []): CommandSpec => ({
  name,
  arity: -1,
  flags,
  group: "server",
  summary: "test",
  since: "0.0.0",
  handler: (c) => c.reply.ok(),
});

function newServer(): ServerState {
  return new ServerState({
    specs: [
      ...pubsubCommands,
      ...monitorCommands,
      plainSpec("echoish"),
      plainSpec("adminish", ["admin"]),
      plainSpec("auth"),
    ],
  });
}

function run(c: ClientSession, ...args: string[]): string {
  processCommand(
    c,
    args.map((arg) => Buffer.from(arg, "latin1")),
  );
  return Buffer.concat(c.reply.drain()).toString("latin1");
}

/** Drop the timestamp of MONITOR lines so they compare. */
const untimed = (text: string) => text.replace(/\+\d+\.\d{6} /g, "+T ");

describe("quoteArgument", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["\n\r\t\x07\x08", '"\\n\\r\\t\\a\\b"'],
    ["\x00\x01\x7f\xff é", '"\\x00\\x01\\x7f\\xff \\xe9"'],
    ["", '""'],
  ])("quotes %j as %s", (input, quoted) => {
    expect(quoteArgument(Buffer.from(input, "latin1"))).toBe(quoted);
  });
});

describe("formatMonitorLine", () => {
  const server = newServer();
  const c = new ClientSession(server, null);
  const line = (...args: string[]) =>
    formatMonitorLine(
      c,
      args.map((arg) => Buffer.from(arg)),
      1700000000123.5,
    );

  it("shows time with microseconds, db and origin", () => {
    expect(line("SET", "k", "v")).toBe('+1700000000.123500 [0 lua] "SET" "k" "v"\r\n');
  });

  it("redacts AUTH arguments, unless AUTH has too many arguments", () => {
    expect(line("AUTH", "pw")).toContain('"AUTH" "(redacted)"\r\n');
    expect(line("auth", "user", "pw")).toContain('"auth" "(redacted)" "(redacted)"\r\n');
    expect(line("AUTH", "a", "b", "c")).toContain('"AUTH" "a" "b" "c"\r\n');
  });

  it("redacts HELLO's AUTH pair where the option parser reaches it", () => {
    expect(line("HELLO", "3", "AUTH", "u", "p", "SETNAME", "n")).toContain(
      '"HELLO" "3" "AUTH" "(redacted)" "(redacted)" "SETNAME" "n"\r\n',
    );
    expect(line("HELLO", "3", "SETNAME", "n", "AUTH", "u", "p")).toContain(
      '"SETNAME" "n" "AUTH" "(redacted)" "(redacted)"\r\n',
    );
    expect(line("HELLO", "4", "AUTH", "u", "p")).toContain('"HELLO" "4" "AUTH" "u" "p"\r\n');
    expect(line("HELLO", "3", "BOGUS", "AUTH", "u", "p")).toContain('"BOGUS" "AUTH" "u" "p"\r\n');
  });

  it("redacts MIGRATE's AUTH and AUTH2 credentials", () => {
    expect(line("MIGRATE", "h", "1", "k", "0", "5", "COPY", "AUTH", "pw")).toContain(
      '"COPY" "AUTH" "(redacted)"\r\n',
    );
    expect(line("MIGRATE", "h", "1", "", "0", "5", "AUTH2", "u", "pw", "KEYS", "a")).toContain(
      '"AUTH2" "(redacted)" "(redacted)" "KEYS" "a"\r\n',
    );
  });
});

describe("MONITOR", () => {
  it("streams executed commands to monitors, hiding admin commands and the MONITOR command", () => {
    const server = newServer();
    const monitor = new ClientSession(server, null);
    const other = new ClientSession(server, null);
    const baseline = server.commandObservers.length;
    expect(run(monitor, "MONITOR")).toBe("+OK\r\n");
    expect(server.commandObservers.length).toBe(baseline + 1);
    run(other, "ECHOISH", "a b");
    run(other, "ADMINISH", "x");
    run(other, "AUTH", "secret");
    run(other, "PUBLISH", "ch", "m");
    expect(untimed(Buffer.concat(monitor.reply.drain()).toString("latin1"))).toBe(
      '+T [0 lua] "ECHOISH" "a b"\r\n+T [0 lua] "AUTH" "(redacted)"\r\n+T [0 lua] "PUBLISH" "ch" "m"\r\n',
    );
  });

  it("shows a monitor its own commands after their reply, and ignores a repeated MONITOR", () => {
    const server = newServer();
    const monitor = new ClientSession(server, null);
    run(monitor, "MONITOR");
    expect(run(monitor, "MONITOR")).toBe("");
    expect(untimed(run(monitor, "ECHOISH"))).toBe('+OK\r\n+T [0 lua] "ECHOISH"\r\n');
  });

  it("does not show commands refused by the gate", () => {
    const server = newServer();
    const monitor = new ClientSession(server, null);
    const other = new ClientSession(server, null);
    run(monitor, "MONITOR");
    run(other, "NOSUCHCOMMAND");
    run(other, "PUBLISH", "too-few");
    expect(Buffer.concat(monitor.reply.drain()).toString("latin1")).toBe("");
  });

  it("removes the observer when the last monitor leaves", () => {
    const server = newServer();
    const first = new ClientSession(server, null);
    const second = new ClientSession(server, null);
    const baseline = server.commandObservers.length;
    run(first, "MONITOR");
    run(second, "MONITOR");
    stopMonitoring(first);
    expect(server.commandObservers.length).toBe(baseline + 1);
    sessionClosed(second);
    expect(server.commandObservers.length).toBe(baseline);
    expect(server.pubsub.monitors.size).toBe(0);
  });
});
