// The policy room's public surface: read a policy file, gate a report, compare runs.
export { applyGate, gateHostFindings, isRequirementFinding, type GateInput } from './apply-gate.js';
export { baselineFrom, findingKey, type Baseline } from './baseline.js';
export { calendarDay, daysBetween, isCalendarDay } from './calendar-day.js';
export { checkPolicyGroups, loadPolicy, parsePolicy } from './load-policy.js';
export { defaultWarnBeforeDays, type Policy, type Requirement, type Waiver } from './policy-types.js';
export { diffReports } from './run-diff.js';
