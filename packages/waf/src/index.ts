export { createWaf, ManagedWaf } from './managed-waf';
export type { CreateWafOptions, CrsOptions, WafMode } from './options';
export { buildDirectives } from './directives';
