// Quoting for the commands sockaudit prints as next steps. Unit names carry backslashes
// (`lab\x2descaped.socket`), so a name pasted unquoted into a shell would lose them.

const safeWord = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** One shell word: left bare when it is plainly safe, else single-quoted (`'` as `'\''`). */
export function shellQuote(word: string): string {
  if (safeWord.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * True when a command line as `systemctl show` prints it (argv joined with spaces) would mean
 * something else to a shell: quoting, expansion, redirection or command separators. Such a line
 * cannot be re-quoted faithfully because the original argument boundaries are gone.
 */
export function hasShellSyntax(text: string): boolean {
  return /[;&|<>`$\\"'(){}*?[\]!~#\n]/.test(text);
}
