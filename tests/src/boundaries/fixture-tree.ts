/*
 * Fixture workspaces for the boundary check: small trees in a temp directory that
 * mirror the repository's layout (packages/<name>/src/index.ts, a package.json with
 * the same exports map, pnpm's per-package node_modules links to declared
 * workspace dependencies, a fake npm package or two), so that dependency-cruiser
 * can be run on them with the project's own configuration.
 */

import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (tests/src/boundaries -> ../../..). */
export const repoRoot = resolve(here, "../../..");

/** The workspace packages of the architecture table. */
export const PACKAGES = ["resp", "core-db", "eventloop", "commands", "persistence", "replication"] as const;
export type PackageName = (typeof PACKAGES)[number];

/** What a fixture package (or the server app) contains. */
export interface FixturePackage {
  /** Workspace dependencies it declares (linked into its node_modules, as pnpm does). */
  workspaceDeps?: readonly string[];
  /** npm dependencies it declares (fake packages at the root node_modules). */
  npmDeps?: readonly string[];
  /** Extra source files besides src/index.ts: path under src -> content. */
  files?: Readonly<Record<string, string>>;
  /** Content of src/index.ts. */
  index: string;
}

/** A fixture workspace on disk. */
export interface FixtureTree {
  root: string;
  remove(): void;
}

/** The dependencies the architecture allows each package (the same table the config encodes). */
export const ALLOWED: Readonly<Record<PackageName, readonly PackageName[]>> = {
  resp: [],
  "core-db": [],
  eventloop: ["resp"],
  commands: ["resp", "core-db"],
  persistence: ["resp", "core-db"],
  replication: ["resp", "core-db", "persistence"],
};

/** A clean package: imports every package it may import, through the front door. */
export function cleanPackage(name: PackageName): FixturePackage {
  const deps = ALLOWED[name];
  const imports = deps.map((dep, i) => `import { value as dep${i} } from "@spinel/${dep}";`).join("\n");
  const sum = deps.length === 0 ? "0" : deps.map((_, i) => `dep${i}`).join(" + ");
  return {
    workspaceDeps: deps.map((dep) => `@spinel/${dep}`),
    files: { "helper.ts": "export const helper = 1;\n" },
    index: `${imports}\nimport { helper } from "./helper.js";\nexport const value: number = ${sum} + helper;\n`,
  };
}

/**
 * Write a workspace: every package of PACKAGES (clean unless `overrides` replaces
 * it) plus apps/server, which imports every package. `npmPackages` are fake npm
 * packages installed at the root node_modules.
 */
export function writeFixtureTree(
  overrides: Partial<Record<PackageName, FixturePackage>> = {},
  npmPackages: readonly string[] = ["pino", "zod"],
): FixtureTree {
  const root = mkdtempSync(join(tmpdir(), "spinel-boundaries-"));
  copyFileSync(join(repoRoot, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
  writeFile(
    root,
    "package.json",
    JSON.stringify({ name: "fixture", private: true, type: "module" }, null, 2),
  );
  for (const name of npmPackages) {
    writeFile(
      root,
      `node_modules/${name}/package.json`,
      JSON.stringify({ name, version: "1.0.0", main: "index.js" }),
    );
    writeFile(root, `node_modules/${name}/index.js`, "module.exports = {};\n");
  }
  for (const name of PACKAGES) {
    writePackage(root, `packages/${name}`, `@spinel/${name}`, overrides[name] ?? cleanPackage(name));
  }
  const server: FixturePackage = {
    workspaceDeps: PACKAGES.map((name) => `@spinel/${name}`),
    npmDeps: ["pino", "zod"],
    index: [
      ...PACKAGES.map((name, i) => `import { value as v${i} } from "@spinel/${name}";`),
      'import pino from "pino";',
      'import zod from "zod";',
      `export const total = ${PACKAGES.map((_, i) => `v${i}`).join(" + ")};`,
      "export const services = [pino, zod];",
    ].join("\n"),
  };
  writePackage(root, "apps/server", "@spinel/server", server);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function writeFile(root: string, path: string, content: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

/** One workspace package with the repository's package.json shape and pnpm-style links. */
function writePackage(root: string, dir: string, name: string, spec: FixturePackage): void {
  const dependencies: Record<string, string> = {};
  for (const dep of spec.workspaceDeps ?? []) dependencies[dep] = "workspace:*";
  for (const dep of spec.npmDeps ?? []) dependencies[dep] = "1.0.0";
  const packageJson = {
    name,
    version: "0.1.0",
    type: "module",
    exports: {
      ".": { "@spinel/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
    dependencies,
  };
  writeFile(root, `${dir}/package.json`, JSON.stringify(packageJson, null, 2));
  writeFile(root, `${dir}/src/index.ts`, spec.index);
  for (const [path, content] of Object.entries(spec.files ?? {}))
    writeFile(root, `${dir}/src/${path}`, content);
  for (const dep of spec.workspaceDeps ?? []) {
    const target = dep === "@spinel/server" ? "apps/server" : `packages/${dep.replace("@spinel/", "")}`;
    const link = join(root, dir, "node_modules", dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), join(root, target)), link, "dir");
  }
}

/** One violation as dependency-cruiser reports it. */
export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Result of running the boundary check on a tree. */
export interface CruiseResult {
  /** The process exit code: what fails `pnpm lint` / `pnpm boundaries`. */
  exitCode: number;
  violations: Violation[];
  modules: number;
}

/**
 * Run dependency-cruiser exactly as `pnpm boundaries` does (the project's
 * .dependency-cruiser.cjs on packages and apps, its default text report and exit
 * code), inside `tree`, and read the violations from the report.
 */
export function runBoundaryCheck(tree: FixtureTree): Promise<CruiseResult> {
  const cli = join(repoRoot, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
  const args = [cli, "--config", join(repoRoot, ".dependency-cruiser.cjs"), "packages", "apps"];
  return new Promise((resolveRun, reject) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: tree.root,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: "1" },
      },
      (error, stdout, stderr) => {
        const summary = /(\d+) modules, \d+ dependencies cruised/.exec(stdout);
        if (summary === null) {
          reject(new Error(`dependency-cruiser did not run: ${error?.message ?? ""}\n${stdout}\n${stderr}`));
          return;
        }
        // "  error boundary-resp: packages/resp/src/index.ts → packages/core-db/src/index.ts"
        const violations: Violation[] = [];
        for (const match of stdout.matchAll(/^\s*error (\S+): (\S+) →\s+(\S+)/gm)) {
          violations.push({ rule: match[1]!, from: match[2]!, to: match[3]! });
        }
        resolveRun({
          exitCode: typeof error?.code === "number" ? error.code : error ? 1 : 0,
          violations,
          modules: Number(summary[1]),
        });
      },
    );
  });
}
