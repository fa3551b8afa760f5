import * as path from 'node:path';

/** A CRS rule file, `REQUEST-942-APPLICATION-ATTACK-SQLI.conf`: its number and the tag CRS derives from its name. */
export interface CrsRuleFile {
  /** 942 */
  number: number;
  /** `OWASP_CRS/ATTACK-SQLI`: the name without direction, number and `APPLICATION-` (crs-linter's rule). */
  tag: string;
}

const RULE_FILE = /^(REQUEST|RESPONSE)-([0-9]{3})-(.+?)\.conf(?:\.example)?$/;

export function crsRuleFile(file: string): CrsRuleFile | undefined {
  const m = RULE_FILE.exec(path.basename(file));
  if (m === null) return undefined;
  return { number: Number(m[2]), tag: `OWASP_CRS/${(m[3] as string).replace(/^APPLICATION-/, '')}` };
}

/** `crs-setup.conf`, `crs-setup.conf.example`: the file users copy and edit. */
export function isCrsSetup(file: string): boolean {
  return /^crs-setup\.conf/.test(path.basename(file));
}
