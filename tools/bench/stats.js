'use strict';
/** Small helpers for printing benchmark figures measured over several rounds. */

/** `a–b` over the values (one value: itself), with `digits` decimals. */
function range(values, digits = 2) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return 'n/a';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
}

function median(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Prints a markdown table: `rows` are arrays of cells, the first row the header. */
function table(rows, alignRight = []) {
  const [head, ...body] = rows;
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (alignRight.includes(i) ? '---:' : '---')).join('|')}|`);
  for (const r of body) console.log(`| ${r.join(' | ')} |`);
}

module.exports = { range, median, table };
