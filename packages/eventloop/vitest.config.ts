import { defineProject } from "vitest/config";
import { spinelSourceResolution } from "../../vitest.shared.js";

export default defineProject({
  ...spinelSourceResolution,
  test: {
    // Real sockets and timers: generous limits so a busy CI machine is slow, not red.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
