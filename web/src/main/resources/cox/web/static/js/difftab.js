// The Diff tab: every selected run side by side (two or more, as `cox diff DIR ID ID [ID…]`): the
// parameters that differ first, then the last row of each table all of them have, then the
// parameters that are the same.
import * as api from './api.js';
import {h, fill, $} from './dom.js';
import {pyStr, pyFloat, num, clip, OBJECT_CHARS} from './text.js';

/** How many runs the tab shows side by side; more selected runs are named in a note. */
export const MAX_DIFF_RUNS = 12;

let token = 0;

/** A cell of a table's last row as text: numbers as Python writes them, an object cell as its JSON. */
function cellText(v, type) {
  if (v && typeof v === 'object') return typeof v.json === 'string' ? v.json : `${v.type}: ${v.summary}`;
  if (type === 'FLOAT') return v === null || v === undefined ? '' : pyFloat(num(v));
  return pyStr(v, type);
}

/** The last row of each of the runs' tables: {run: {table: {columns, row}}} (a table without rows has row null). */
async function lastRows(ids) {
  const out = {};
  await Promise.all(ids.map(async (id) => {
    const info = await api.run(id);
    out[id] = {info, tables: {}};
    await Promise.all(info.tables.filter((t) => t.name !== info.metadata_table).map(async (t) => {
      const rows = t.rows || 0;
      const page = await api.rows(id, t.name, {offset: Math.max(0, rows - 1), limit: 1});
      out[id].tables[t.name] = {columns: page.columns, row: page.rows.length ? page.rows[page.rows.length - 1] : null,
        total: page.total};
    }));
  }));
  return out;
}

/**
 * Draws the diff of the selected runs into #diff.
 *
 * @param view the view (its selection)
 * @param data the page's data (runs, params)
 * @param openRun(id) opens a run's page (the run names are links)
 */
export async function renderDiff(view, data, openRun) {
  const el = $('#diff');
  const mine = ++token;
  const selected = [...view.sel].filter((id) => data.runs.has(id));
  if (selected.length < 2) {
    fill(el, h('p', {class: 'hint'}, 'Select two or more runs with the checkboxes to compare them side by side.'));
    return;
  }
  const ids = selected.slice(0, MAX_DIFF_RUNS);
  const runs = ids.map((id) => data.runs.get(id));
  const differ = [];
  const same = [];
  for (const p of data.params) {
    const values = runs.map((r) => (r.hasParam(p.name) ? pyStr(r.param(p.name), p.type) : '(missing)'));
    (values.every((v) => v === values[0]) ? same : differ).push({name: p.name, values, type: p.type});
  }
  const link = (run) => h('a', {href: '?run=' + encodeURIComponent(run.exp_id),
    onclick: (e) => { e.preventDefault(); openRun(run.exp_id); }}, run.exp_id);
  const n = ids.length + 1;
  const row = (r, cls) => h('tr', {class: cls}, h('th', {}, r.name), r.values.map((v) => h('td', {title: v},
    r.type === 'OBJECT' ? clip(v, OBJECT_CHARS) : v)));
  const head = h('tr', {}, h('th', {}, ''), runs.map((r) => h('th', {}, link(r))));
  const draw = (tables) => {
    const body = [h('tr', {class: 'sec'}, h('th', {colspan: n}, `Parameters: ${differ.length} differ`))];
    for (const r of differ) body.push(row(r, 'differs'));
    if (tables === null) {
      body.push(h('tr', {class: 'sec'}, h('th', {colspan: n}, 'Last rows: reading…')));
    } else {
      if (tables.length === 0) body.push(h('tr', {class: 'sec'}, h('th', {colspan: n}, 'Last rows: no table but the parameters\' is in every one of these runs')));
      for (const t of tables) {
        body.push(h('tr', {class: 'sec', 'data-table': t.name}, h('th', {colspan: n}, `Last row of '${t.name}'`)));
        for (const r of t.rows) body.push(row(r, r.values.every((v) => v === r.values[0]) ? 'same' : 'differs'));
      }
    }
    body.push(h('tr', {class: 'sec'}, h('th', {colspan: n}, `Parameters: ${same.length} the same`)));
    for (const r of same) body.push(row(r, 'same'));
    fill(el, selected.length > ids.length
      ? h('p', {class: 'hint-inline'}, `Comparing the first ${ids.length} of the ${selected.length} selected runs.`) : null,
    h('div', {class: 'diff-scroll'}, h('table', {class: 'kv', id: 'diff-table', 'data-runs': String(ids.length)},
      h('thead', {}, head), h('tbody', {}, body))));
  };
  draw(null);
  let read;
  try {
    read = await lastRows(ids);
  } catch (e) {
    if (mine === token) fill(el, h('p', {class: 'hint'}, 'Cannot read the runs: ' + e.message));
    return;
  }
  if (mine !== token) return;
  // the tables every run has, in the first run's order; a column any of them has
  const common = Object.keys(read[ids[0]].tables).filter((t) => ids.every((id) => t in read[id].tables));
  const tables = common.map((t) => {
    const columns = [];
    for (const id of ids) for (const c of read[id].tables[t].columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
    const rows = [{name: `${t}.rows`, type: 'INT', values: ids.map((id) => String(read[id].tables[t].total))}];
    for (const c of columns) {
      rows.push({name: c.name, type: c.type, values: ids.map((id) => {
        const tb = read[id].tables[t];
        const j = tb.columns.findIndex((x) => x.name === c.name);
        return j < 0 || tb.row === null ? '(missing)' : cellText(tb.row[j], c.type);
      })});
    }
    return {name: t, rows};
  });
  draw(tables);
}
