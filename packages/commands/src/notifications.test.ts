/*
 * notify-keyspace-events: parsing and rendering exactly as redis-server 7.0 does
 * (the expected renderings were read from CONFIG GET on a real server).
 */

import { describe, expect, it } from "vitest";
import { formatNotifyKeyspaceEvents, parseNotifyKeyspaceEvents } from "./notifications.js";

describe("notify-keyspace-events", () => {
  it.each([
    ["KEA", "AKE"],
    ["g$lshzxetd", "A"],
    ["An", "A"],
    ["Anm", "Am"],
    ["nK", "nK"],
    ["Em", "Em"],
    ["x", "x"],
    ["", ""],
    ["AA", "A"],
    ["EK", "KE"],
    ["Elg", "glE"],
    ["K$ed", "$edK"],
  ])("renders %j as %j", (input, rendered) => {
    const flags = parseNotifyKeyspaceEvents(input);
    expect(flags).not.toBeNull();
    expect(formatNotifyKeyspaceEvents(flags!)).toBe(rendered);
  });

  it.each(["Q", "KEAq", "kea", " ", "K E"])("refuses %j", (input) => {
    expect(parseNotifyKeyspaceEvents(input)).toBeNull();
  });

  it("keeps 'n' enabled under 'A' even though the rendering drops it", () => {
    const withNew = parseNotifyKeyspaceEvents("An")!;
    expect(withNew).not.toBe(parseNotifyKeyspaceEvents("A"));
    expect(parseNotifyKeyspaceEvents("A")! & parseNotifyKeyspaceEvents("n")!).toBe(0);
  });
});
