import { actions } from './actions';
import { ctlOptions } from './ctl-options';
import { directives } from './directives';
import { operators } from './operators';
import { transformations } from './transformations';
import type { ActionInfo, CtlOptionInfo, DirectiveInfo, OperatorInfo, TransformationInfo, VariableInfo } from './types';
import { variables } from './variables';

export * from './types';
export { actions, ctlOptions, directives, operators, transformations, variables };

/** A case-insensitive index over names and aliases; refuses duplicates instead of overwriting. */
function indexByName<T extends { name: string; aliases?: string[] }>(table: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const entry of table) {
    for (const n of [entry.name, ...(entry.aliases ?? [])]) {
      const key = n.toLowerCase();
      if (map.has(key)) throw new Error(`catalog: duplicate ${what} name '${n}'`);
      map.set(key, entry);
    }
  }
  return map;
}

const directiveIndex = indexByName(directives, 'directive');
const operatorIndex = indexByName(operators, 'operator');
const transformationIndex = indexByName(transformations, 'transformation');
const actionIndex = indexByName(actions, 'action');
const ctlIndex = indexByName(ctlOptions, 'ctl option');
const variableIndex = indexByName(variables, 'variable');

export const findDirective = (name: string): DirectiveInfo | undefined => directiveIndex.get(name.toLowerCase());
export const findOperator = (name: string): OperatorInfo | undefined => operatorIndex.get(name.toLowerCase());
export const findTransformation = (name: string): TransformationInfo | undefined =>
  transformationIndex.get(name.toLowerCase());
export const findAction = (name: string): ActionInfo | undefined => actionIndex.get(name.toLowerCase());
export const findCtlOption = (name: string): CtlOptionInfo | undefined => ctlIndex.get(name.toLowerCase());
export const findVariable = (name: string): VariableInfo | undefined => variableIndex.get(name.toLowerCase());
