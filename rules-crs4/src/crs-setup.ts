import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CrsError } from './errors';

/** One of crs-setup's `SecAction "id:9003xx,...,setvar:tx.<variable>=<value>"` settings. */
export interface CrsSetting {
  readonly id: number;
  readonly variable: string;
  readonly value: string | number;
}

export interface CrsSetupEdits {
  readonly settings?: readonly CrsSetting[];
  /** Comment out crs-setup's SecDefaultAction lines (when the engine config supplies its own). */
  readonly commentOutDefaultActions?: boolean;
  /** Text appended at the end (CRS CI appends the X-CRS-Test marker rule there). */
  readonly append?: string;
}

export function readCrsSetup(crsDir: string): string {
  return readFileSync(path.join(crsDir, 'crs-setup.conf.example'), 'utf8');
}

/**
 * Applies settings the way the modsecurity-crs docker image does: the commented-out example rule with that id is
 * uncommented and its setvar value replaced. The ids must exist in the template: a setting that cannot be placed
 * is an error, not a silently ignored wish.
 */
export function configureCrsSetup(text: string, edits: CrsSetupEdits): string {
  const lines = text.split('\n');
  for (const setting of edits.settings ?? []) {
    const idLine = lines.findIndex((l) => new RegExp(`^#?\\s*"id:${setting.id},\\\\?\\s*$`).test(l));
    if (idLine === -1) throw new CrsError('CRS_SETUP_INVALID', `crs-setup: no rule with id ${setting.id}`);
    let start = idLine;
    if (/^#/.test(lines[idLine] ?? '')) {
      start = idLine - 1;
      if (!/^#\s*SecAction\s*\\\s*$/.test(lines[start] ?? '')) {
        throw new CrsError('CRS_SETUP_INVALID', `crs-setup: rule ${setting.id} is not a commented-out SecAction`);
      }
    }
    let end = idLine;
    while (end < lines.length && !/"\s*$/.test(lines[end] ?? '')) end++;
    if (end >= lines.length) throw new CrsError('CRS_SETUP_INVALID', `crs-setup: rule ${setting.id} never ends`);
    const setvar = new RegExp(`(setvar:'?tx\\.${setting.variable}=)[^,"']*`, 'i');
    let replaced = false;
    for (let i = start; i <= end; i++) {
      let line = (lines[i] ?? '').replace(/^#/, '');
      if (setvar.test(line)) {
        line = line.replace(setvar, `$1${String(setting.value)}`);
        replaced = true;
      }
      lines[i] = line;
    }
    if (!replaced) throw new CrsError('CRS_SETUP_INVALID', `crs-setup: rule ${setting.id} does not set tx.${setting.variable}`);
  }
  if (edits.commentOutDefaultActions) {
    for (let i = 0; i < lines.length; i++) {
      if (/^\s*SecDefaultAction\b/.test(lines[i] ?? '')) lines[i] = `# (replaced by the engine configuration) ${lines[i] ?? ''}`;
    }
  }
  let out = lines.join('\n');
  if (edits.append !== undefined) out = `${out.replace(/\n*$/, '\n')}\n${edits.append}`;
  return out;
}
