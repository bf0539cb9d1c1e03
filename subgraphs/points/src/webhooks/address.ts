/**
 * Where the bank will not post a merchant's notifications: addresses inside
 * a network rather than on the internet (loopback, private ranges, link-local
 * — where cloud metadata services answer — carrier-grade NAT, multicast and
 * the like). A merchant's endpoint is a URL an outsider chooses; without this
 * check, registering `https://10.0.0.5/…` or a name resolving there would
 * turn the delivery worker into a way to reach the bank's own network.
 * Loopback is let through only where the bank allows plain http to this
 * machine (development and tests, POINTS_WEBHOOK_ALLOW_INSECURE).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(network, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it is. */
function plain(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  const version = isIP(bare);
  return version === 0 ? null : { address: bare, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether the bank may post to this IP address: not an internal one, unless it is loopback and `allowLoopback`. */
export function isPublicAddress(address: string, allowLoopback: boolean): boolean {
  const ip = plain(address);
  if (!ip) return false;
  if (allowLoopback && loopback.check(ip.address, ip.family)) return true;
  return !internal.check(ip.address, ip.family);
}

/** For a URL's host written as an IP address: whether it is one the bank will not post to. Names are judged when resolved. */
export function isInternalLiteral(hostname: string, allowLoopback: boolean): boolean {
  if (/^localhost\.?$/i.test(hostname)) return !allowLoopback;
  return plain(hostname) !== null && !isPublicAddress(hostname, allowLoopback);
}

/**
 * Why the bank will not post to `url`'s host now, or null when it may: the
 * name is resolved before each attempt, and every address it resolves to
 * must be public, so a name pointed at an internal address after it was
 * registered is caught too.
 */
export async function hostProblem(url: string, allowLoopback: boolean): Promise<string | null> {
  const { hostname } = new URL(url);
  if (plain(hostname)) return isPublicAddress(hostname, allowLoopback) ? null : 'the endpoint is an internal address';
  if (/^localhost\.?$/i.test(hostname)) return allowLoopback ? null : 'the endpoint is an internal address';
  let addresses: { address: string }[];
  try {
    addresses = await lookup(hostname, { all: true, verbatim: true });
  } catch (error) {
    return `the endpoint's name does not resolve (${(error as { code?: string }).code ?? 'error'})`;
  }
  return addresses.every((entry) => isPublicAddress(entry.address, allowLoopback)) ? null : 'the endpoint resolves to an internal address';
}
