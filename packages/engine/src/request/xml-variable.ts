import { evaluateXPath } from '../body/xpath';
import type { CompiledXPath } from '../body/xpath';
import type { CompiledRule } from '../rules/compiled-rule';
import type { Transaction } from '../transaction';

/** Values of `XML:<xpath>` for this transaction: none when no XML body was parsed. */
export function evaluateXPathForTx(tx: Transaction, rule: CompiledRule, xpath: CompiledXPath): string[] {
  if (tx.xmlDocument === undefined) return [];
  const ns = rule.xmlNamespaces.size > 0 || rule.head.xmlNamespaces.size > 0 ? new Map([...rule.head.xmlNamespaces, ...rule.xmlNamespaces]) : rule.xmlNamespaces;
  return evaluateXPath(tx.xmlDocument as Parameters<typeof evaluateXPath>[0], xpath, ns);
}
