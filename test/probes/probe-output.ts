// Builds probe outputs the way probe-script.ts's `emit` frames them, for inline test cases.
export interface FakeSection {
  name: string;
  content: string;
  rc?: number;
  stderr?: string;
}

export function frame(nonce: string, sections: FakeSection[]): string {
  const m = `@@sockaudit:${nonce}:`;
  let out = '';
  for (const s of sections) {
    out += `${m}begin ${s.name}\n${s.content}\n${m}end ${s.name} rc=${s.rc ?? 0}\n`;
    if (s.stderr !== undefined && s.stderr !== '') out += `${m}begin ${s.name}.stderr\n${s.stderr}\n${m}end ${s.name}.stderr rc=0\n`;
  }
  return out;
}

export const bootedMeta = 'pid1=systemd\nbooted=yes\nsystemctl=yes\nuid=0\nnow=1795852914\n';

/** A full, healthy probe output with overridable sections. */
export function probeOutput(nonce: string, overrides: Partial<Record<string, Omit<FakeSection, 'name'>>> = {}): string {
  const defaults: Record<string, Omit<FakeSection, 'name'>> = {
    meta: { content: bootedMeta },
    version: { content: 'systemd 252 (252.39-1~deb12u2)\n+PAM +AUDIT default-hierarchy=unified\n' },
    state: { content: 'degraded\n', rc: 1 },
    units: { content: 'lab-stream.socket loaded active running Lab stream socket\n' },
    'unit-files': { content: 'lab-stream.socket enabled enabled\n' },
    'show-sockets': {
      content: [
        'Accept=no',
        'Listen=/run/lab/lab-stream.sock (Stream)',
        'Result=success',
        'NConnections=0',
        'NAccepted=0',
        'NRefused=0',
        'Id=lab-stream.socket',
        'Names=lab-stream.socket',
        'Description=Lab stream socket',
        'LoadState=loaded',
        'ActiveState=active',
        'SubState=running',
        'Triggers=lab-stream.service',
        'StateChangeTimestamp=Sat 2026-11-28 07:59:43 UTC',
        'LoadError=',
        '',
      ].join('\n'),
    },
    'show-services': {
      content: [
        'Result=success',
        'NRestarts=0',
        'ExecMainCode=0',
        'ExecMainStatus=0',
        'Id=lab-stream.service',
        'Description=Lab stream service',
        'LoadState=loaded',
        'ActiveState=active',
        'SubState=running',
        'StateChangeTimestamp=Sat 2026-11-28 08:00:01 UTC',
        'LoadError=',
        '',
      ].join('\n'),
    },
  };
  const names = ['meta', 'version', 'state', 'units', 'unit-files', 'show-sockets', 'show-services'];
  const sections: FakeSection[] = [];
  for (const name of names) {
    if (name in overrides && overrides[name] === undefined) continue; // explicitly removed
    const s = overrides[name] ?? defaults[name];
    if (s !== undefined) sections.push({ name, ...s });
  }
  return frame(nonce, sections);
}
