import type { ActionInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const actions: readonly ActionInfo[] = [];
