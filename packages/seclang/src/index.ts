export * from './ast';
export * as catalog from './catalog';
