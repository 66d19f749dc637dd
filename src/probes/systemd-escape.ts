// The escaping eras of `systemctl show` and how to undo each of them.
//
// - systemd ≤233: every string value goes through `xescape(s, "\n")` (bytes < 0x20, ≥ 0x7f and
//   the backslash itself become `\xNN`), string-array elements through `xescape(s, "\n ")`.
//   So `Id=lab-tpl@inst\x5cx2d2.socket` on 219 is the unit `lab-tpl@inst\x2d2.socket`, and
//   `Description=Caf\xc3\xa9` is "Café". (Seen in bus-util.c of v219: `escaped = xescape(s, "\n")`,
//   which also applies to `Id=` — the reference notes say Id is raw "in every version"; it is not.)
// - 234–245: values are printed raw; a value containing a newline prints as `[unprintable]`
//   (and so does an array element containing a space).
// - 246+: string-array elements (Names=, Triggers=, TriggeredBy=) go through
//   `shell_maybe_quote()`: an element with whitespace, a control char or one of "\`$*?['()<>|&;!
//   is wrapped in double quotes with `\` escaping `\ " $ \``, so `lab\x2descaped.socket`
//   prints as `"lab\\x2descaped.socket"`. Plain strings such as `Id=` stay raw.
// - AF_UNIX paths in `Listen=` are C-escaped (`cescape`) from 240: `\\`, `\"`, `\'`, `\n`…,
//   other non-printables as octal `\NNN`.

/** The first systemd version that prints string values raw instead of `\xNN`-escaped. */
export const RAW_STRINGS_SINCE = 234;
/** The first systemd version that C-escapes unix socket paths in `Listen=`. */
export const ESCAPED_UNIX_PATHS_SINCE = 240;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

function hexValue(s: string): number | null {
  return /^[0-9a-fA-F]+$/.test(s) ? Number.parseInt(s, 16) : null;
}

/**
 * Undo C-style escaping as systemd's `cunescape(…, UNESCAPE_RELAX)` does: `\a \b \f \n \r \t \v
 * \\ \" \' \s \xNN \NNN \uXXXX \UXXXXXXXX`. Escaped single bytes are collected and decoded as
 * UTF-8 together (so `\xc3\xa9` is "é"). An invalid escape is kept literally; never throws.
 */
export function cUnescape(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of utf8.encode(s)) bytes.push(b);
  };
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, s: 32 };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c !== '\\' || i + 1 >= text.length) {
      // Copy a whole code point so surrogate pairs survive.
      const cp = text.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const e = text[i + 1] ?? '';
    const simpleByte = simple[e];
    if (simpleByte !== undefined) {
      bytes.push(simpleByte);
      i += 2;
      continue;
    }
    if (e === 'x') {
      const v = hexValue(text.slice(i + 2, i + 4));
      if (v !== null && text.slice(i + 2, i + 4).length === 2 && v !== 0) {
        bytes.push(v);
        i += 4;
        continue;
      }
    } else if (e >= '0' && e <= '7') {
      const oct = text.slice(i + 1, i + 4);
      if (/^[0-7]{3}$/.test(oct)) {
        const v = Number.parseInt(oct, 8);
        if (v > 0 && v <= 255) {
          bytes.push(v);
          i += 4;
          continue;
        }
      }
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const digits = text.slice(i + 2, i + 2 + len);
      const v = digits.length === len ? hexValue(digits) : null;
      if (v !== null && v > 0 && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) {
        pushText(String.fromCodePoint(v));
        i += 2 + len;
        continue;
      }
    }
    // Invalid escape: keep the backslash literally (UNESCAPE_RELAX behaviour).
    bytes.push(92);
    i += 1;
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}

/**
 * Undo `xescape()` (systemd ≤233): only `\xNN` sequences exist there, and a literal backslash is
 * always written as `\x5c`, so decoding `\xNN` alone is unambiguous.
 */
export function xUnescape(text: string): string {
  if (!text.includes('\\x')) return text;
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && text[i + 1] === 'x') {
      const v = hexValue(text.slice(i + 2, i + 4));
      if (v !== null && text.slice(i + 2, i + 4).length === 2) {
        bytes.push(v);
        i += 4;
        continue;
      }
    }
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    for (const b of utf8.encode(ch)) bytes.push(b);
    i += ch.length;
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}

/** Decode a plain string value (`Description=`, `FragmentPath=`, `Id=`) per escaping era. */
export function decodeStringValue(value: string, version: number): string {
  return version < RAW_STRINGS_SINCE ? xUnescape(value) : value;
}

/**
 * Split a string-array value (`Names=`, `Triggers=`) into its elements and decode each per era:
 * `\xNN` up to 233, raw 234–245, double-quoted with backslash escapes from 246. Quoted elements
 * are recognised in any version: before 246 no element can start with `"` because unit names
 * never contain one.
 */
export function splitListValue(value: string, version: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isSpaceAt(value, i)) i++;
    if (i >= value.length) break;
    if (value[i] === '"') {
      let el = '';
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < value.length) {
          const next = value[i + 1] ?? '';
          // 246–248 used ESCAPE_BACKSLASH_ONELINE (\n, \t); otherwise a backslash quotes the next char.
          el += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else {
          el += value[i] ?? '';
          i++;
        }
      }
      i++; // closing quote (or end of text on a damaged value)
      out.push(el);
    } else {
      // A plain element is one slice up to the next whitespace (most of them: every unit name).
      const start = i;
      while (i < value.length && !isSpaceAt(value, i)) i++;
      const el = value.slice(start, i);
      out.push(version < RAW_STRINGS_SINCE ? xUnescape(el) : el);
    }
  }
  return out;
}

/** `/\s/` on the UTF-16 unit at `i`, without a regular expression for ASCII. */
function isSpaceAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(text[i] ?? '');
}

/**
 * systemd's unit-name unescaping (`unit_name_to_path`-style): `\xNN` → the byte. For display only;
 * the canonical `unit` everywhere in the model stays in the escaped form systemd uses as its Id.
 * `lab-tpl@inst\x2d2.socket` → `lab-tpl@inst-2.socket`.
 */
export function unescapeUnitName(unit: string): string {
  return xUnescape(unit);
}

/** A unit name as systemd accepts it: ASCII, no whitespace or quotes, with a type suffix. */
export function isPlausibleUnitName(name: string): boolean {
  return /^[A-Za-z0-9:_.\\@-]+\.[a-z]+$/.test(name) && name.length <= 256;
}
