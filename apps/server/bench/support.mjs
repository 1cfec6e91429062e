/*
 * What every bench script needs to run servers side by side: a free loopback port,
 * and a wait until a server answers PING with +PONG (not -LOADING), failing when
 * its process exits first or after a deadline.
 */

import net from "node:net";

/** A TCP port free on 127.0.0.1 right now (the OS picks it; the probe is closed). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Resolve once 127.0.0.1:`port` answers PING with +PONG; reject when `child` has
 * exited or after `timeoutMs`. `name` names the server in the errors.
 */
export async function waitForPong(port, child, name, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const pong = await new Promise((resolveProbe) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("error", () => resolveProbe(false));
      socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolveProbe(data.toString() === "+PONG\r\n");
      });
    });
    if (pong) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer PING on port ${port}`);
}
