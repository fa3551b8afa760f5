export * from './ast';
export * as catalog from './catalog';
export { parseMacroString } from './macro';
export { parse, parseFile, parseFiles, parseVariableList, type ParseOptions } from './parse';
export { print, printActions, printOperator, printVariables } from './printer';
