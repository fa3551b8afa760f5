/**
 * @rampart/seclang: reads ModSecurity's rule language into a typed AST with source locations.
 *
 *   const { ast, diagnostics } = parseFile('/etc/rampart/main.conf');   // follows Includes
 *   const { ast } = parse('SecRule ARGS "@rx attack" "id:1,phase:2,deny"');
 *   print(ast);                                                          // canonical SecLang back
 *
 * Parsing never throws: every problem is a Diagnostic with file:line:col (codes: ParseDiagnosticCode).
 */
export * from './ast';
export * as catalog from './catalog';
export { MAX_CHAIN_LENGTH } from './chains';
export { MAX_DIAGNOSTICS, type ParseDiagnosticCode } from './diagnostics';
export { parseMacroString } from './macro';
export { parse, parseFile, parseFiles, parseVariableList, type ParseOptions } from './parse';
export { ConfigFileError, DEFAULT_MAX_CONFIG_FILE_BYTES, readConfigFile, readConfigFileBytes } from './read-config-file';
export { print, printActions, printOperator, printVariables } from './printer';
