#!/usr/bin/env node
/*
 * spinel-server [config-file] [--name value ...]
 *
 * Reads redis.conf syntax and redis-server-style options, validates them, starts
 * the server, and shuts down cleanly on SIGINT/SIGTERM: stop accepting, finish the
 * current loop turn, flush replies, exit 0. SIGHUP and SIGPIPE are ignored, as
 * redis-server ignores them. A bad configuration prints which setting is wrong
 * and why, and exits 1; an address that cannot be listened on logs redis-server's
 * two lines and exits 1.
 */

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, type Directive, parseCommandLine, parseConfigText } from "./config/config-file.js";
import { SPINEL_VERSION, SpinelServer } from "./server.js";

function usage(): string {
  return [
    "Usage: spinel-server [/path/to/redis.conf] [options] [-]",
    "       spinel-server - (read config from stdin)",
    "       spinel-server -v or --version",
    "       spinel-server -h or --help",
    "",
    "Examples:",
    "       spinel-server (run the server with the default configuration: in-memory, 127.0.0.1:6379)",
    "       spinel-server /etc/redis/6379.conf",
    "       spinel-server --port 7777",
    "       spinel-server /etc/myredis.conf --loglevel verbose",
    "",
  ].join("\n");
}

/** Parse arguments and the config file into directives; exits on --help/--version. */
function loadDirectives(argv: readonly string[]): { directives: Directive[]; configFile: string | null } {
  const commandLine = parseCommandLine(argv);
  if (commandLine.showVersion) {
    process.stdout.write(`Spinel server v=${SPINEL_VERSION} node=${process.versions.node}\n`);
    process.exit(0);
  }
  if (commandLine.showHelp) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const directives: Directive[] = [];
  let configFile: string | null = null;
  let fileLines = 0;
  if (commandLine.configFile !== null) {
    let text: string;
    if (commandLine.configFile === "-") {
      text = readFileSync(0, "latin1");
    } else {
      configFile = resolve(commandLine.configFile);
      try {
        text = readFileSync(configFile, "latin1");
      } catch (error) {
        process.stderr.write(
          `Fatal error, can't open config file '${commandLine.configFile}': ${(error as Error).message}\n`,
        );
        process.exit(1);
      }
    }
    directives.push(...parseConfigText(text, configFile ? dirname(configFile) : process.cwd()));
    fileLines = text.split("\n").length;
  }
  commandLine.options.forEach((option, index) => {
    directives.push({ ...option, line: fileLines + index + 1 });
  });
  return { directives, configFile };
}

/** strerror() words for the errors binding a listener can end with. */
const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: "Address already in use",
  EACCES: "Permission denied",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EAFNOSUPPORT: "Address family not supported by protocol",
};

/** `host:port: bind: <reason>` for a listen failure, as redis-server words it. */
function listenFailure(error: unknown, port: number): string {
  const failure = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const host = failure.address ?? "*";
  const reason = (failure.code && BIND_ERRORS[failure.code]) ?? failure.message;
  return `${host}:${failure.port ?? port}: bind: ${reason}`;
}

async function main(): Promise<void> {
  let server: SpinelServer;
  try {
    const { directives, configFile } = loadDirectives(process.argv.slice(2));
    server = new SpinelServer({ directives, configFile, trimYoungGeneration: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.report());
      process.exit(1);
    }
    throw error;
  }
  // A terminal hanging up or a peer gone mid-write must not stop the server.
  process.on("SIGHUP", () => {});
  process.on("SIGPIPE", () => {});
  try {
    await server.listen();
  } catch (error) {
    const port = server.config.get("port");
    server.logger.warn(`Warning: Could not create server TCP listening socket ${listenFailure(error, port)}`);
    server.logger.warn(`Failed listening on port ${port} (TCP), aborting.`);
    server.logger.flush?.();
    process.exit(1);
  }
  // SHUTDOWN from a client and the signals below both end here.
  server.closed.then(() => process.exit(0));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.warn(`Received ${signal} scheduling shutdown...`);
    // A final save when save points are set; a failed save keeps the server up.
    if (!server.shutdownOnSignal()) stopping = false;
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  process.stderr.write(`Fatal: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
