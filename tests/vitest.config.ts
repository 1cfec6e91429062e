import { defineProject } from "vitest/config";
import { spinelSourceResolution } from "../vitest.shared.js";

export default defineProject({
  ...spinelSourceResolution,
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites start real servers; keep the two cores from thrashing.
    maxConcurrency: 4,
  },
});
