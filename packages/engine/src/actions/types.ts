import type { ActionNode } from '@rampart/seclang';
import type { CompiledRule } from '../rules/compiled-rule';
import type { TransformationDefinition } from '../transformations/types';
import type { Expandable } from '../operators/types';
import type { MacroString } from '@rampart/seclang';

/** What an action needs from the compiler. */
export interface ActionCompileContext {
  macro(text: MacroString): Expandable;
  findTransformation(name: string): TransformationDefinition | undefined;
  /** Compiles a regex (selector or pattern) with the engine's flags; throws a clear error when invalid. */
  compileRegex(pattern: string): import('../rules/targets').KeyRegex;
  /** Whether this rule is the first of its chain (disruptive and flow actions belong there). */
  isChainHead: boolean;
  warn(message: string): void;
  /** The WAF-wide settings ctl values are validated against. */
  options: { allowExec: boolean };
}

/**
 * An action of an action list. `apply` runs once at load time on the rule being compiled: metadata
 * actions set fields, run-time actions add closures to `perMatchActions` / `afterMatchActions`.
 * It may throw a RuleCompileError; the closures it adds never throw.
 */
export interface ActionDefinition {
  /** Canonical name as in the catalog, e.g. `skipAfter`. */
  name: string;
  aliases?: readonly string[];
  apply(node: ActionNode, rule: CompiledRule, ctx: ActionCompileContext): void;
}

export function defineAction(def: ActionDefinition): ActionDefinition {
  return def;
}

/** The action's value, or a compile error naming the action when it is missing. */
export function requireValue(node: ActionNode): string {
  if (node.value === undefined || node.value === '') {
    throw new Error(`action '${node.rawName}' needs a value (${node.rawName}:...)`);
  }
  return node.value;
}
