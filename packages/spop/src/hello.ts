import { MIN_MAX_FRAME_SIZE } from './frame-codec';
import { kvGet } from './kv-list';
import { SpopError } from './spop-error';
import { SpopStatus } from './status';
import type { SpopKv, SpopValue } from './types';

/** The only SPOP version HAProxy 2.6 and 3.x accept from an agent. */
export const SPOP_VERSION = '2.0';

/** Capabilities this package implements (`async` and `fragmentation` are not, and are refused). */
export const SUPPORTED_CAPABILITIES: readonly string[] = ['pipelining'];

/** What the HAPROXY-HELLO said and what the AGENT-HELLO answers. */
export interface HelloResult {
  version: string;
  /** min(ours, HAProxy's): the limit for every later frame, both ways. */
  maxFrameSize: number;
  /** Capabilities announced in the AGENT-HELLO: ours that HAProxy also offered. */
  capabilities: string[];
  /** HAProxy's offer, e.g. `['pipelining', 'async']` on 2.6, `['pipelining']` on 3.x. */
  haproxyCapabilities: string[];
  haproxyMaxFrameSize: number;
  /** True on an `option spop-check` connection: answer, then close. */
  healthcheck: boolean;
  engineId: string | undefined;
}

function intValue(v: SpopValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'int32':
    case 'uint32':
      return v.value;
    case 'int64':
    case 'uint64':
      return v.value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v.value);
    default:
      return undefined;
  }
}

function stringValue(v: SpopValue | undefined): string | undefined {
  return v !== undefined && v.type === 'string' ? v.value : undefined;
}

/** Comma list, spaces ignored, empty items dropped (HAProxy's own parsing). */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

function supportsVersion(list: string[], wanted: string): boolean {
  const [wMaj, wMin] = wanted.split('.').map(Number);
  return list.some((v) => {
    const m = /^(\d+)\.(\d+)$/.exec(v);
    return m !== null && Number(m[1]) === wMaj && Number(m[2]) === wMin;
  });
}

/**
 * Checks a HAPROXY-HELLO and computes the answer. Keys may come in any order; unknown keys are ignored.
 * Throws `SpopError` 5 (no supported-versions), 8 (no "2.0" in it), 6 (no integer max-frame-size),
 * 9 (HAProxy's max-frame-size < 256), 7 (no capabilities string).
 */
export function negotiateHello(
  kv: readonly SpopKv[],
  ours: { maxFrameSize: number; capabilities: readonly string[] },
): HelloResult {
  const versions = stringValue(kvGet(kv, 'supported-versions'));
  if (versions === undefined) throw new SpopError(SpopStatus.NoVersion);
  if (!supportsVersion(splitList(versions), SPOP_VERSION)) {
    throw new SpopError(SpopStatus.BadVersion, `HAProxy offers "${versions}", agent speaks ${SPOP_VERSION}`);
  }
  const theirMax = intValue(kvGet(kv, 'max-frame-size'));
  if (theirMax === undefined) throw new SpopError(SpopStatus.NoFrameSize);
  if (theirMax < MIN_MAX_FRAME_SIZE) throw new SpopError(SpopStatus.BadFrameSize, `HAProxy offers ${theirMax}`);
  const caps = stringValue(kvGet(kv, 'capabilities'));
  if (caps === undefined) throw new SpopError(SpopStatus.NoCapabilities);
  const offered = splitList(caps);
  const hc = kvGet(kv, 'healthcheck');
  return {
    version: SPOP_VERSION,
    maxFrameSize: Math.min(ours.maxFrameSize, theirMax),
    capabilities: ours.capabilities.filter((c) => offered.includes(c)),
    haproxyCapabilities: offered,
    haproxyMaxFrameSize: theirMax,
    healthcheck: hc !== undefined && hc.type === 'bool' && hc.value,
    engineId: stringValue(kvGet(kv, 'engine-id')),
  };
}
