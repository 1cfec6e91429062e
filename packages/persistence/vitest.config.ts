import { defineProject } from "vitest/config";
import { spinelSourceResolution } from "../../vitest.shared.js";

export default defineProject({
  ...spinelSourceResolution,
  // Round trips and corruption sweeps decode many files: allow for a loaded machine.
  test: { testTimeout: 60_000 },
});
