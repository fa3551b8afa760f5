import { FrameCursor } from './frame-cursor';
import type { FrameWriter } from './frame-writer';
import { readTypedValue, writeTypedValue } from './typed-data';
import type { SpopKv, SpopValue } from './types';

/** Decodes a KV-LIST (HELLO / DISCONNECT payload): `*( <bare name> <typed value> )` to the end of the payload. */
export function decodeKvList(payload: Buffer): SpopKv[] {
  const c = new FrameCursor(payload);
  const out: SpopKv[] = [];
  while (!c.atEnd()) {
    const name = c.name();
    out.push({ name, value: readTypedValue(c) });
  }
  return out;
}

export function writeKvList(w: FrameWriter, kv: Iterable<SpopKv>): void {
  for (const { name, value } of kv) {
    w.latin1(name);
    writeTypedValue(w, value);
  }
}

/** The value of the first entry called `name` (names are compared exactly, as HAProxy does). */
export function kvGet(kv: readonly SpopKv[], name: string): SpopValue | undefined {
  for (const e of kv) if (e.name === name) return e.value;
  return undefined;
}
