/**
 * Shared material for the prefilter's differential tests: CRS's constant `@rx` patterns (read from the compiled
 * rule set, so exactly what the engine hands RE2), the values of CRS's regression tests, and a seeded random
 * source so that sampled runs are reproducible.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createWaf, type Waf } from '../../src';
import type { CompiledRule } from '../../src/rules/compiled-rule';

export const SHARED = path.resolve(__dirname, '../../../../../shared');
const REPO = path.resolve(__dirname, '../../../..');

/** CRS 4 with every paranoia level's rules active (all rules are compiled whatever the level). */
export function crsWaf(options: { regexPrefilter?: boolean; regexSets?: boolean } = {}): Waf {
  return createWaf({
    directives: [
      'SecRuleEngine On',
      'SecRequestBodyAccess On',
      'SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=JSON"',
      `Include ${SHARED}/crs4/crs-setup.conf.example`,
      'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4,setvar:tx.detection_paranoia_level=4"',
      `Include ${SHARED}/crs4/rules/*.conf`,
    ].join('\n'),
    ...options,
    onWarning: () => undefined,
  });
}

/** Every distinct constant, non-empty `@rx` pattern of the WAF's rules (chain members included), as written. */
export function rxPatterns(waf: Waf): string[] {
  const out = new Set<string>();
  const visit = (rule: CompiledRule): void => {
    const op = rule.operator;
    if (op.name === 'rx' && op.patternConstant !== undefined && op.patternConstant !== '') out.add(op.patternConstant);
    if (rule.chained) visit(rule.chained);
  };
  for (let phase = 1; phase <= 5; phase++) for (const rule of waf.rulesForPhase(phase)) visit(rule);
  return [...out];
}

interface YamlModule {
  parseAllDocuments(text: string): Array<{ toJS(): unknown }>;
}

/**
 * The engine package does not depend on a YAML parser; the conformance package does (`yaml`), and its copy is
 * borrowed here rather than adding a dependency.
 */
function yaml(): YamlModule {
  return createRequire(path.join(REPO, 'conformance/package.json'))('yaml') as YamlModule;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** The text as the engine sees it: UTF-8 bytes, one latin1 character each. */
export function asBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * The request text of every CRS regression test: URIs, bodies, header values, and raw encoded requests,
 * as bytes (latin1 strings).
 */
export function crsTestValues(): string[] {
  const parser = yaml();
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v !== '') out.add(asBytes(v));
    else if (typeof v === 'number') out.add(String(v));
  };
  const walk = (node: unknown, depth: number): void => {
    if (depth > 32 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) walk(x, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'uri' || k === 'data' || k === 'value') add(v);
      else if (k === 'encoded_request' && typeof v === 'string') out.add(Buffer.from(v, 'base64').toString('latin1'));
      else if (k === 'headers' && v !== null && typeof v === 'object' && !Array.isArray(v)) for (const h of Object.values(v)) add(h);
      else walk(v, depth + 1);
    }
  };
  for (const file of yamlFiles(path.join(SHARED, 'crs4/tests/regression/tests'))) {
    for (const doc of parser.parseAllDocuments(fs.readFileSync(file, 'utf8'))) walk(doc.toJS(), 0);
  }
  return [...out];
}

/** Percent-decoding to bytes (invalid escapes kept), `+` as space when asked. */
export function urlDecode(s: string, plusAsSpace: boolean): string {
  const t = plusAsSpace ? s.replace(/\+/g, ' ') : s;
  return t.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Mulberry32: small, fast, and the same sequence for the same seed on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
