/*
 * ClientPause's two reasons to hold commands (CLIENT PAUSE and a FAILOVER):
 * the stricter mode is in effect, CLIENT UNPAUSE leaves the failover's hold,
 * and lazy expiry resumes only when both ended. Holding real connections
 * during a failover is tested with real servers in
 * tests/src/replication/failover.test.ts.
 */

import { ExpiryMode } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { PauseMode } from "./client-pause.js";
import { InMemorySession } from "./commands/in-memory-session.test-helper.js";

describe("ClientPause with a failover's hold", () => {
  it("holds writes until the failover ends; CLIENT UNPAUSE only ends CLIENT PAUSE", () => {
    const s = new InMemorySession();
    const pause = s.state.clientPause;
    pause.holdWritesForFailover();
    expect(pause.active).toBe(true);
    expect(pause.mode).toBe(PauseMode.Write);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.HideOnly);

    expect(s.run("CLIENT", "PAUSE", "60000", "ALL")).toBe("OK");
    expect(pause.mode).toBe(PauseMode.All);
    expect(s.run("CLIENT", "UNPAUSE")).toBe("OK");
    expect(pause.active).toBe(true);
    expect(pause.mode).toBe(PauseMode.Write);
    expect(pause.endTime).toBe(0);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.HideOnly);

    pause.endFailoverHold();
    expect(pause.active).toBe(false);
    expect(pause.mode).toBe(PauseMode.None);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.Delete);
  });

  it("a CLIENT PAUSE that outlives the failover keeps its own mode and deadline", () => {
    const s = new InMemorySession();
    const pause = s.state.clientPause;
    expect(s.run("CLIENT", "PAUSE", "60000", "WRITE")).toBe("OK");
    const end = pause.endTime;
    pause.holdWritesForFailover();
    pause.endFailoverHold();
    expect(pause.active).toBe(true);
    expect(pause.mode).toBe(PauseMode.Write);
    expect(pause.endTime).toBe(end);
    expect(s.run("CLIENT", "UNPAUSE")).toBe("OK");
    expect(pause.active).toBe(false);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.Delete);
  });
});
