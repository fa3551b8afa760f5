import type { TransformationInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const transformations: readonly TransformationInfo[] = [];
