// The escaping helpers every format relies on, on the inputs that break naive ones.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../src/report/html-template.js';
import { mdCode, mdText } from '../../src/report/markdown-text.js';
import { oneLine, showControls, truncate } from '../../src/report/text-safety.js';
import { xmlAttr, xmlText } from '../../src/report/xml-text.js';

describe('showControls / oneLine', () => {
  it.each([
    ['\u001b[31mred', '\\x1b[31mred'],
    ['bell\u0007', 'bell\\x07'],
    ['nul\u0000', 'nul\\x00'],
    ['c1\u009b', 'c1\\x9b'],
    ['lone\rcr', 'lone\\x0dcr'],
    ['crlf\r\nline', 'crlf\nline'],
    ['bidi \u202egnp.exe', 'bidi \\u202egnp.exe'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
    ['Café ☕ 東京 😀', 'Café ☕ 東京 😀'],
    ['tab\tkept', 'tab\tkept'],
  ])('%j → %j', (input, shown) => {
    expect(showControls(input)).toBe(shown);
  });

  it('puts a multi-line value on one visible line, and truncates by code point', () => {
    expect(oneLine('a\nb\tc')).toBe('a ⏎ b c');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('HTML escaping', () => {
  it('escapes text and attribute contexts alike, and only raw SafeHtml passes', () => {
    expect(escapeHtml(`"><img src=x onerror='alert(1)'>&`)).toBe('&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;');
    const payload = '<script>alert(1)</script>';
    expect(html`<td title="${payload}">${payload}${[payload, 1]}</td>`.html).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;1</td>',
    );
    expect(html`<p>${html`<b>${payload}</b>`}</p>`.html).toBe('<p><b>&lt;script&gt;alert(1)&lt;/script&gt;</b></p>');
  });
});

describe('XML escaping', () => {
  it('keeps documents well-formed whatever the host sent', () => {
    expect(xmlText('a < b && c > d\u0001')).toBe('a &lt; b &amp;&amp; c &gt; d\\x01');
    expect(xmlAttr('say "hi"\n\'there\'\t')).toBe('say &quot;hi&quot;&#10;&apos;there&apos;&#9;');
  });
});

describe('Markdown escaping', () => {
  it.each([
    ['plain', '`plain`'],
    ['a|b', '`a\\|b`'],
    ['has `tick`', '`` has `tick` ``'],
    ['`edge', '`` `edge ``'],
    ['two\nlines', '`two ⏎ lines`'],
    ['', ''],
  ])('mdCode(%j) = %j', (input, output) => {
    expect(mdCode(input)).toBe(output);
  });

  it('backslash-escapes every ASCII punctuation character of prose', () => {
    expect(mdText('[x](http://e) *y* <b> #1')).toBe('\\[x\\]\\(http\\:\\/\\/e\\) \\*y\\* \\<b\\> \\#1');
  });
});
