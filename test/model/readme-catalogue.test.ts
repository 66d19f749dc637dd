// The README lists the finding kinds and the causes. Both tables are generated from the
// catalogues here; this test fails when the README and the catalogues disagree, and prints the
// block to paste.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { causes } from '../../src/model/causes.js';
import { findingKinds } from '../../src/model/finding-kinds.js';
import { causeIds, findingKindIds } from '../../src/model/types.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme);
  return m?.[1] ?? '';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function kindsTable(): string {
  const rows = findingKindIds.map((id) => `| \`${id}\` | ${findingKinds[id].title} | ${findingKinds[id].severity} | ${cell(findingKinds[id].summary)} |`);
  return ['| Kind | Title | Severity at least | What it means |', '|---|---|---|---|', ...rows, ''].join('\n');
}

function causesTable(): string {
  const rows = causeIds.map((id) => `| \`${id}\` | ${causes[id].title} | ${causes[id].severity} | ${cell(causes[id].explanation)} |`);
  return ['| Cause | Title | Severity | Explanation |', '|---|---|---|---|', ...rows, ''].join('\n');
}

describe('README catalogues', () => {
  it('lists every finding kind as in src/model/finding-kinds.ts', () => {
    expect(block('finding-kinds'), `paste between the finding-kinds markers:\n${kindsTable()}`).toBe(kindsTable());
  });
  it('lists every cause as in src/model/causes.ts', () => {
    expect(block('causes'), `paste between the causes markers:\n${causesTable()}`).toBe(causesTable());
  });
});
