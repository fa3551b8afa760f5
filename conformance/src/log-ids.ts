/**
 * go-ftw's rule-id extraction from a WAF log line: first `[id "942100"]` (or JSON `"id":"942100"`), and only
 * when a line has none, the `{"id": ...}` / `"ruleId"` fallback.
 */
const PRIMARY = /\[(?:id |\\?"id\\?":)\\?"(\d+)\\?"\]/g;
const FALLBACK = /(?:\{|,)\s*"(?:id|ruleId)":\s*"?(\d+)"?/g;

export function idsInLine(line: string, custom?: RegExp): number[] {
  const collect = (re: RegExp): number[] => {
    const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
    const out: number[] = [];
    for (const m of line.matchAll(new RegExp(re.source, flags))) {
      if (m[1] !== undefined) out.push(Number(m[1]));
    }
    return out;
  };
  if (custom) return collect(custom);
  const primary = collect(PRIMARY);
  return primary.length > 0 ? primary : collect(FALLBACK);
}

/** The set of rule ids found in the marked lines, in first-seen order. */
export function triggeredIds(lines: readonly string[], custom?: RegExp): number[] {
  const seen = new Set<number>();
  for (const line of lines) for (const id of idsInLine(line, custom)) seen.add(id);
  return [...seen];
}
