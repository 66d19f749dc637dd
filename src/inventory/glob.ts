// `path.matchesGlob` is experimental in Node 20 and absent before 20.17 (we support >=20.9), and
// it treats `/` specially, so host-name patterns get this small matcher instead.

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Whether the pattern uses any glob syntax, i.e. is more than a literal host name. */
export function hasGlobSyntax(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * `*` any run of characters, `?` one character, `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]` one of a
 * set. An unclosed `[` is taken literally. The whole name must match.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i] ?? '';
    if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
      } else {
        let body = pattern.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        // Keep `-` as a range operator but escape everything else that means something in a class.
        const escaped = body.replace(/[\\\]^[]/g, '\\$&');
        source += `[${negated ? '^' : ''}${escaped}]`;
        i = close;
      }
    } else {
      source += escapeRegExp(char);
    }
    i += 1;
  }
  return new RegExp(`^${source}$`);
}
