// The formats of `sockaudit diff`, on their own so that the program can list them in its help
// without importing the diff command (which is loaded only when it runs).
import type { DiffFormat } from '../report/render-diff.js';

export const diffFormats = ['table', 'json', 'markdown'] as const satisfies readonly DiffFormat[];
