/**
 * Shared vitest settings: every workspace resolves sibling packages to their
 * TypeScript sources through the "@spinel/source" export condition, the same
 * condition tsconfig.base.json lists in customConditions. Builds ignore it and
 * use dist/.
 */
export const spinelSourceResolution = {
  resolve: { conditions: ["@spinel/source"] },
  ssr: { resolve: { conditions: ["@spinel/source"], externalConditions: ["@spinel/source"] } },
};
