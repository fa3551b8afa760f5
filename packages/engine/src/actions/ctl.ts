import type { CtlSpec } from '@rampart/seclang';
import { defineAction } from './types';
import type { ActionCompileContext } from './types';
import type { CompiledRule } from '../rules/compiled-rule';
import type { Transaction } from '../transaction';
import { compileTargets } from '../rules/targets';
import { parseIdRanges } from '../rules/id-ranges';
import { traceOf } from '../trace/sink';

type Apply = (tx: Transaction) => void;

const onOff = (value: string, option: string): boolean => {
  const v = value.toLowerCase();
  if (v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new Error(`ctl:${option} takes On or Off, got '${value}'`);
};

const integer = (value: string, option: string): number => {
  if (!/^\d+$/.test(value)) throw new Error(`ctl:${option} takes a number of bytes, got '${value}'`);
  return Number(value);
};

const PROCESSORS = ['URLENCODED', 'MULTIPART', 'JSON', 'XML'];

function compileCtl(spec: CtlSpec, ctx: ActionCompileContext): Apply {
  const value = spec.value;
  const option = spec.option;
  switch (option) {
    case 'ruleEngine': {
      const mode = ({ on: 'On', off: 'Off', detectiononly: 'DetectionOnly' } as const)[value.toLowerCase() as 'on'];
      if (!mode) throw new Error(`ctl:ruleEngine takes On, Off or DetectionOnly, got '${value}'`);
      return (tx) => {
        tx.settings.ruleEngine = mode;
      };
    }
    case 'ruleRemoveById': {
      const ranges = parseIdRanges(value);
      return (tx) => {
        tx.removedRuleIds.push(...ranges);
      };
    }
    case 'ruleRemoveByTag':
      return (tx) => {
        tx.removedRuleTags.push(value);
      };
    case 'ruleRemoveByMsg':
      return (tx) => {
        tx.removedRuleMsgs.push(value);
      };
    case 'ruleRemoveTargetById':
    case 'ruleRemoveTargetByTag':
    case 'ruleRemoveTargetByMsg': {
      if (!spec.target) throw new Error(`ctl:${option} needs '<selector>;<TARGET>', got '${value}'`);
      const { targets, exclusions } = compileTargets(spec.target.variables, ctx.compileRegex);
      const removed = [...targets.map((t) => ({ variable: t.variable, selector: t.selector })), ...exclusions];
      const sel = spec.target.selector;
      let appliesTo: (rule: CompiledRule) => boolean;
      if (option === 'ruleRemoveTargetById') {
        const ranges = parseIdRanges(sel);
        appliesTo = (rule) => ranges.some((r) => rule.id >= r.from && rule.id <= r.to);
      } else if (option === 'ruleRemoveTargetByTag') {
        appliesTo = (rule) => rule.tags.includes(sel);
      } else {
        appliesTo = (rule) => rule.msg?.constant === sel;
      }
      return (tx) => {
        for (const r of removed) tx.targetExclusions.push({ appliesTo, variable: r.variable, selector: r.selector });
      };
    }
    case 'auditEngine': {
      const mode = ({ on: 'On', off: 'Off', relevantonly: 'RelevantOnly' } as const)[value.toLowerCase() as 'on'];
      if (!mode) throw new Error(`ctl:auditEngine takes On, Off or RelevantOnly, got '${value}'`);
      return (tx) => {
        tx.settings.auditEngine = mode;
      };
    }
    case 'auditLogParts': {
      if (!/^[+-]?[A-KZ]+$/.test(value)) throw new Error(`ctl:auditLogParts takes parts A-K and Z, optionally with + or -, got '${value}'`);
      return (tx) => {
        const cur = tx.settings.auditLogParts;
        if (value.startsWith('+')) tx.settings.auditLogParts = cur + [...value.slice(1)].filter((p) => !cur.includes(p)).join('');
        else if (value.startsWith('-')) tx.settings.auditLogParts = [...cur].filter((p) => !value.includes(p)).join('');
        else tx.settings.auditLogParts = value;
      };
    }
    case 'debugLogLevel': {
      const n = Number(value);
      if (!/^\d$/.test(value)) throw new Error(`ctl:debugLogLevel takes 0-9, got '${value}'`);
      return (tx) => {
        tx.settings.debugLogLevel = n;
      };
    }
    case 'requestBodyAccess': {
      const on = onOff(value, option);
      return (tx) => {
        tx.settings.requestBodyAccess = on;
      };
    }
    case 'requestBodyLimit': {
      const n = integer(value, option);
      return (tx) => {
        tx.settings.requestBodyLimit = n;
      };
    }
    case 'responseBodyAccess': {
      const on = onOff(value, option);
      return (tx) => {
        tx.settings.responseBodyAccess = on;
      };
    }
    case 'responseBodyLimit': {
      const n = integer(value, option);
      return (tx) => {
        tx.settings.responseBodyLimit = n;
      };
    }
    case 'forceRequestBodyVariable': {
      const on = onOff(value, option);
      return (tx) => {
        tx.settings.forceRequestBodyVariable = on;
      };
    }
    case 'requestBodyProcessor': {
      const p = value.toUpperCase();
      if (!PROCESSORS.includes(p)) throw new Error(`ctl:requestBodyProcessor takes ${PROCESSORS.join(', ')}, got '${value}'`);
      return (tx) => {
        tx.settings.requestBodyProcessor = p;
        tx.vars.set('REQBODY_PROCESSOR', p);
      };
    }
    case 'hashEngine':
    case 'hashEnforcement':
      throw new Error(`ctl:${option} is not supported: the HMAC token feature of ModSecurity v2 is not implemented (ModSecurity v3 refuses it too)`);
    case 'responseBodyProcessor':
    case 'forceResponseBodyVariable':
      throw new Error(`ctl:${option} is not supported: response body processors (a Coraza extension) are not implemented`);
    default:
      throw new Error(`unknown ctl option '${spec.rawOption}'`);
  }
}

/**
 * Changes configuration for the current transaction only: rule engine, removals of rules or targets,
 * body processing, audit logging.
 * @example SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
 */
export const ctl = defineAction({
  name: 'ctl',
  apply(node, rule, ctx) {
    if (!node.ctl) throw new Error(`ctl needs option=value, got '${node.value ?? ''}'`);
    const change = compileCtl(node.ctl, ctx);
    const { option, value } = node.ctl;
    rule.afterMatchActions.push((tx, current) => {
      change(tx);
      traceOf(tx)?.event({ kind: 'ctl', rule: current, name: option, value }, tx);
    });
  },
});
