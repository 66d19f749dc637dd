// A strict reader of the Prometheus text exposition format 0.0.4 for the tests: every line is
// a comment, a HELP/TYPE line or a sample with valid names, properly escaped label values and
// a float value; HELP/TYPE come once per family and before its samples; no series repeats.
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string;
  type: string;
  samples: PromSample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  const fail = (why: string): never => {
    throw new Error(`line ${line}: ${why}: ${text}`);
  };
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    if (eq < 0) fail('label without =');
    const name = text.slice(i, eq);
    if (!labelName.test(name) || name.startsWith('__')) fail(`bad label name "${name}"`);
    if (name in labels) fail(`repeated label "${name}"`);
    if (text[eq + 1] !== '"') fail('label value not quoted');
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) fail('unterminated label value');
      if (c === '"') break;
      if (c === '\n') fail('raw newline in label value');
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else fail(`bad escape \\${next ?? ''}`);
        j += 2;
        continue;
      }
      value += c;
      j += 1;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i += 1;
    else if (text[i] !== '}') fail('expected , or }');
  }
  return { labels, rest: text.slice(i + 1) };
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value "${text}"`);
  return Number(text);
}

export function parseStrictPrometheus(text: string): PromFamily[] {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const seenSeries = new Set<string>();
  let current: PromFamily | undefined;
  text
    .slice(0, -1)
    .split('\n')
    .forEach((raw, index) => {
      const line = index + 1;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (meta !== null) {
        const [, kind, name = '', rest = ''] = meta;
        if (!metricName.test(name)) throw new Error(`line ${line}: bad metric name "${name}"`);
        let family = families.get(name);
        if (family === undefined) {
          family = { name, help: '', type: 'untyped', samples: [] };
          families.set(name, family);
        } else if (family.samples.length > 0) {
          throw new Error(`line ${line}: ${kind ?? ''} for ${name} after its samples`);
        }
        if (kind === 'TYPE') {
          if (!types.has(rest)) throw new Error(`line ${line}: bad type "${rest}"`);
          family.type = rest;
        } else {
          if (/\\[^\\n]/.test(rest)) throw new Error(`line ${line}: bad escape in HELP`);
          family.help = rest;
        }
        current = family;
        return;
      }
      if (raw.startsWith('#') || raw.trim() === '') return;
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw)?.[0];
      if (name === undefined) throw new Error(`line ${line}: no metric name: ${raw}`);
      let rest = raw.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
      const parts = rest.trim().split(' ');
      if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`line ${line}: expected " value [timestamp]": ${raw}`);
      const value = parseValue(parts[0] ?? '', line);
      const family = families.get(name) ?? current;
      if (family === undefined || family.name !== name) throw new Error(`line ${line}: sample of ${name} outside its family`);
      const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seenSeries.has(series)) throw new Error(`line ${line}: repeated series ${series}`);
      seenSeries.add(series);
      family.samples.push({ name, labels, value });
    });
  return [...families.values()];
}
