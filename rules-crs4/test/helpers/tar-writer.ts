import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** A test-only tar writer (ustar + PAX), so the reader is checked against archives we build byte by byte. */
export interface TarInput {
  readonly path: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'pax-global';
  readonly data?: Buffer;
  readonly linkTarget?: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, flag: string, opts: { prefix?: string; link?: string } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(0, 12), 136, 'latin1');
  h.write(flag, 156, 'latin1');
  if (opts.link) h.write(opts.link, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  if (opts.prefix) h.write(opts.prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

export function writeTar(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'pax-global') {
      const data = Buffer.from(paxRecord('comment', '55b09f5acfd16413e7b31041100711ceb7adc89c'), 'utf8');
      blocks.push(header('pax_global_header', data.length, 'g'), pad(data));
      continue;
    }
    const data = type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const flag = type === 'file' ? '0' : type === 'directory' ? '5' : '2';
    let name = e.path;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 155);
      if (cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100) {
        prefix = name.slice(0, cut);
        name = name.slice(cut + 1);
      } else {
        const pax = Buffer.from(paxRecord('path', e.path), 'utf8');
        blocks.push(header('PaxHeader', pax.length, 'x'), pad(pax));
        name = e.path.slice(0, 100);
      }
    }
    blocks.push(header(name, data.length, flag, { prefix, ...(e.linkTarget ? { link: e.linkTarget } : {}) }), pad(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function walk(dir: string, rel: string, out: TarInput[], top: string): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const relPath = rel === '' ? name : `${rel}/${name}`;
    if (statSync(full).isDirectory()) {
      out.push({ path: `${top}/${relPath}/`, type: 'directory' });
      walk(full, relPath, out, top);
    } else {
      out.push({ path: `${top}/${relPath}`, data: readFileSync(full) });
    }
  }
}

/** The shape of GitHub's tag archive: a PAX global header, then everything under `coreruleset-<v>/`. */
export function githubStyleArchive(srcDir: string, top = 'coreruleset-4.28.0', mutate?: (e: TarInput[]) => TarInput[]): Buffer {
  let entries: TarInput[] = [{ path: '', type: 'pax-global' }, { path: `${top}/`, type: 'directory' }];
  walk(srcDir, '', entries, top);
  if (mutate) entries = mutate(entries);
  return gzipSync(writeTar(entries));
}
