import type { IdRange } from '@rampart/seclang';

/** `920540`, `1-999999`, `100 200-300` or `100,200` into inclusive ranges; throws on anything else. */
export function parseIdRanges(text: string): IdRange[] {
  const out: IdRange[] = [];
  for (const part of text.split(/[\s,]+/).filter((p) => p.length > 0)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`expected a rule id or id range (e.g. 920540 or 1-999999), got '${part}'`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`id range '${part}' ends before it starts`);
    out.push({ from, to });
  }
  if (out.length === 0) throw new Error('expected at least one rule id');
  return out;
}
