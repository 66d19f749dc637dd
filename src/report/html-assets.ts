// The HTML report's inline stylesheet and script. Both are constants written here (never host
// data), so the page's Content-Security-Policy can allow exactly these two by their hashes.
// The page is complete without the script: it only adds filtering, sorting and expand/collapse.

export const reportCss = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --ok: #1a7f37; --ok-bg: #dafbe1; --note: #0969da; --note-bg: #ddf4ff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
  --bad: #ff7b72; --bad-bg: #4b1113; --warn: #e3b341; --warn-bg: #3b2e00; --ok: #56d364; --ok-bg: #0f3a1c; --note: #79c0ff; --note-bg: #0c2d6b; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0 auto; max-width: 1680px; padding: 1.5rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK JP", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; margin: .25rem 0; padding: .5rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.verdict { font-size: 1.05rem; font-weight: 600; margin: .25rem 0 .75rem; }
.verdict.bad { color: var(--bad); } .verdict.warn { color: var(--warn); } .verdict.ok { color: var(--ok); }
dl.meta { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0; color: var(--muted); }
dl.meta div { display: flex; gap: .4rem; } dl.meta dt::after { content: ":"; } dl.meta dd { margin: 0; color: var(--fg); }
nav { margin: .75rem 0; display: flex; gap: 1rem; flex-wrap: wrap; } nav a { color: var(--note); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; background: var(--panel); }
.card .n { display: block; font-size: 1.6rem; font-weight: 700; } .card .l { color: var(--muted); }
.card.bad .n { color: var(--bad); } .card.warn .n { color: var(--warn); } .card.ok .n { color: var(--ok); }
.controls { position: sticky; top: 0; z-index: 2; display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; padding: .5rem 0; background: var(--bg); border-bottom: 1px solid var(--line); }
.controls input { font: inherit; padding: .3rem .5rem; min-width: 22rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; cursor: pointer; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); padding: .25rem .6rem; }
#filter-count { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
th button.sort { all: unset; cursor: pointer; } th button.sort::after { content: " ↕"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " ↑"; } th[aria-sort="descending"] button.sort::after { content: " ↓"; }
th button.sort:focus-visible { outline: 2px solid var(--note); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.wide { min-width: 10rem; } td.unit { min-width: 13rem; max-width: 24rem; } td.evidence { width: 34%; min-width: 22rem; }
td.mono { overflow-wrap: break-word; }
.multiline { white-space: pre-wrap; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.sev-critical, .st-unknown { background: var(--bad-bg); color: var(--bad); } .sev-warning { background: var(--warn-bg); color: var(--warn); }
.sev-notice { background: var(--note-bg); color: var(--note); } .st-audited, .sev-none { background: var(--ok-bg); color: var(--ok); }
.muted { color: var(--muted); }
meter { width: 6rem; vertical-align: middle; }
details summary { cursor: pointer; color: var(--note); } details[open] summary { margin-bottom: .35rem; }
details dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem; margin: 0; } details dt { color: var(--muted); } details dd { margin: 0; }
.empty { color: var(--muted); font-style: italic; }
ol.steps { margin: 0; padding-left: 1.2rem; } ol.steps pre { margin: .15rem 0 .4rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: 12px; }
@media print { .controls { display: none; } details > *:not(summary) { display: block; } }
`;

export const reportScript = `'use strict';
(() => {
  const controls = document.getElementById('controls');
  const input = document.getElementById('filter');
  const count = document.getElementById('filter-count');
  if (!controls || !input || !count) return;
  controls.hidden = false;

  // Filter: every row of every filterable table whose text (closed details included) holds
  // all the words typed, case-insensitively.
  const tables = [...document.querySelectorAll('table[data-filterable]')].map((table) => {
    const note = document.createElement('p');
    note.className = 'empty';
    note.hidden = true;
    note.textContent = 'No rows match the filter.';
    // A group (an unknown reason's heading and table) disappears whole; a section keeps its
    // heading and says that nothing matched.
    const group = table.closest('[data-filter-group]');
    if (!group) table.after(note);
    return { table, group, note, rows: [...table.tBodies[0].rows] };
  });
  const total = tables.reduce((n, t) => n + t.rows.length, 0);
  const applyFilter = () => {
    const words = input.value.toLowerCase().split(/\\s+/).filter((w) => w !== '');
    let shown = 0;
    for (const { table, group, note, rows } of tables) {
      let visible = 0;
      for (const row of rows) {
        const text = row.textContent.toLowerCase();
        const match = words.every((w) => text.includes(w));
        row.hidden = !match;
        if (match) visible += 1;
      }
      shown += visible;
      if (group) group.hidden = visible === 0;
      else {
        table.hidden = visible === 0;
        note.hidden = visible !== 0;
      }
    }
    count.textContent = words.length === 0 ? '' : shown + ' of ' + total + ' rows match';
  };
  input.addEventListener('input', applyFilter);
  if (input.value !== '') applyFilter();

  // Sort: click a column header; numbers sort as numbers (cells may carry data-sort).
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const keyOf = (row, index) => {
    const cell = row.cells[index];
    if (!cell) return '';
    const key = cell.getAttribute('data-sort');
    return key !== null ? key : cell.textContent.trim();
  };
  const sortBy = (table, index, th) => {
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    for (const other of table.tHead.rows[0].cells) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const body = table.tBodies[0];
    const list = [...body.rows];
    const numeric = list.every((row) => { const k = keyOf(row, index); return k !== '' && !Number.isNaN(Number(k)); });
    list.sort((a, b) => {
      const x = keyOf(a, index);
      const y = keyOf(b, index);
      const order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
      return ascending ? order : -order;
    });
    body.append(...list);
  };
  for (const table of document.querySelectorAll('table[data-sortable]')) {
    [...table.tHead.rows[0].cells].forEach((th, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.title = 'Sort by this column';
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener('click', () => sortBy(table, index, th));
    });
  }

  // Expand or collapse every evidence block (of the rows the filter shows).
  const setOpen = (open) => {
    for (const details of document.querySelectorAll('details')) {
      if (!details.closest('tr[hidden]')) details.open = open;
    }
  };
  document.getElementById('expand-all')?.addEventListener('click', () => setOpen(true));
  document.getElementById('collapse-all')?.addEventListener('click', () => setOpen(false));
})();
`;
