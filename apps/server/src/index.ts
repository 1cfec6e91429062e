/**
 * @spinel/server: the Spinel server, as a program (`spinel-server`) and as a
 * library for Node test suites (`startServer`).
 */
export { ConfigError, type Directive, parseCommandLine, parseConfigText } from "./config/config-file.js";
export { ConfigStore } from "./config/config-store.js";
export { type ConfigName, type ConfigValues, configParameters } from "./config/parameters.js";
export { createLogger, type LoggerOptions } from "./logger.js";
export { type ConfigInput, SpinelServer, type SpinelServerOptions, startServer } from "./server.js";
