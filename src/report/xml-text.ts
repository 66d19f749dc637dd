// XML 1.0 escaping. showControls() first turns every character XML 1.0 forbids (C0 controls
// but tab/newline, lone surrogates, U+FFFE/U+FFFF) into visible text, so the document always
// parses; then markup characters become entities.
import { showControls } from './text-safety.js';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\t': '&#9;' };

/** Element content: newlines and tabs stay as they are. */
export function xmlText(text: string): string {
  return showControls(text).replace(/[&<>]/g, (c) => entities[c] ?? c);
}

/** A double-quoted attribute value: newlines and tabs as character references, since a
 *  parser would otherwise normalise them to spaces. */
export function xmlAttr(text: string): string {
  return showControls(text).replace(/[&<>"'\n\t]/g, (c) => entities[c] ?? c);
}
