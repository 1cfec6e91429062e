/*
 * Validation of the whole command table: what every spec author must get right,
 * checked once for all commands (architecture.md, "declared vs derived").
 *
 * - names are unique (commands, and subcommands within their container);
 * - key positions fit the arity;
 * - ACL categories agree with the flags (write <-> @write, fast <-> not @slow ...);
 * - every command Redis 7.0 also has agrees with Redis' own metadata (generated
 *   from redis-server into introspection/redis-command-data.ts): arity, flags,
 *   key positions, ACL categories, group, summary, since and complexity; and a
 *   command Redis documents as changing its keys is flagged write.
 */

import { describe, expect, it } from "vitest";
import type { CommandSpec } from "./command-spec.js";
import { type Command, CommandTable } from "./command-table.js";
import { allCommandSpecs } from "./index.js";
import { allRedisCommandData, displayedFlags } from "./introspection/command-docs.js";
import type { RedisCommandData } from "./introspection/redis-command-types.js";

const table = new CommandTable(allCommandSpecs);

/** Every command and subcommand of the table. */
function everyCommand(): Command[] {
  const result: Command[] = [];
  for (const command of table.all()) {
    result.push(command);
    if (command.subcommands !== null) result.push(...command.subcommands.values());
  }
  return result;
}

const commands = everyCommand();
const redisData = allRedisCommandData();

/** Key-spec flags by which Redis says a command changes a key. */
const WRITING_KEY_FLAGS = ["RW", "OW", "RM", "insert", "update", "delete"];

describe("the command table", () => {
  it("has commands, and every top-level name once", () => {
    expect(commands.length).toBeGreaterThan(0);
    const names = allCommandSpecs.map((spec) => spec.name.toLowerCase());
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it("has unique subcommand names within each container", () => {
    const duplicates: string[] = [];
    const visit = (spec: CommandSpec) => {
      const names = (spec.subcommands ?? []).map((sub) => sub.name.toLowerCase());
      for (const [index, name] of names.entries())
        if (names.indexOf(name) !== index) duplicates.push(`${spec.name}|${name}`);
    };
    for (const spec of allCommandSpecs) visit(spec);
    expect(duplicates).toEqual([]);
  });

  it("keeps lowercase names free of spaces and bars", () => {
    const bad = commands.filter((command) => !/^[a-z][a-z0-9_-]*$/.test(command.name));
    expect(bad.map((command) => command.fullName)).toEqual([]);
  });

  it("declares key positions within the arity", () => {
    const problems: string[] = [];
    for (const command of commands) {
      const { first, last, step } = command.keys;
      if (first === 0) {
        if (last !== 0 || step !== 0) problems.push(`${command.fullName}: no first key but last/step set`);
        continue;
      }
      const minimumArgs = Math.abs(command.arity);
      if (step < 1) problems.push(`${command.fullName}: step ${step}`);
      if (first >= minimumArgs && command.arity > 0)
        problems.push(`${command.fullName}: first key ${first} beyond arity ${command.arity}`);
      if (last > 0 && last < first)
        problems.push(`${command.fullName}: last key ${last} before first ${first}`);
      if (last > 0 && command.arity > 0 && last >= command.arity)
        problems.push(`${command.fullName}: last key ${last} beyond arity ${command.arity}`);
      if (
        first >= minimumArgs &&
        !command.hasFlag("no_mandatory_keys") &&
        command.arity < 0 &&
        first > minimumArgs
      )
        problems.push(`${command.fullName}: first key ${first} beyond minimum arity ${command.arity}`);
    }
    expect(problems).toEqual([]);
  });

  it("derives ACL categories consistent with the flags", () => {
    const problems: string[] = [];
    for (const command of commands) {
      if (command.subcommands !== null) continue; // containers carry no flags of their own
      const categories = command.aclCategories;
      const check = (condition: boolean, message: string) => {
        if (!condition) problems.push(`${command.fullName}: ${message}`);
      };
      check(command.hasFlag("write") === categories.includes("@write"), "write <-> @write");
      check(command.hasFlag("fast") === categories.includes("@fast"), "fast <-> @fast");
      check(categories.includes("@fast") !== categories.includes("@slow"), "exactly one of @fast / @slow");
      if (command.hasFlag("admin"))
        check(categories.includes("@admin") && categories.includes("@dangerous"), "admin");
      if (command.hasFlag("blocking")) check(categories.includes("@blocking"), "blocking -> @blocking");
      check(!(command.hasFlag("write") && command.hasFlag("readonly")), "not both write and readonly");
    }
    expect(problems).toEqual([]);
  });

  it("marks every command that Redis says changes keys as write", () => {
    const problems: string[] = [];
    for (const command of commands) {
      const data = redisData.get(command.fullName);
      if (data === undefined) continue;
      const changesKeys = data.keySpecs.some((spec) =>
        spec.flags.some((flag) => WRITING_KEY_FLAGS.includes(flag) && !spec.flags.includes("RO")),
      );
      if (changesKeys && !command.hasFlag("write") && data.flags.includes("write"))
        problems.push(command.fullName);
    }
    expect(problems).toEqual([]);
  });
});

describe("agreement with Redis 7.0's command metadata", () => {
  const shared = commands.filter((command) => redisData.has(command.fullName));

  it("covers the commands both servers have", () => {
    expect(shared.length).toBeGreaterThan(20);
  });

  for (const command of shared) {
    const data = redisData.get(command.fullName) as RedisCommandData;
    it(`${command.fullName} has Redis' arity, flags, keys and categories`, () => {
      expect({
        arity: command.arity,
        flags: [...displayedFlags(command)].sort(),
        keys: [command.keys.first, command.keys.last, command.keys.step],
        acl: command.aclCategories,
      }).toEqual({
        arity: data.arity,
        flags: [...data.flags].sort(),
        keys: [data.firstKey, data.lastKey, data.step],
        acl: data.aclCategories,
      });
    });
    it(`${command.fullName} has Redis' documentation header`, () => {
      expect({
        group: command.spec.group,
        summary: command.spec.summary,
        since: command.spec.since,
        complexity: command.spec.complexity,
      }).toEqual({
        group: data.group,
        summary: data.summary,
        since: data.since,
        complexity: data.complexity,
      });
    });
  }
});
