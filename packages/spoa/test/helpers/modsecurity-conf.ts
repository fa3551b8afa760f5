import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const SHARED = path.resolve(__dirname, '../../../../../shared');
export const CRS_DIR = path.join(SHARED, 'crs4');

/**
 * modsecurity.conf as the setup guide makes it: ModSecurity's modsecurity.conf-recommended with
 * `SecRuleEngine On`, then Includes of CRS's crs-setup.conf and rules/*.conf. Paths the recommended file
 * points outside (SecDataDir /tmp/, the audit log in /var/log) are moved into `dir`.
 */
export function writeModsecurityConf(dir: string, extra = ''): string {
  const recommended = readFileSync(path.join(SHARED, 'modsecurity/modsecurity.conf-recommended'), 'latin1');
  copyFileSync(path.join(SHARED, 'modsecurity/unicode.mapping'), path.join(dir, 'unicode.mapping'));
  copyFileSync(path.join(CRS_DIR, 'crs-setup.conf.example'), path.join(dir, 'crs-setup.conf'));
  const conf = recommended
    .replace(/^SecRuleEngine DetectionOnly$/m, 'SecRuleEngine On')
    .replace(/^SecDataDir .*$/m, `SecDataDir ${dir}/data`)
    .replace(/^SecAuditLog .*$/m, `SecAuditLog ${dir}/audit.log`);
  const file = path.join(dir, 'modsecurity.conf');
  writeFileSync(file, `${conf}\n${extra}\nInclude ${dir}/crs-setup.conf\nInclude ${CRS_DIR}/rules/*.conf\n`, 'latin1');
  return file;
}
