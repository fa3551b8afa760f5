import { isIPv4, isIPv6 } from 'node:net';

/** Formats 4 bytes as a dotted quad. */
export function formatIpv4(buf: Uint8Array, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/**
 * Formats 16 bytes the way glibc's `inet_ntop` does, because that is what ModSecurity's REMOTE_ADDR shows
 * for spoa-modsecurity: lower-case hex, the longest run (>= 2) of zero groups as `::` (the first on a tie),
 * and a dotted tail for IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses.
 */
export function formatIpv6(buf: Uint8Array, offset: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((buf[offset + 2 * i] as number) << 8) | (buf[offset + 2 * i + 1] as number));
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else {
      curBase = -1;
      curLen = 0;
    }
  }
  if (bestLen < 2) bestBase = -1;
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
    return `${bestLen === 5 ? '::ffff:' : '::'}${formatIpv4(buf, offset + 12)}`;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += (words[i] as number).toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

/** Parses a dotted quad into `out` at `offset`. Throws a `TypeError` for anything else. */
export function parseIpv4(text: string, out: Buffer, offset: number): void {
  if (!isIPv4(text)) throw new TypeError(`not an IPv4 address: ${JSON.stringify(text)}`);
  const parts = text.split('.');
  for (let i = 0; i < 4; i++) out[offset + i] = Number(parts[i]);
}

/** Parses any textual IPv6 form (`::`, dotted IPv4 tail) into 16 bytes. Throws a `TypeError` otherwise. */
export function parseIpv6(text: string, out: Buffer, offset: number): void {
  if (!isIPv6(text)) throw new TypeError(`not an IPv6 address: ${JSON.stringify(text)}`);
  const zone = text.indexOf('%');
  const addr = zone === -1 ? text : text.slice(0, zone);
  const words: number[] = [];
  const toWords = (part: string): number[] => {
    if (part === '') return [];
    const res: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const v4 = group.split('.').map(Number);
        res.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        res.push(parseInt(group, 16));
      }
    }
    return res;
  };
  const gap = addr.indexOf('::');
  if (gap === -1) {
    words.push(...toWords(addr));
  } else {
    const head = toWords(addr.slice(0, gap));
    const tail = toWords(addr.slice(gap + 2));
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  }
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i] as number, offset + 2 * i);
}
