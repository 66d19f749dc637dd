// Ansible's INI inventory format: host lines with key=value vars, `[group]`, `[group:vars]` and
// `[group:children]` sections, host ranges. Hand-written because it is a few dozen lines and no
// maintained npm parser reads Ansible's dialect (it is not plain INI: host lines have no `=`).
import { addChild, addHost, emptyInventory, expandHostPattern, group, issue, type AnsibleInventoryData, type AnsibleVars } from './ansible-model.js';

/** Splits on blanks, honouring '…' and "…" quotes; a token starting with # ends the line. */
function tokens(line: string): string[] | { error: string } {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] ?? '')) i += 1;
    if (i >= line.length || line[i] === '#') break;
    let token = '';
    while (i < line.length && !/\s/.test(line[i] ?? '')) {
      const c = line[i] ?? '';
      if (c === '"' || c === "'") {
        const close = line.indexOf(c, i + 1);
        if (close === -1) return { error: `unterminated ${c} quote` };
        token += line.slice(i + 1, close);
        i = close + 1;
      } else {
        token += c;
        i += 1;
      }
    }
    out.push(token);
  }
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) return v.slice(1, -1);
  return v;
}

type Section = { kind: 'hosts' | 'vars' | 'children'; name: string };

function readHostLine(data: AnsibleInventoryData, section: Section, text: string, line: number): void {
  const where = `[${section.name}]`;
  const parts = tokens(text);
  if (!Array.isArray(parts)) return issue(data, line, where, parts.error);
  const [pattern, ...rest] = parts;
  if (pattern === undefined) return;
  const vars: AnsibleVars = new Map();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      issue(data, line, `${where} ${pattern}`, `expected key=value after the host name, got "${part}"`, 'host vars are written as ansible_host=10.0.0.1 ansible_port=2222');
      continue;
    }
    const key = part.slice(0, eq);
    vars.set(key, { value: part.slice(eq + 1), line, path: `${where} ${pattern} ${key}` });
  }
  const names = expandHostPattern(pattern);
  if (!Array.isArray(names)) return issue(data, line, `${where} ${pattern}`, names.error);
  for (const name of names) addHost(data, section.name, name, vars);
}

function readSectionHeader(data: AnsibleInventoryData, text: string, line: number): Section | undefined {
  const m = /^\[([^\]:]+)(?::([^\]]*))?\]\s*(?:[#;].*)?$/.exec(text);
  if (m === null) {
    issue(data, line, '', `malformed section header ${JSON.stringify(text)}`, 'write [group], [group:vars] or [group:children]');
    return undefined;
  }
  const name = (m[1] ?? '').trim();
  const suffix = m[2];
  if (suffix === undefined) return { kind: 'hosts', name };
  if (suffix === 'vars' || suffix === 'children') return { kind: suffix, name };
  issue(data, line, `[${name}:${suffix}]`, `unknown section type ":${suffix}"`, 'Ansible knows [group], [group:vars] and [group:children]');
  return undefined;
}

export function parseAnsibleIni(text: string, file: string): AnsibleInventoryData {
  const data = emptyInventory(file);
  // Hosts before any section header are ungrouped.
  let section: Section | undefined = { kind: 'hosts', name: 'ungrouped' };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (trimmed.startsWith('[')) {
      section = readSectionHeader(data, trimmed, line);
      if (section !== undefined) group(data, section.name);
      return;
    }
    // After a bad header its lines are skipped: they would only add confusing errors.
    if (section === undefined) return;
    if (section.kind === 'hosts') return readHostLine(data, section, trimmed, line);
    if (section.kind === 'children') {
      const child = tokens(trimmed);
      const name = Array.isArray(child) ? child[0] : undefined;
      if (name !== undefined) addChild(data, section.name, name);
      return;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return issue(data, line, `[${section.name}:vars]`, `expected key=value, got ${JSON.stringify(trimmed)}`);
    const key = trimmed.slice(0, eq).trim();
    group(data, section.name).vars.set(key, { value: unquote(trimmed.slice(eq + 1)), line, path: `[${section.name}:vars] ${key}` });
  });
  return data;
}
