import * as path from 'node:path';

/**
 * ModSecurity's code page 20127 table (data/README.md says where it comes from and why it is shipped), for
 * `SecUnicodeMapFile <this> 20127`, as modsecurity.conf-recommended and the CRS container images set it.
 */
export const UNICODE_MAP_FILE = path.join(__dirname, '..', 'data', 'unicode-20127.mapping');
export const UNICODE_CODE_PAGE = 20127;
