import * as path from 'node:path';
import { crsConfig, engineConfig, type LocatedCrs } from '@rampart/rules-crs4';
import type { CreateWafOptions, WafMode } from './options';

const ENGINE_MODE: Record<WafMode, string> = { block: 'On', detect: 'DetectionOnly', off: 'Off' };

/** Where the caller's own text sits in the assembled configuration (1-based first line, line count). */
export interface Placement {
  readonly name: 'before' | 'after';
  readonly firstLine: number;
  readonly lineCount: number;
}

export interface AssembledConfig {
  readonly text: string;
  readonly placements: readonly Placement[];
}

function linesOf(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * The configuration with the positions of `before` and `after` in it, so that load errors can point into them.
 * crsConfig's text ends with one `Include` per CRS rule file; `before` goes in front of the first of them, where
 * CRS's own REQUEST-900 exclusion file would be.
 */
export function assembleConfig(options: CreateWafOptions, crs: LocatedCrs | undefined): AssembledConfig {
  const mode = `SecRuleEngine ${ENGINE_MODE[options.mode ?? 'detect']}`;
  let head: string[];
  let rules: string[];
  if (crs === undefined) {
    head = linesOf(engineConfig());
    rules = [];
  } else {
    const paranoia = options.crs !== false ? (options.crs?.paranoia ?? 1) : 1;
    if (![1, 2, 3, 4].includes(paranoia)) throw new RangeError(`crs.paranoia must be 1, 2, 3 or 4 (got ${String(paranoia)})`);
    const config = crsConfig({ profile: `pl${paranoia}` as 'pl1' | 'pl2' | 'pl3' | 'pl4', crsDir: crs.dir });
    const lines = config.directives.split('\n');
    const rulesDir = path.join(crs.dir, 'rules').replace(/\\/g, '/');
    const firstRule = lines.findIndex((line) => /^\s*Include\s/i.test(line) && line.includes(rulesDir));
    if (firstRule === -1) throw new Error(`@rampart/waf: the CRS configuration includes no rule file from ${rulesDir}`);
    head = lines.slice(0, firstRule);
    rules = lines.slice(firstRule);
  }
  const before = linesOf(options.before);
  const after = linesOf(options.after);
  const all = [...head, mode, ...before, ...rules, ...after, ''];
  const beforeStart = head.length + 2;
  const afterStart = beforeStart + before.length + rules.length;
  return {
    text: all.join('\n'),
    placements: [
      { name: 'before', firstLine: beforeStart, lineCount: before.length },
      { name: 'after', firstLine: afterStart, lineCount: after.length },
    ],
  };
}

/**
 * The whole configuration: the recommended engine settings and crs-setup for the paranoia level (crsConfig of
 * @rampart/rules-crs4), `SecRuleEngine` for the mode, `before`, the CRS rule files, `after`.
 */
export function buildDirectives(options: CreateWafOptions, crs: LocatedCrs | undefined): string {
  return assembleConfig(options, crs).text;
}
