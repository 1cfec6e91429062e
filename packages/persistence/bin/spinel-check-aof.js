#!/usr/bin/env node
// Launcher for the built checker: `pnpm build` produces dist/.
import "../dist/aof/check-aof-cli.js";
