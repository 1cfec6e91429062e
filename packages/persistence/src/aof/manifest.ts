/*
 * The multi-part AOF manifest, as redis-server 7.0 writes and reads it: one line
 * per file, `file <name> seq <n> type <b|h|i>`, the base first, then history
 * files, then the incremental files in sequence order. Comment lines start with
 * `#`. The file names follow Redis' scheme under the appendfilename prefix:
 *   <prefix>.<seq>.base.rdb | <prefix>.<seq>.base.aof   the base (type b)
 *   <prefix>.<seq>.incr.aof                             incremental files (type i)
 *   <prefix>.manifest                                   the manifest itself
 * History files (type h) are bases and incremental files a rewrite replaced,
 * listed until they are deleted.
 */

/** The kind of a file in the manifest. */
export type AofFileType = "b" | "h" | "i";

/** One line of the manifest. */
export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

/** What the manifest says: at most one base, history files, incremental files. */
export interface AofManifest {
  base: AofFileInfo | null;
  incr: AofFileInfo[];
  history: AofFileInfo[];
}

/** A manifest that cannot be trusted; loading stops with this error. */
export class AofManifestError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Bad AOF manifest ${file}: ${reason}`);
    this.name = "AofManifestError";
  }
}

/** Longest manifest line Redis accepts. */
const MAX_LINE = 1024;

/** The manifest's file name for the appendfilename `prefix`. */
export function manifestFileName(prefix: string): string {
  return `${prefix}.manifest`;
}

/** The temp name a new manifest is written under before it is renamed into place. */
export function tempManifestFileName(prefix: string): string {
  return `temp-${prefix}.manifest`;
}

/** The temp name a rewrite writes the new base under before it is renamed into place. */
export function tempBaseFileName(prefix: string): string {
  return `temp-rewriteaof-${prefix}.aof`;
}

/** The name of base number `seq`; `rdb` when it holds an RDB preamble. */
export function baseFileName(prefix: string, seq: number, rdb: boolean): string {
  return `${prefix}.${seq}.base.${rdb ? "rdb" : "aof"}`;
}

/** The name of incremental file number `seq`. */
export function incrFileName(prefix: string, seq: number): string {
  return `${prefix}.${seq}.incr.aof`;
}

/** An empty manifest. */
export function emptyManifest(): AofManifest {
  return { base: null, incr: [], history: [] };
}

/**
 * Split a manifest line into words, honouring double and single quotes with
 * backslash escapes the way redis-server's sdssplitargs does for the names it
 * quotes. Returns null for unbalanced quotes.
 */
function splitWords(line: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
    if (i >= line.length) break;
    let word = "";
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : null;
    if (quote !== null) {
      i++;
      let closed = false;
      while (i < line.length) {
        const ch = line[i]!;
        if (ch === "\\" && quote === '"' && i + 1 < line.length) {
          const next = line[i + 1]!;
          if (next === "x" && i + 3 < line.length) {
            word += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += next === "n" ? "\n" : next === "r" ? "\r" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        if (ch === quote) {
          closed = true;
          i++;
          break;
        }
        word += ch;
        i++;
      }
      if (!closed) return null;
      if (i < line.length && line[i] !== " " && line[i] !== "\t") return null;
    } else {
      while (i < line.length && line[i] !== " " && line[i] !== "\t") word += line[i++];
    }
    words.push(word);
  }
  return words;
}

/**
 * Parse a manifest (`text`, read from the file named `file`). Throws
 * AofManifestError with Redis' reasons: a bad line, a duplicate base, a
 * non-monotonic incremental sequence, a name that is a path, an empty manifest.
 */
export function parseManifest(text: string, file: string): AofManifest {
  const manifest = emptyManifest();
  let lastIncrSeq = 0;
  let lines = 0;
  const rawLines = text.split("\n");
  // A final newline leaves one empty string behind; a missing one means a cut-off file.
  if (rawLines[rawLines.length - 1] === "") rawLines.pop();
  else if (text.length > 0)
    throw new AofManifestError(file, "The AOF manifest file is invalid format (no final newline)");
  for (const raw of rawLines) {
    if (raw.length > MAX_LINE)
      throw new AofManifestError(file, "The AOF manifest file contains too long line");
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.startsWith("#")) continue;
    const words = splitWords(line);
    if (words === null || words.length < 6 || words.length % 2 !== 0) {
      throw new AofManifestError(file, "Invalid AOF manifest file format");
    }
    let name: string | null = null;
    let seq: number | null = null;
    let type: string | null = null;
    for (let i = 0; i < words.length; i += 2) {
      const key = words[i]!;
      const value = words[i + 1]!;
      if (key === "file") name = value;
      else if (key === "seq") seq = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      else if (key === "type") type = value;
      // Unknown keys are ignored, as Redis does (room for future fields).
    }
    if (name === null || seq === null || type === null || Number.isNaN(seq)) {
      throw new AofManifestError(file, "Invalid AOF manifest file format");
    }
    if (name.includes("/"))
      throw new AofManifestError(file, `File can't be a path, just a filename: ${name}`);
    if (type === "b") {
      if (manifest.base !== null) throw new AofManifestError(file, "Found duplicate base file information");
      manifest.base = { name, seq, type };
    } else if (type === "h") {
      manifest.history.push({ name, seq, type });
    } else if (type === "i") {
      if (seq <= lastIncrSeq) throw new AofManifestError(file, "Found a non-monotonic sequence number");
      lastIncrSeq = seq;
      manifest.incr.push({ name, seq, type });
    } else {
      throw new AofManifestError(file, `Unknown AOF file type: ${type}`);
    }
    lines++;
  }
  if (lines === 0) throw new AofManifestError(file, "Found an empty AOF manifest");
  return manifest;
}

/** Quote a file name the way Redis does when it has characters that need it. */
function formatName(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !/["'\\]/.test(name)) return name;
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    const code = name.charCodeAt(i);
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code > 0x7e) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The manifest's text: base, history, then incremental files, one line each. */
export function formatManifest(manifest: AofManifest): string {
  let text = "";
  const line = (info: AofFileInfo) => `file ${formatName(info.name)} seq ${info.seq} type ${info.type}\n`;
  if (manifest.base !== null) text += line(manifest.base);
  for (const info of manifest.history) text += line(info);
  for (const info of manifest.incr) text += line(info);
  return text;
}
