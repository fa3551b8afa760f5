/**
 * IP addresses and networks for `@ipMatch`, `@ipMatchFromFile` and `@rbl`, parsed as strictly as
 * `inet_pton` (what ModSecurity uses): dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 text (with
 * `::` and an optional dotted IPv4 tail).
 */

export interface IpAddress {
  version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

export function parseIPv6(s: string): Uint8Array | undefined {
  if (s.length === 0 || s.length > 45) return undefined;
  let tail: Uint8Array | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > lastColon) {
    tail = parseIPv4(s.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    // The dotted tail stands for the last two groups.
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] as string);
  const rest = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === undefined || rest === undefined) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

/** ModSecurity's choice: text with a `:` is IPv6, anything else IPv4. */
export function parseIp(s: string): IpAddress | undefined {
  if (s.includes(':')) {
    const bytes = parseIPv6(s);
    return bytes && { version: 6, bytes };
  }
  const bytes = parseIPv4(s);
  return bytes && { version: 4, bytes };
}

interface TrieNode {
  zero?: TrieNode;
  one?: TrieNode;
  end: boolean;
}

/** A set of IPv4 and IPv6 networks with lookups in at most 32 / 128 steps. */
export class IpSet {
  private readonly v4: TrieNode = { end: false };
  private readonly v6: TrieNode = { end: false };
  size = 0;

  /**
   * Adds `1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32`... Returns an error message for a malformed entry.
   */
  add(entry: string): string | undefined {
    const slash = entry.indexOf('/');
    const addrText = slash < 0 ? entry : entry.slice(0, slash);
    const addr = parseIp(addrText);
    if (addr === undefined) return `"${entry}" is not an IPv4 or IPv6 address or network`;
    const maxBits = addr.version === 4 ? 32 : 128;
    let bits = maxBits;
    if (slash >= 0) {
      const maskText = entry.slice(slash + 1);
      if (!/^[0-9]{1,3}$/.test(maskText) || Number(maskText) > maxBits) {
        return `"${entry}": the prefix length must be 0-${maxBits}`;
      }
      bits = Number(maskText);
    }
    let node = addr.version === 4 ? this.v4 : this.v6;
    for (let i = 0; i < bits && !node.end; i++) {
      const bit = ((addr.bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
      const key = bit === 1 ? 'one' : 'zero';
      node = node[key] ?? (node[key] = { end: false });
    }
    node.end = true;
    this.size++;
    return undefined;
  }

  has(text: string): boolean {
    const addr = parseIp(text);
    if (addr === undefined) return false;
    let node: TrieNode | undefined = addr.version === 4 ? this.v4 : this.v6;
    const bits = addr.version === 4 ? 32 : 128;
    for (let i = 0; node !== undefined; i++) {
      if (node.end) return true;
      if (i === bits) return false;
      const bit = ((addr.bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
      node = bit === 1 ? node.one : node.zero;
    }
    return false;
  }
}
