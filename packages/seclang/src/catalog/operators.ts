import type { OperatorInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const operators: readonly OperatorInfo[] = [];
