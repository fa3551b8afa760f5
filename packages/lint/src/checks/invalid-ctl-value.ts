import { catalog } from '@rampart/seclang';
import type { Check } from '../types';
import { allActions } from '../walk';

const ENGINE_MODES: Readonly<Record<string, readonly string[]>> = {
  ruleengine: ['On', 'Off', 'DetectionOnly'],
  auditengine: ['On', 'Off', 'RelevantOnly'],
};
const PROCESSORS = ['URLENCODED', 'MULTIPART', 'XML', 'JSON', 'RAW'];

function oneOf(value: string, allowed: readonly string[]): string | undefined {
  return allowed.some((a) => a.toLowerCase() === value.toLowerCase()) ? undefined : `expected ${allowed.join(', ')}`;
}

/** Why the value of `ctl:option=value` is malformed, or undefined when it is fine. */
export function ctlValueProblem(info: catalog.CtlOptionInfo, value: string): string | undefined {
  switch (info.valueKind) {
    case 'on-off':
      return oneOf(value, ['On', 'Off']);
    case 'engine-mode':
      return oneOf(value, ENGINE_MODES[info.name.toLowerCase()] ?? ['On', 'Off']);
    case 'integer':
      return /^[0-9]+$/.test(value) ? undefined : 'expected a non-negative integer';
    case 'id-range':
      return /^[0-9]+(-[0-9]+)?$/.test(value) ? undefined : 'expected a rule id or an id range (N-M)';
    case 'processor':
      return oneOf(value, PROCESSORS);
    case 'target':
      return value.includes(';') ? undefined : "expected 'ID-OR-PATTERN;TARGET', e.g. 942100;ARGS:password";
    case 'parts':
      return /^[+-]?[A-Z]+$/.test(value) ? undefined : 'expected audit log part letters (A-Z), optionally after + or -';
    default:
      return value === '' ? 'expected a value' : undefined;
  }
}

/** `ctl:ruleEngine=Offf`, `ctl:requestBodyProcessor=YAML`, `ctl:ruleRemoveById=abc`: refused or ignored at run time. */
export const invalidCtlValue: Check = {
  name: 'invalid-ctl-value',
  meta: {
    severity: 'error',
    docs: 'A `ctl:` option with a malformed value (ctl:ruleEngine=Offf, ctl:requestBodyProcessor=YAML, ctl:ruleRemoveById=abc).',
    engineMessages: [/^ctl:/, /^expected a rule id/],
  },
  check(ctx) {
    for (const a of allActions(ctx.ast)) {
      if (a.ctl === undefined) continue;
      const info = catalog.findCtlOption(a.ctl.option);
      // A value with macros is only known at run time.
      if (info === undefined || a.ctl.value.includes('%{')) continue;
      const problem = ctlValueProblem(info, a.ctl.value.trim());
      if (problem !== undefined) ctx.report(a.loc, `ctl:${a.ctl.rawOption}=${a.ctl.value}: ${problem}`);
    }
  },
};
