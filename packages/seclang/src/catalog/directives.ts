import type { DirectiveInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const directives: readonly DirectiveInfo[] = [];
