import type { Progress } from './runner';

/** A one-line progress bar for a TTY, redrawn at most every 100 ms (and always at the end). */
export function progressBar(stream: NodeJS.WriteStream, width = 30): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done !== p.total && now - last < 100) return;
    last = now;
    const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}`;
    stream.write(`\r[${bar}] ${p.done}/${p.total}  ${p.passed} passed, ${p.failed} failed  ${p.id.padEnd(12)}`);
    if (p.done === p.total) stream.write('\n');
  };
}
