import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinChecks } from '../checks';
import type { LintDiagnostic } from '../types';
import type { Formatter } from './types';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A relative URI (against %SRCROOT%, the working directory) for files under it, a file: URI otherwise. */
function artifact(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(d: { loc: LintDiagnostic['loc'] }) {
  return { startLine: d.loc.line, startColumn: d.loc.column, endLine: d.loc.endLine, endColumn: d.loc.endColumn + 1 };
}

/** SARIF 2.1.0 for code-scanning tools: one run, the checks as rules, one result per diagnostic. */
export const formatSarif: Formatter = (diagnostics, options) => {
  const checkNames = [...new Set([...builtinChecks.map((c) => c.name), ...diagnostics.map((d) => d.check)])].sort();
  const ruleIndex = new Map(checkNames.map((n, i) => [n, i]));
  const byName = new Map(builtinChecks.map((c) => [c.name, c]));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rampart-lint',
            rules: checkNames.map((name) => {
              const c = byName.get(name);
              return {
                id: name,
                shortDescription: { text: c?.meta.docs ?? name },
                defaultConfiguration: { level: c?.meta.severity ?? 'error' },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd + path.sep).href } },
        results: diagnostics.map((d) => ({
          ruleId: d.check,
          ruleIndex: ruleIndex.get(d.check),
          level: d.severity,
          message: { text: d.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(d.loc.file, options.cwd), region: region(d) } }],
          ...(d.related === undefined
            ? {}
            : {
                relatedLocations: d.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: artifact(r.loc.file, options.cwd), region: region(r) },
                })),
              }),
        })),
        ...(options.stats === undefined ? {} : { properties: { stats: options.stats } }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
