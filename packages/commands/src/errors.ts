/*
 * The closed set of error replies. Every error a command sends comes from here
 * (or is built by one of the helpers below), so the texts stay byte-identical to
 * Redis 7 and are reviewed in one place. The first word is the error code.
 */

/** Error codes Spinel replies with (the first word of an error reply). */
export type ErrorCode =
  | "ERR"
  | "WRONGTYPE"
  | "EXECABORT"
  | "NOPROTO"
  | "NOAUTH"
  | "NOPERM"
  | "READONLY"
  | "LOADING"
  | "OOM"
  | "BUSY"
  | "NOSCRIPT"
  | "MOVED"
  | "ASK"
  | "CROSSSLOT"
  | "UNBLOCKED"
  | "WRONGPASS"
  | "MASTERDOWN"
  | "NOREPLICAS"
  | "BUSYKEY"
  | "MISCONF";

/** Fixed error texts, byte for byte as Redis 7 sends them. */
export const Err = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  noSuchKey: "ERR no such key",
  outOfRange: "ERR index out of range",
  dbIndexOutOfRange: "ERR DB index is out of range",
  invalidDbIndex: "ERR invalid DB index",
  overflow: "ERR increment or decrement would overflow",
  incrFloatNaN: "ERR increment would produce NaN or Infinity",
  invalidExpire: "ERR invalid expire time in 'set' command",
  execAbort: "EXECABORT Transaction discarded because of previous errors.",
  execWithoutMulti: "ERR EXEC without MULTI",
  discardWithoutMulti: "ERR DISCARD without MULTI",
  multiNested: "ERR MULTI calls can not be nested",
  watchInMulti: "ERR WATCH inside MULTI is not allowed",
  readonlyReplica: "READONLY You can't write against a read only replica.",
  noReplicas: "NOREPLICAS Not enough good replicas to write.",
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  loading: "LOADING Redis is loading the dataset in memory",
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  noAuth: "NOAUTH Authentication required.",
  maxClients: "ERR max number of clients reached",
  sameObject: "ERR source and destination objects are the same",
  timeoutNegative: "ERR timeout is negative",
  timeoutNotFloat: "ERR timeout is not a float or out of range",
  countNotPositive: "ERR value is out of range, must be positive",
  unblocked: "UNBLOCKED client unblocked via CLIENT UNBLOCK",
  hashValueNotInteger: "ERR hash value is not an integer",
  hashValueNotFloat: "ERR hash value is not a float",
  nanOrInfinity: "ERR value is NaN or Infinity",
  valueOutOfRange: "ERR value is out of range",
  countOutOfLongRange:
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
  numkeysNotPositive: "ERR numkeys should be greater than 0",
  numkeysTooMany: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
  countNotGreaterThanZero: "ERR count should be greater than 0",
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  misconf:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  busyKey: "BUSYKEY Target key name already exists.",
  busyScript: "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
  busyFunction: "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
} as const;

/** `ERR wrong number of arguments for '<name>' command` (name as the client typed it, lowercased). */
export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

/**
 * `ERR unknown command '<name>', with args beginning with: '<a>' '<b>' ` exactly
 * as Redis formats it (arguments quoted, each followed by a space, truncated).
 */
export function unknownCommand(argv: readonly Buffer[]): string {
  const name = truncateForError(argv[0]!.toString("latin1"));
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${truncateForError(argv[i]!.toString("latin1"), 128 - args.length)}' `;
  }
  return `ERR unknown command '${name}', with args beginning with: ${args}`;
}

/** `ERR unknown subcommand '<sub>'. Try <CONTAINER> HELP.` */
export function unknownSubcommand(container: string, sub: string): string {
  return `ERR unknown subcommand '${truncateForError(sub)}'. Try ${container.toUpperCase()} HELP.`;
}

/**
 * User input echoed in an error as Redis' `%.128s` prints it: at most `limit`
 * bytes, and nothing from the first NUL byte on (C strings end there).
 */
function truncateForError(text: string, limit = 128): string {
  const nul = text.indexOf("\0");
  const end = nul !== -1 && nul < limit ? nul : limit;
  return text.length > end ? text.slice(0, end) : text;
}
