// Inventories are committed to repositories, so secrets and per-environment addresses come in
// through `${VAR}`; paths are written the way a shell user writes them (`~/…`, relative).
import path from 'node:path';

export type Expansion = { ok: true; value: string; changed: boolean } | { ok: false; message: string; hint?: string };

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` is a usable environment variable name. */
export function isEnvVarName(name: string): boolean {
  return envName.test(name);
}

/**
 * Replaces `${NAME}` with the variable's value; `$${` stands for a literal `${`. A lone `$` is
 * left alone so that `$6$salt` style strings need no escaping. Every unset variable in the
 * string is reported at once.
 */
export function expandEnvVars(text: string, env: NodeJS.ProcessEnv): Expansion {
  let out = '';
  let changed = false;
  const missing: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      changed = true;
      continue;
    }
    if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end === -1) {
        return { ok: false, message: `unterminated "\${" in ${JSON.stringify(text)}`, hint: 'write ${NAME}, or $${ for a literal ${' };
      }
      const name = text.slice(i + 2, end);
      if (!isEnvVarName(name)) {
        return {
          ok: false,
          message: `"\${${name}}" is not a valid environment variable reference`,
          hint: 'names are letters, digits and _ and do not start with a digit; write $${ for a literal ${',
        };
      }
      const value = env[name];
      if (value === undefined) missing.push(name);
      else out += value;
      changed = true;
      i = end + 1;
      continue;
    }
    out += text[i];
    i += 1;
  }
  if (missing.length > 0) {
    const names = [...new Set(missing)];
    return {
      ok: false,
      message:
        names.length === 1
          ? `environment variable ${names[0]} is not set`
          : `environment variables ${names.join(', ')} are not set`,
      hint: 'export it before running sockaudit, or write $${ for a literal ${',
    };
  }
  return { ok: true, value: out, changed };
}

export type PathExpansion = { ok: true; value: string } | { ok: false; message: string; hint?: string };

/** `~` and `~/x` go to the home directory; relative paths are taken from the inventory's folder. */
export function expandPath(value: string, homeDir: string, baseDir: string): PathExpansion {
  if (value === '') return { ok: false, message: 'expected a path, got an empty string' };
  if (value === '~') return { ok: true, value: homeDir };
  if (value.startsWith('~/')) return { ok: true, value: path.join(homeDir, value.slice(2)) };
  if (value.startsWith('~')) {
    return {
      ok: false,
      message: `cannot expand ${JSON.stringify(value)}: only ~ and ~/ (your own home) are expanded`,
      hint: 'write the full path to the other user\'s file',
    };
  }
  return { ok: true, value: path.resolve(baseDir, value) };
}
