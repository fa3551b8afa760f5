import { FrameCursor } from './frame-cursor';
import type { FrameWriter } from './frame-writer';
import { readTypedValue, writeTypedValue } from './typed-data';
import type { SpopArg, SpopMessage } from './types';

/**
 * Decodes a NOTIFY payload: `*( <message name> <nb-args:1 byte> *( <arg name> <typed value> ) )`.
 * Throws `SpopError` status 4 when a message is truncated or a value has a reserved type.
 */
export function decodeMessages(payload: Buffer): SpopMessage[] {
  const c = new FrameCursor(payload);
  const out: SpopMessage[] = [];
  while (!c.atEnd()) {
    const name = c.name();
    const nbArgs = c.u8();
    const args: SpopArg[] = new Array<SpopArg>(nbArgs);
    for (let i = 0; i < nbArgs; i++) {
      const argName = c.name();
      args[i] = { name: argName, value: readTypedValue(c) };
    }
    out.push({ name, args });
  }
  return out;
}

export function writeMessages(w: FrameWriter, messages: readonly SpopMessage[]): void {
  for (const m of messages) {
    if (m.args.length > 255) throw new RangeError(`message ${m.name} has ${m.args.length} args (max 255)`);
    w.latin1(m.name).u8(m.args.length);
    for (const a of m.args) {
      w.latin1(a.name);
      writeTypedValue(w, a.value);
    }
  }
}
