// Host-supplied text is untrusted. Before it reaches any human format, control characters
// (ANSI escapes, NUL, C1) and bidirectional overrides ("Trojan Source" spoofing) are shown as
// visible escapes instead of acting on the reader's terminal, editor or browser.

// C0 except tab and newline, DEL, C1; bidi embeddings/overrides/isolates; BOM and the
// two non-characters that XML and many tools reject.
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;
// Lone UTF-16 surrogates cannot be encoded in UTF-8 or XML.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeCode(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character written as `\xNN` / `\uNNNN`. Tabs and newlines (CRLF
 * read as a newline; a lone CR is shown) are kept: each format lays them out (see `oneLine`).
 */
export function showControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(unsafe, escapeCode).replace(loneSurrogate, '\ufffd');
}

/**
 * Host-supplied text for a terminal: what showControls escapes (ANSI escapes that move the
 * cursor, clear the screen or retitle the window; bidi overrides), and tabs, which would break
 * the table's columns.
 */
export function terminalSafe(text: string): string {
  return showControls(text).replace(/\t/g, '\\x09');
}

/** For cells that must stay on one line: newlines become ` ⏎ `, tabs a space. */
export function oneLine(text: string): string {
  return showControls(text).replace(/\n/g, ' ⏎ ').replace(/\t/g, ' ');
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
