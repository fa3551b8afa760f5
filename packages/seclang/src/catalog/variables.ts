import type { VariableInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const variables: readonly VariableInfo[] = [];
