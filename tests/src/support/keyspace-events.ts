/*
 * Keyspace notification streams as the comparing tests read them: a subscriber
 * on every key channel (`__key*__:*`), the messages rendered readable, in order,
 * ended by a marker write so that everything before it is known to be delivered.
 */

import { RawClient } from "./raw-client.js";
import { showReply } from "./resp-frames.js";

/** The key the end marker writes. */
const MARKER_KEY = "events:end";

/**
 * Write the end marker through `writer`, read `subscriber`'s messages up to and
 * including the marker's `set` event, then turn notifications off again.
 */
export async function readEventsUntilMarker(writer: RawClient, subscriber: RawClient): Promise<string[]> {
  await writer.call("SET", MARKER_KEY, "1");
  const messages: string[] = [];
  for (;;) {
    const message = showReply(await subscriber.read());
    messages.push(message);
    if (message.includes("__keyevent@0__:set") && message.includes(MARKER_KEY)) break;
  }
  await writer.call("CONFIG", "SET", "notify-keyspace-events", "");
  return messages;
}

/**
 * On a flushed server at `port`, with notify-keyspace-events set to `flags`, run
 * `steps` and return the notification messages they caused, in order.
 */
export async function keyspaceEventsOf(
  port: number,
  flags: string,
  steps: readonly (readonly string[])[],
): Promise<string[]> {
  const [subscriber, writer] = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
  try {
    await writer.call("FLUSHALL");
    await writer.call("CONFIG", "SET", "notify-keyspace-events", flags);
    await subscriber.call("PSUBSCRIBE", "__key*__:*");
    for (const step of steps) await writer.call(...step);
    return await readEventsUntilMarker(writer, subscriber);
  } finally {
    subscriber.close();
    writer.close();
  }
}
