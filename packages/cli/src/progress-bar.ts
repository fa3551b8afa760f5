import { SingleBar } from 'cli-progress';
import type { CliIo } from './io';

/** What a long command reports as it goes: bytes read of a total, and what it has found so far. */
export interface ProgressSample {
  done: number;
  total: number;
  /** Shown after the bar, e.g. `12,345 transactions`. */
  detail: string;
}

export interface ProgressBar {
  update(p: ProgressSample): void;
  stop(): void;
}

const MB = 1024 * 1024;

/**
 * A progress bar on the command's stderr (cli-progress), in megabytes with the time left; nothing is written
 * unless `draw` (see `wantProgress`).
 */
export function progressBar(io: CliIo, label: string, draw: boolean): ProgressBar {
  if (!draw) return { update: () => undefined, stop: () => undefined };
  // cli-progress draws through readline's cursor functions, which only need `write`.
  const stream = { write: (s: string) => (io.stderr(s), true), isTTY: true, columns: 100 } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {doneMb}/{totalMb} MB | {detail} | {eta_formatted} left`,
      barsize: 30,
      hideCursor: false,
      fps: 10,
      etaBuffer: 50,
      barCompleteChar: '=',
      barIncompleteChar: ' ',
    },
  );
  let started = false;
  return {
    update(p) {
      const payload = { doneMb: (p.done / MB).toFixed(1), totalMb: (p.total / MB).toFixed(1), detail: p.detail };
      if (!started) {
        bar.start(Math.max(1, p.total), p.done, payload);
        started = true;
      } else bar.update(p.done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** `--progress` draws the bar, `--no-progress` never; by default it is drawn when stderr is a terminal. */
export function wantProgress(io: CliIo, options: ReadonlyMap<string, string | true>): boolean {
  if (options.has('no-progress')) return false;
  return options.has('progress') || io.stderrIsTTY === true;
}
