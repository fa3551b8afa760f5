import type { Check } from '../types';
import { actionValue } from './action-value';
import { chainStarterOnly } from './chain-starter-only';
import { danglingChain } from './dangling-chain';
import { defaultAction } from './default-action';
import { disruptiveInChain } from './disruptive-in-chain';
import { duplicateId } from './duplicate-id';
import { invalidCtlValue } from './invalid-ctl-value';
import { invalidSetting } from './invalid-setting';
import { missingDataFile } from './missing-data-file';
import { missingId } from './missing-id';
import { missingPhase } from './missing-phase';
import { regexRe2 } from './regex-re2';
import { selectorNotAllowed } from './selector-not-allowed';
import { skipAfterTarget } from './skip-after-target';
import { createSyntaxCheck } from './syntax';
import { unknownAction } from './unknown-action';
import { unknownCtlOption } from './unknown-ctl-option';
import { unknownDirective } from './unknown-directive';
import { unknownOperator } from './unknown-operator';
import { unknownRuleId } from './unknown-rule-id';
import { unknownTransformation } from './unknown-transformation';
import { unknownVariable } from './unknown-variable';
import { variablePhase } from './variable-phase';

/** Checks other than `syntax`, sorted by name. */
const walking: readonly Check[] = [
  actionValue,
  chainStarterOnly,
  danglingChain,
  defaultAction,
  disruptiveInChain,
  duplicateId,
  invalidCtlValue,
  invalidSetting,
  missingDataFile,
  missingId,
  missingPhase,
  regexRe2,
  selectorNotAllowed,
  skipAfterTarget,
  unknownAction,
  unknownCtlOption,
  unknownDirective,
  unknownOperator,
  unknownRuleId,
  unknownTransformation,
  unknownVariable,
  variablePhase,
];

const owned = new Set(walking.flatMap((c) => c.meta.parserCodes ?? []));

/** `syntax` reports every parser diagnostic that no other check claims. */
export const syntax: Check = createSyntaxCheck(owned);

/** Every built-in check, sorted by name. */
export const builtinChecks: readonly Check[] = [...walking, syntax].sort((a, b) => (a.name < b.name ? -1 : 1));

export {
  actionValue,
  chainStarterOnly,
  danglingChain,
  defaultAction,
  disruptiveInChain,
  duplicateId,
  invalidCtlValue,
  invalidSetting,
  missingDataFile,
  missingId,
  missingPhase,
  regexRe2,
  selectorNotAllowed,
  skipAfterTarget,
  unknownAction,
  unknownCtlOption,
  unknownDirective,
  unknownOperator,
  unknownRuleId,
  unknownTransformation,
  unknownVariable,
  variablePhase,
};
