// JSON is the report itself: FleetReport is plain data by design, and every other format
// can be re-rendered from this output.
import type { FleetReport } from '../model/types.js';

export function renderJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
