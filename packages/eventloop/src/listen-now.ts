/*
 * Binding a TCP listener within the current call, for CONFIG SET port / bind,
 * which must answer (and, on failure, keep the old listeners) in the same turn
 * as redis-server does.
 *
 * Node's public net.Server.listen() resolves any host through dns.lookup() first
 * and binds on a later turn. Given an IP address, net.Server's `_listen2` (the
 * long-standing alias of its listen-handle setup) binds at once: the socket is
 * bound and listening when it returns, or `listening` is false and the error is
 * emitted on the next tick (swallowed here). Redis' bind addresses are IP
 * addresses, so nothing needs a lookup.
 */

import net from "node:net";

/** The part of net.Server this file relies on. */
interface ImmediateListen {
  _listen2(
    address: string,
    port: number,
    addressType: 4 | 6,
    backlog: number,
    fd: number,
    flags: number,
  ): void;
}

/** True when this Node's net.Server can bind within the call (see the header). */
export function canListenNow(): boolean {
  return typeof (net.Server.prototype as unknown as Partial<ImmediateListen>)._listen2 === "function";
}

/**
 * A server listening on `host`:`port` (an IP address; port 0 picks a free one),
 * bound before this returns, with `onConnection` for its sockets; or null when
 * the address cannot be bound (in use, not on this host, ...). IPv6 addresses
 * listen on IPv6 only, as Redis' listeners do.
 */
export function listenNow(
  host: string,
  port: number,
  backlog: number,
  onConnection: (socket: net.Socket) => void,
): net.Server | null {
  const server = net.createServer({ noDelay: true, pauseOnConnect: false }, onConnection);
  let failed = false;
  server.on("error", () => {
    failed = true;
  });
  const ipv6 = host.includes(":");
  (server as unknown as ImmediateListen)._listen2(host, port, ipv6 ? 6 : 4, backlog, -1, ipv6 ? 1 : 0);
  if (!server.listening || failed) {
    server.close();
    return null;
  }
  return server;
}
