// OpenSSH's ProxyJump syntax: `[user@]host[:port]` or `ssh://[user@]host[:port]`, hops
// separated by commas, the first hop contacted first; `none` means a direct connection.
// Shared by the inventory's `proxy_jump`, ssh_config's ProxyJump and Ansible's `-J`/`-o`.

export interface JumpSpec {
  /** The hop as written, for messages. */
  written: string;
  user?: string;
  host: string;
  port?: number;
}

export type JumpParse = { ok: true; hops: JumpSpec[] } | { ok: false; message: string };

const hostPattern = /^[A-Za-z0-9._-]+$/;

function parseHop(text: string): JumpSpec | string {
  const written = text;
  let rest = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text;
  const spec: Partial<JumpSpec> = { written };
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const user = rest.slice(0, at);
    if (user === '' || /[\s:/]/.test(user)) return `"${written}": expected [user@]host[:port], the user is ${user === '' ? 'empty' : JSON.stringify(user)}`;
    spec.user = user;
    rest = rest.slice(at + 1);
  }
  // `[2001:db8::1]:2222`: brackets keep the colons of an IPv6 literal apart from the port.
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(rest);
  const host = bracketed?.[1] ?? plain?.[1];
  const port = bracketed?.[2] ?? plain?.[2];
  if (host === undefined || (bracketed === null && !hostPattern.test(host))) {
    return `"${written}": expected [user@]host[:port] (an IPv6 address in brackets), got ${JSON.stringify(rest)} for the host`;
  }
  spec.host = host;
  if (port !== undefined) {
    const n = Number(port);
    if (n < 1 || n > 65535) return `"${written}": expected a port 1–65535, got ${port}`;
    spec.port = n;
  }
  return spec as JumpSpec;
}

/** Parses one ProxyJump value; `none` (any case) gives no hops. */
export function parseProxyJump(value: string): JumpParse {
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === 'none') return { ok: true, hops: [] };
  const hops: JumpSpec[] = [];
  for (const part of trimmed.split(',')) {
    const hop = parseHop(part.trim());
    if (typeof hop === 'string') return { ok: false, message: hop };
    hops.push(hop);
  }
  return { ok: true, hops };
}
