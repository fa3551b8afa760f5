import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { ConformanceError } from './errors';
import type { StageObservation } from './judge';
import { sendRaw } from './raw-http-client';

export interface HttpTarget {
  readonly host: string;
  readonly port: number;
  /** The WAF's error log (ModSecurity format), read between the markers. */
  readonly logFile: string;
  readonly markerHeader?: string;
  readonly maxMarkerRetries?: number;
  readonly maxMarkerLogLines?: number;
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
}

export interface HttpStageResult {
  readonly observation: StageObservation;
  readonly logLines: string[];
}

/** At most this much of the log is read per stage (from where it ended before the start marker). */
const MAX_LOG_READ = 64 * 1024 * 1024;

function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function readFrom(file: string, offset: number): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  // A rotated/truncated log starts over.
  const start = size < offset ? 0 : offset;
  const length = Math.min(size - start, MAX_LOG_READ);
  if (length <= 0) return '';
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, start);
  } finally {
    closeSync(fd);
  }
  return buf.toString('latin1');
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

/**
 * go-ftw's log correlation: a marker request carries `X-CRS-Test: <stage>-s|e`; the WAF's marker rule logs it;
 * the lines strictly between the two marker lines belong to the stage.
 */
export class MarkerSession {
  private readonly header: string;

  constructor(private readonly target: HttpTarget) {
    this.header = target.markerHeader ?? 'X-CRS-Test';
  }

  markerRequest(marker: string): string {
    return ['GET /status/200 HTTP/1.1', 'Accept: */*', 'Host: localhost', 'User-Agent: go-ftw test agent', `${this.header}: ${marker}`, 'Connection: close', '', ''].join('\r\n');
  }

  /** Backwards from EOF: the first line naming the header decides, and it must carry this marker. */
  findMarker(lines: readonly string[], marker: string): number {
    const needle = this.header.toLowerCase();
    const limit = this.target.maxMarkerLogLines ?? 500;
    for (let i = lines.length - 1, n = 0; i >= 0 && n < limit; i--, n++) {
      const line = (lines[i] as string).toLowerCase();
      if (line.includes(needle)) return line.includes(marker.toLowerCase()) ? i : -1;
    }
    return -1;
  }

  private async mark(marker: string, offset: number): Promise<void> {
    const retries = this.target.maxMarkerRetries ?? 20;
    for (let attempt = 0; attempt < retries; attempt++) {
      const seen = await sendRaw(this.markerRequest(marker), this.target);
      if (seen.kind === 'error') {
        throw new ConformanceError('TARGET_UNREACHABLE', `marker request to ${this.target.host}:${this.target.port} failed: ${seen.message}`);
      }
      if (this.findMarker(splitLines(readFrom(this.target.logFile, offset)), marker) !== -1) return;
    }
    throw new ConformanceError('MARKER_NOT_FOUND', `can't find log marker ${marker} in ${this.target.logFile} (is it the WAF's error log, with the X-CRS-Test marker rule?)`);
  }

  /** Runs one stage: start marker, the request, end marker; returns what the client saw and the marked lines. */
  async runStage(stageName: string, requestBytes: string): Promise<HttpStageResult> {
    const stageId = `${stageName}-${randomUUID()}`;
    const offset = fileSize(this.target.logFile);
    await this.mark(`${stageId}-s`, offset);
    const observation = await sendRaw(requestBytes, this.target);
    await this.mark(`${stageId}-e`, offset);
    const lines = splitLines(readFrom(this.target.logFile, offset));
    const start = `${stageId}-s`.toLowerCase();
    const end = `${stageId}-e`.toLowerCase();
    let from = -1;
    let to = lines.length;
    for (let i = 0; i < lines.length; i++) {
      const l = (lines[i] as string).toLowerCase();
      if (l.includes(start)) from = i;
      else if (l.includes(end)) {
        to = i;
        break;
      }
    }
    return { observation, logLines: from === -1 ? [] : lines.slice(from + 1, to) };
  }
}
