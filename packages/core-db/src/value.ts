/*
 * The typed values a key can hold. Each logical type (what TYPE reports) is a class
 * whose encoding (what OBJECT ENCODING reports) is an internal detail it manages
 * itself, converting between compact and large representations at Redis'
 * thresholds. Commands use the type APIs only, never a representation.
 */

import type { RedisHash } from "./types/hash.js";
import type { RedisList } from "./types/list.js";
import type { RedisSet } from "./types/set.js";
import type { RedisStream } from "./types/stream.js";
import type { RedisString } from "./types/string.js";
import type { RedisZSet } from "./types/zset.js";

/** Any value stored under a key. Narrow on `.type`. */
export type RedisValue = RedisString | RedisList | RedisHash | RedisSet | RedisZSet | RedisStream;

/** The logical type names TYPE reports. */
export type ValueType = RedisValue["type"];
