/** Loopback addresses: the only ones the node may bind to until TLS and user authentication exist. */
import { isIP } from 'node:net';

export function isLoopbackAddress(address: string): boolean {
  const a = address.trim().toLowerCase();
  if (a === 'localhost' || a === '::1' || a === '[::1]') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice('::ffff:'.length) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** How a browser on this machine reaches an address: IPv6 literals in brackets. */
export function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}
