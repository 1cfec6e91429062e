import { defineProject } from "vitest/config";
import { spinelSourceResolution } from "../../vitest.shared.js";

export default defineProject({ ...spinelSourceResolution });
