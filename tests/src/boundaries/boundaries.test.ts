/*
 * Proof that the boundary check (`pnpm boundaries`: dependency-cruiser with the
 * project's .dependency-cruiser.cjs) enforces the package table of
 * shared/design/architecture.md: each forbidden import below, planted in an
 * otherwise clean fixture workspace, fails the check under the rule that names
 * it, and the clean workspace passes.
 */

import { afterAll, describe, expect, it } from "vitest";
import {
  type CruiseResult,
  cleanPackage,
  type FixturePackage,
  type FixtureTree,
  type PackageName,
  runBoundaryCheck,
  writeFixtureTree,
} from "./fixture-tree.js";

const trees: FixtureTree[] = [];

afterAll(() => {
  for (const tree of trees) tree.remove();
});

/** Write a clean tree with `overrides` and run the check on it. */
async function check(overrides: Partial<Record<PackageName, FixturePackage>>): Promise<CruiseResult> {
  const tree = writeFixtureTree(overrides);
  trees.push(tree);
  return runBoundaryCheck(tree);
}

/** The distinct rule names of a result. */
function rules(result: CruiseResult): string[] {
  return [...new Set(result.violations.map((v) => v.rule))].sort();
}

// Each case cruises its own tree in its own process: run them side by side.
describe.concurrent("the boundary check", { timeout: 180_000 }, () => {
  it("passes a clean workspace that follows the table", async () => {
    const result = await check({});
    expect(result.violations).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Every package's index and helper, and the server app, were cruised.
    expect(result.modules).toBeGreaterThanOrEqual(13);
    expect(result.violations.length).toBe(0);
  });

  it("fails resp -> core-db (two independent leaves) with boundary-resp", async () => {
    const result = await check({
      resp: {
        workspaceDeps: ["@spinel/core-db"],
        index: 'import { value as db } from "@spinel/core-db";\nexport const value = db + 1;\n',
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["boundary-resp"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/resp/src/index.ts",
      to: "packages/core-db/src/index.ts",
    });
  });

  it("fails eventloop -> commands (a lower package importing a higher one) with boundary-eventloop", async () => {
    const eventloop = cleanPackage("eventloop");
    const result = await check({
      eventloop: {
        ...eventloop,
        workspaceDeps: [...(eventloop.workspaceDeps ?? []), "@spinel/commands"],
        index: `import { value as commands } from "@spinel/commands";\n${eventloop.index}export const both = value + commands;\n`,
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["boundary-eventloop"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/eventloop/src/index.ts",
      to: "packages/commands/src/index.ts",
    });
  });

  it("fails a deep import into another package's src/x.ts with no-deep-imports", async () => {
    const commands = cleanPackage("commands");
    const result = await check({
      commands: {
        ...commands,
        index: `import { helper as dbHelper } from "../../core-db/src/helper.js";\n${commands.index}export const deep = dbHelper;\n`,
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["no-deep-imports"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/commands/src/index.ts",
      to: "packages/core-db/src/helper.ts",
    });
  });

  it("fails a deep import through the package name (not exported) with not-to-unresolvable", async () => {
    const commands = cleanPackage("commands");
    const result = await check({
      commands: {
        ...commands,
        index: `import { helper as dbHelper } from "@spinel/core-db/src/helper.js";\n${commands.index}export const deep = dbHelper;\n`,
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["not-to-unresolvable"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/commands/src/index.ts",
      to: "@spinel/core-db/src/helper.js",
    });
  });

  it("fails pino in a package with pino-zod-only-in-server", async () => {
    const result = await check({
      "core-db": {
        npmDeps: ["pino"],
        index: 'import pino from "pino";\nexport const logger = pino;\nexport const value = 1;\n',
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["pino-zod-only-in-server"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/core-db/src/index.ts",
      to: "node_modules/pino/index.js",
    });
  });

  it("fails zod in a package with pino-zod-only-in-server", async () => {
    const commands = cleanPackage("commands");
    const result = await check({
      commands: {
        ...commands,
        npmDeps: ["zod"],
        index: `import zod from "zod";\n${commands.index}export const schema = zod;\n`,
      },
    });
    expect(rules(result)).toEqual(["pino-zod-only-in-server"]);
  });

  it("fails a workspace package used without being declared with not-to-unresolvable", async () => {
    const result = await check({
      commands: {
        workspaceDeps: ["@spinel/resp"],
        index:
          'import { value as a } from "@spinel/resp";\nimport { value as b } from "@spinel/core-db";\nexport const value = a + b;\n',
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toEqual(["not-to-unresolvable"]);
    expect(result.violations[0]).toMatchObject({
      from: "packages/commands/src/index.ts",
      to: "@spinel/core-db",
    });
  });

  it("fails a package importing the server app with apps-not-imported", async () => {
    const persistence = cleanPackage("persistence");
    const result = await check({
      persistence: {
        ...persistence,
        index: `import { total } from "../../../apps/server/src/index.js";\n${persistence.index}export const app = total;\n`,
      },
    });
    expect(result.exitCode).not.toBe(0);
    expect(rules(result)).toContain("apps-not-imported");
    expect(rules(result)).toContain("boundary-persistence");
  });

  it("fails a runtime import cycle with no-circular, and allows a type-only one", async () => {
    const cyclic = await check({
      resp: {
        files: {
          "a.ts": 'import { b } from "./b.js";\nexport const a = () => b() + 1;\n',
          "b.ts": 'import { a } from "./a.js";\nexport const b = () => (a ? 1 : 0);\n',
        },
        index: 'import { a } from "./a.js";\nexport const value = a();\n',
      },
    });
    expect(cyclic.exitCode).not.toBe(0);
    expect(rules(cyclic)).toEqual(["no-circular"]);

    const typeOnly = await check({
      resp: {
        files: {
          "a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\nexport const a = 1;\n',
          "b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\nexport const b = 2;\n',
        },
        index: 'import { a } from "./a.js";\nimport { b } from "./b.js";\nexport const value = a + b;\n',
      },
    });
    expect(typeOnly.violations).toEqual([]);
    expect(typeOnly.exitCode).toBe(0);
  });
});
