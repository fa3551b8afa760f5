import type { CtlOptionInfo } from './types';

/** Filled in by the catalog work (issue 2). */
export const ctlOptions: readonly CtlOptionInfo[] = [];
