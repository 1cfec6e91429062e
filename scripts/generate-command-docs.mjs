#!/usr/bin/env node
/*
 * Generates packages/commands/src/introspection/redis-command-data.ts: the command
 * facts of Redis 7.0 (arity, flags, key positions, ACL categories, tips, key
 * specs, argument trees, since, group, doc flags, deprecation, the versions of
 * the history) as the local redis-server reports them through COMMAND INFO and
 * COMMAND DOCS, joined with Spinel's own prose from
 * packages/commands/src/introspection/command-summaries.ts (summaries,
 * complexity notes, history notes, key-spec notes). No prose of Redis' is kept:
 * a command Redis documents that has no entry in the prose table stops the run.
 *
 * Spinel declares its own command specs; this data serves the parts of COMMAND
 * INFO / COMMAND DOCS that are pure metadata (tips, key specs, argument trees,
 * history), and the command-table test checks that every declared spec agrees
 * with it. See NOTICE at the repository root.
 *
 * Usage: node scripts/generate-command-docs.mjs [port]
 *   With a port, queries the redis-server listening there; without one, starts
 *   `redis-server` on a free loopback port and stops it afterwards.
 */

import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputPath = resolve(root, "packages/commands/src/introspection/redis-command-data.ts");
const prosePath = resolve(root, "packages/commands/src/introspection/command-summaries.ts");

/** Spinel's prose tables (commandProse, commandHistory, keySpecNotes), set by main(). */
let prose = null;

// ---------------------------------------------------------------- a tiny RESP3 client

function encode(argv) {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** Decode one RESP3 value at `pos`; returns [value, next] or null when incomplete. */
function decode(buf, pos) {
  if (pos >= buf.length) return null;
  const lineEnd = buf.indexOf("\r\n", pos, "latin1");
  if (lineEnd === -1) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("utf8", pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return [{ simple: line }, next];
    case "-":
      throw new Error(`server error: ${line}`);
    case ":":
      return [Number(line), next];
    case "_":
      return [null, next];
    case "$":
    case "=": {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (next + length + 2 > buf.length) return null;
      return [buf.toString("utf8", next, next + length), next + length + 2];
    }
    case "*":
    case "~":
    case "%": {
      const count = Number(line);
      const items = [];
      let p = next;
      for (let i = 0; i < (type === "%" ? count * 2 : count); i++) {
        const decoded = decode(buf, p);
        if (decoded === null) return null;
        items.push(decoded[0]);
        p = decoded[1];
      }
      if (type !== "%") return [items, p];
      const map = new Map();
      for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
      return [map, p];
    }
    default:
      throw new Error(`unexpected RESP type ${type}`);
  }
}

/** Send commands on one connection and collect one reply per command. */
function query(port, commands) {
  return new Promise((resolveQuery, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let buffer = Buffer.alloc(0);
    const replies = [];
    socket.on("error", reject);
    socket.on("connect", () => socket.write(commands.map(encode).join("")));
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const decoded = decode(buffer, 0);
        if (decoded === null) break;
        replies.push(decoded[0]);
        buffer = buffer.subarray(decoded[1]);
        if (replies.length === commands.length) {
          socket.end();
          resolveQuery(replies);
          return;
        }
      }
    });
  });
}

// ---------------------------------------------------------------- conversion

const simple = (value) => {
  if (value === null || typeof value !== "object" || !("simple" in value))
    throw new Error(`expected a simple string, got ${JSON.stringify(value)}`);
  return value.simple;
};

const ARGUMENT_KEYS = [
  "name",
  "type",
  "display_text",
  "key_spec_index",
  "token",
  "summary",
  "since",
  "deprecated_since",
  "flags",
  "value",
  "arguments",
];

/** An argument map of COMMAND DOCS, keys kept in Redis' order. */
function convertArgument(map) {
  const argument = {};
  for (const [key, value] of map) {
    if (!ARGUMENT_KEYS.includes(key)) throw new Error(`unknown argument field ${key}`);
    if (key === "flags") argument.flags = value.map(simple);
    else if (key === "arguments") argument.arguments = value.map(convertArgument);
    else argument[key] = value;
  }
  return argument;
}

function convertSearchSpec(map) {
  const spec = {};
  for (const [key, value] of map.get("spec")) spec[key] = value;
  return { type: map.get("type"), spec };
}

/** A key spec; its notes (prose) are Spinel's, looked up as "command#index". */
function convertKeySpec(map, index, commandName) {
  const keySpec = {};
  for (const [key] of map) {
    if (key === "notes") {
      const note = prose.keySpecNotes[`${commandName}#${index}`];
      if (note === undefined) throw new Error(`no key-spec note for ${commandName}#${index}`);
      keySpec.notes = note;
    } else if (key === "flags") keySpec.flags = map.get("flags").map(simple);
    else if (key === "begin_search") keySpec.beginSearch = convertSearchSpec(map.get(key));
    else if (key === "find_keys") keySpec.findKeys = convertSearchSpec(map.get(key));
    else throw new Error(`unknown key spec field ${key}`);
  }
  return keySpec;
}

const DOC_KEYS = [
  "summary",
  "since",
  "group",
  "complexity",
  "doc_flags",
  "deprecated_since",
  "replaced_by",
  "history",
  "arguments",
  "subcommands",
];

/**
 * One command (or subcommand) from its COMMAND INFO entry and its COMMAND DOCS
 * map: the facts as redis-server reports them, the prose from Spinel's tables.
 */
function convertCommand(info, docs) {
  const [name, arity, flags, firstKey, lastKey, step, acl, tips, keySpecs, subcommands] = info;
  const ownWords = prose.commandProse[name];
  if (ownWords === undefined) throw new Error(`no summary for ${name} in command-summaries.ts`);
  const command = {
    name,
    arity,
    flags: flags.map(simple),
    firstKey,
    lastKey,
    step,
    aclCategories: acl.map(simple),
    tips,
    keySpecs: keySpecs.map((keySpec, index) => convertKeySpec(keySpec, index, name)),
    summary: ownWords[0],
    since: "",
    group: "",
  };
  for (const [key, value] of docs) {
    if (!DOC_KEYS.includes(key)) throw new Error(`unknown docs field ${key} of ${name}`);
    if (key === "summary") continue;
    if (key === "since") command.since = value;
    else if (key === "group") command.group = value;
    else if (key === "complexity") {
      if (ownWords[1] === undefined) throw new Error(`no complexity note for ${name}`);
      command.complexity = ownWords[1];
    } else if (key === "doc_flags") command.docFlags = value.map(simple);
    else if (key === "deprecated_since") command.deprecatedSince = value;
    else if (key === "replaced_by") command.replacedBy = value;
    else if (key === "history") command.history = convertHistory(name, value);
    else if (key === "arguments") command.arguments = value.map(convertArgument);
  }
  if (!docs.has("complexity") && ownWords[1] !== undefined) {
    throw new Error(`${name} has no complexity in Redis: drop its note`);
  }
  if (subcommands.length > 0) {
    // Redis lists subcommands in the order of a randomly seeded hash table, which
    // changes from one process to the next: keep them sorted by name instead.
    const subDocs = docs.get("subcommands");
    command.subcommands = subcommands
      .map((entry) => convertCommand(entry, subDocs.get(entry[0])))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return command;
}

/** The history of `name`: Redis' versions (facts), each with Spinel's note. */
function convertHistory(name, entries) {
  const notes = prose.commandHistory[name];
  const versions = entries.map(([version]) => version);
  if (notes === undefined || notes.map(([version]) => version).join() !== versions.join()) {
    throw new Error(
      `history of ${name} in command-summaries.ts must list the versions ${versions.join(", ")}`,
    );
  }
  return notes.map(([version, note]) => [version, note]);
}

// ---------------------------------------------------------------- main

function freePort() {
  return new Promise((resolvePort) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await query(port, [["PING"]]);
      return { port, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill("SIGKILL");
  throw new Error("redis-server did not start");
}

async function main() {
  prose = await tsImport(pathToFileURL(prosePath).href, import.meta.url);
  const given = process.argv[2];
  const server = given ? { port: Number(given), stop() {} } : await startRedis();
  try {
    const [, version, infoReply, docsReply] = await query(server.port, [
      ["HELLO", "3"],
      ["INFO", "server"],
      ["COMMAND", "INFO"],
      ["COMMAND", "DOCS"],
    ]);
    const redisVersion = /redis_version:(\S+)/.exec(version)[1];
    const commands = infoReply
      .map((info) => convertCommand(info, docsReply.get(info[0])))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const text = [
      "/*",
      ` * GENERATED by scripts/generate-command-docs.mjs from redis-server ${redisVersion}: do not edit.`,
      " *",
      " * Command facts as Redis reports them (COMMAND INFO and COMMAND DOCS: arity,",
      " * flags, key specs, ACL categories, argument trees, since, group, history",
      " * versions), with Spinel's own summaries and notes from command-summaries.ts.",
      " * Used for the metadata parts of those replies and to validate Spinel's",
      " * declared specs. See NOTICE.",
      " */",
      "",
      'import type { RedisCommandData } from "./redis-command-types.js";',
      "",
      `/** The Redis version the data was read from. */`,
      `export const REDIS_DATA_VERSION = ${JSON.stringify(redisVersion)};`,
      "",
      "/** Every command of that Redis version, sorted by name. */",
      `export const redisCommandData: readonly RedisCommandData[] = ${JSON.stringify(commands, null, 1)};`,
      "",
    ].join("\n");
    writeFileSync(outputPath, text);
    // Format as the repository does, so regenerating gives a clean diff.
    spawnSync(resolve(root, "node_modules/.bin/biome"), ["format", "--write", outputPath], {
      stdio: "inherit",
    });
    process.stdout.write(`wrote ${commands.length} commands to ${outputPath}\n`);
  } finally {
    server.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
