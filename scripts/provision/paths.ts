import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** Git-ignored home of everything Parley builds or stores locally. */
export const stateDir = path.join(repoRoot, '.parley');
