import type { ConfigAst } from '@rampart/seclang';
import { collectRules } from './context';
import { ruleId } from './checks/rule-id';

/** Counts for `--stats`, comparable with docs/seclang-crs4.md. */
export interface LintStats {
  /** Files read, Include targets included. */
  files: number;
  /** Directives, chained rules included (each is a directive of its own in the file). */
  directives: number;
  /** SecRule/SecAction that start a chain (or stand alone) and carry a valid id. */
  rulesWithId: number;
  /** Rules that are members of a chain, its first rule excluded. */
  chainedRules: number;
  /** `@rx` operators (negated, chained and implicit ones included). */
  rxPatterns: number;
}

export function computeStats(ast: ConfigAst): LintStats {
  const rules = collectRules(ast);
  const chainedRules = rules.filter((r) => r.position > 0).length;
  return {
    files: ast.files.length,
    directives: ast.directives.length + chainedRules,
    rulesWithId: rules.filter((r) => r.position === 0 && ruleId(r.rule) !== undefined).length,
    chainedRules,
    rxPatterns: rules.filter((r) => r.rule.kind === 'SecRule' && r.rule.operator.name === 'rx').length,
  };
}
