import { compileConfig, compileRelevantStatus, defaultSettings } from '@rampart/engine';
import type { ConfigAst } from '@rampart/seclang';
import type { EngineLoad, EngineProblem } from './types';

function messageOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
}

/**
 * Compiles the configuration as `createWaf` does when it loads it (regexes, operator arguments, actions,
 * settings, data files, SecAuditLogRelevantStatus), without building the run-time structures that only speed
 * up matching (regex sets, prefilters) and without opening logs. Lint then refuses what the engine refuses,
 * in the engine's words.
 */
export function loadWithEngine(ast: ConfigAst): EngineLoad {
  try {
    const settings = defaultSettings();
    const compiled = compileConfig(ast, settings, {
      // createWaf's defaults: PCRE-only regexes run in the fallback engine (with a warning), @inspectFile is refused.
      allowBacktrackingRegex: true,
      allowInspectFile: false,
      regexSets: false,
      regexPrefilter: false,
    });
    const errors: EngineProblem[] = [...compiled.errors];
    try {
      compileRelevantStatus(settings.auditLogRelevantStatus);
    } catch (e) {
      // createWaf reports this one without a location; the directive that set the pattern is where it comes from.
      const setting = [...ast.directives].reverse().find((d) => d.kind === 'Setting' && d.name === 'SecAuditLogRelevantStatus');
      errors.push({ message: `audit log: ${messageOf(e)}`, ...(setting === undefined ? {} : { loc: setting.loc }) });
    }
    return { errors, warnings: compiled.warnings };
  } catch (e) {
    // The compiler collects problems instead of throwing; should it throw, lint says so instead of crashing.
    return { errors: [{ message: `the engine failed while compiling the configuration: ${messageOf(e)}` }], warnings: [] };
  }
}
