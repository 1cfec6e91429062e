#!/usr/bin/env node
// Launcher for the built server: `pnpm build` (or `pnpm start`) produces dist/.
import "../dist/main.js";
