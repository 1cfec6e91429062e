/**
 * Package boundaries of shared/design/architecture.md, enforced in CI.
 *
 * Each workspace package may import only the packages its row of the table names,
 * only through their front door (src/index.ts, reached as "@spinel/<name>"), and
 * only apps/server may use pino and zod. A violation fails `pnpm lint`.
 */
const allowed = {
  resp: [],
  "core-db": [],
  eventloop: ["resp"],
  commands: ["resp", "core-db"],
  persistence: ["resp", "core-db"],
  replication: ["resp", "core-db", "persistence"],
};

const everyPackage = Object.keys(allowed);

const packageRules = Object.entries(allowed).map(([pkg, deps]) => {
  const forbiddenTargets = everyPackage.filter((other) => other !== pkg && !deps.includes(other));
  return {
    name: `boundary-${pkg}`,
    comment: `@spinel/${pkg} may import only: ${deps.length ? deps.join(", ") : "no workspace package"}`,
    severity: "error",
    from: { path: `^packages/${pkg}/` },
    to: { path: forbiddenTargets.length ? `^(packages/(${forbiddenTargets.join("|")})/|apps/)` : "^apps/" },
  };
});

module.exports = {
  forbidden: [
    ...packageRules,
    {
      name: "no-deep-imports",
      comment: "Another package is reached through its front door (src/index.ts) only",
      severity: "error",
      from: { path: "^(packages|apps)/([^/]+)/" },
      to: {
        path: "^(packages|apps)/([^/]+)/",
        pathNot: ["^(packages|apps)/$2/", "^packages/[^/]+/src/index\\.ts$"],
      },
    },
    {
      name: "apps-not-imported",
      comment: "Nothing imports the composition root",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "pino-zod-only-in-server",
      comment: "Only apps/server depends on pino and zod (libraries take an injected logger)",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "node_modules/(pino|zod|pino-pretty)/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves: a workspace package not declared in package.json does not",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "declared-dependencies-only",
      comment: "Imports of npm and workspace packages are declared in the importer's package.json",
      severity: "error",
      from: { path: "^(packages|apps)/" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "no-circular",
      comment: "No runtime import cycles (type-only cycles, like client <-> server state, are fine)",
      severity: "error",
      from: { path: "^(packages|apps)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // node_modules stay in the graph (not followed), so rules about npm packages can see them.
    exclude: { path: "(^|/)(dist|\\.turbo)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@spinel/source", "import", "types", "default"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
