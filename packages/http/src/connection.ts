import type { IncomingMessage } from 'node:http';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`, the form rules and @ipMatch lists use. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** REMOTE_ADDR/REMOTE_PORT: the given address (a framework's trusted-proxy view) or the socket's peer. */
export function clientOf(req: IncomingMessage, address: string | undefined): Endpoint {
  const socket = req.socket;
  return { address: plainAddress(address ?? socket?.remoteAddress), port: socket?.remotePort ?? 0 };
}

/** SERVER_ADDR/SERVER_PORT: the local end of the connection. */
export function serverOf(req: IncomingMessage): Endpoint {
  const socket = req.socket;
  return { address: plainAddress(socket?.localAddress), port: socket?.localPort ?? 0 };
}
