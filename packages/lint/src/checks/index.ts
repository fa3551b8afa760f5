import type { Check, Profile } from '../types';
import { actionValue } from './action-value';
import { argsNamesJsonPrefix } from './args-names-json-prefix';
import { captureMissing } from './capture-missing';
import { chainStarterOnly } from './chain-starter-only';
import { crsActionOrder } from './crs-action-order';
import { crsApprovedTags } from './crs-approved-tags';
import { crsExplicitOperator } from './crs-explicit-operator';
import { crsFormatting } from './crs-formatting';
import { crsIdRange } from './crs-id-range';
import { crsLowercaseIgnorecase } from './crs-lowercase-ignorecase';
import { crsNameCase } from './crs-name-case';
import { crsNegatedCookies } from './crs-negated-cookies';
import { crsParanoiaLevel } from './crs-paranoia-level';
import { crsPassNolog } from './crs-pass-nolog';
import { crsRequiredTags } from './crs-required-tags';
import { crsRuleTests } from './crs-rule-tests';
import { crsSetupVersion } from './crs-setup-version';
import { crsTxUsage } from './crs-tx-usage';
import { crsVersion } from './crs-version';
import { danglingChain } from './dangling-chain';
import { defaultAction } from './default-action';
import { deprecated } from './deprecated';
import { disruptiveInChain } from './disruptive-in-chain';
import { duplicateId } from './duplicate-id';
import { engineLoad } from './engine-load';
import { invalidCtlValue } from './invalid-ctl-value';
import { invalidSetting } from './invalid-setting';
import { lateTNone } from './late-t-none';
import { missingDataFile } from './missing-data-file';
import { missingId } from './missing-id';
import { missingPhase } from './missing-phase';
import { operatorArgument } from './operator-argument';
import { regexDialect } from './regex-dialect';
import { regexRe2 } from './regex-re2';
import { selectorNotAllowed } from './selector-not-allowed';
import { skipAfterTarget } from './skip-after-target';
import { unknownAction } from './unknown-action';
import { unknownCtlOption } from './unknown-ctl-option';
import { unknownDirective } from './unknown-directive';
import { unknownOperator } from './unknown-operator';
import { unknownRuleId } from './unknown-rule-id';
import { unknownTransformation } from './unknown-transformation';
import { unknownVariable } from './unknown-variable';
import { unreachableDisruptive } from './unreachable-disruptive';
import { variablePhase } from './variable-phase';
import { createIgnoreCommentCheck } from './ignore-comment';
import { createSyntaxCheck } from './syntax';

/** Checks other than `syntax` and `ignore-comment`, sorted by name. */
const walking: readonly Check[] = [
  actionValue,
  argsNamesJsonPrefix,
  captureMissing,
  chainStarterOnly,
  crsActionOrder,
  crsApprovedTags,
  crsExplicitOperator,
  crsFormatting,
  crsIdRange,
  crsLowercaseIgnorecase,
  crsNameCase,
  crsNegatedCookies,
  crsParanoiaLevel,
  crsPassNolog,
  crsRequiredTags,
  crsRuleTests,
  crsSetupVersion,
  crsTxUsage,
  crsVersion,
  danglingChain,
  defaultAction,
  deprecated,
  disruptiveInChain,
  duplicateId,
  engineLoad,
  invalidCtlValue,
  invalidSetting,
  lateTNone,
  missingDataFile,
  missingId,
  missingPhase,
  operatorArgument,
  regexDialect,
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
  unreachableDisruptive,
  variablePhase,
];

const owned = new Set(walking.flatMap((c) => c.meta.parserCodes ?? []));

/** `syntax` reports every parser diagnostic that no other check claims. */
export const syntax: Check = createSyntaxCheck(owned);

/** `ignore-comment` knows every check's name. */
export const ignoreComment: Check = createIgnoreCommentCheck(() => new Set(builtinChecks.map((c) => c.name)));

/** Every built-in check, sorted by name. */
export const builtinChecks: readonly Check[] = [...walking, syntax, ignoreComment].sort((a, b) => (a.name < b.name ? -1 : 1));

/** Whether a check runs under a profile (checks that name no profile run under every one). */
export function inProfile(check: Check, profile: Profile): boolean {
  return check.meta.profiles === undefined || check.meta.profiles.includes(profile);
}

/** The built-in checks a profile runs. */
export function checksForProfile(profile: Profile): readonly Check[] {
  return builtinChecks.filter((c) => inProfile(c, profile));
}

export {
  actionValue,
  argsNamesJsonPrefix,
  captureMissing,
  chainStarterOnly,
  crsActionOrder,
  crsApprovedTags,
  crsExplicitOperator,
  crsFormatting,
  crsIdRange,
  crsLowercaseIgnorecase,
  crsNameCase,
  crsNegatedCookies,
  crsParanoiaLevel,
  crsPassNolog,
  crsRequiredTags,
  crsRuleTests,
  crsSetupVersion,
  crsTxUsage,
  crsVersion,
  danglingChain,
  defaultAction,
  deprecated,
  disruptiveInChain,
  duplicateId,
  engineLoad,
  invalidCtlValue,
  invalidSetting,
  lateTNone,
  missingDataFile,
  missingId,
  missingPhase,
  operatorArgument,
  regexDialect,
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
  unreachableDisruptive,
  variablePhase,
};
