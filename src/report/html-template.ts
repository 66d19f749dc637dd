// An auto-escaping HTML template tag. Every interpolated value is text unless it is already
// SafeHtml (made by this tag), so host-supplied strings cannot become markup by omission:
// a renderer would have to go out of its way to inject raw HTML.
import { showControls } from './text-safety.js';

export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return showControls(text).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup written by us (never host data): the inline stylesheet and script. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
