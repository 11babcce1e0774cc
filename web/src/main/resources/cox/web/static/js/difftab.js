// The Diff tab: the first two selected runs side by side, parameters and metric summaries, the
// values that differ first.
import {h, fill, $} from './dom.js';
import {pyStr, pyFloat, num} from './text.js';

/**
 * Draws the diff of the first two selected runs into #diff.
 *
 * @param view the view (its selection)
 * @param data the page's data (runs, params, metrics, table)
 * @param openRun(id) opens a run's page (the run names are links)
 */
export function renderDiff(view, data, openRun) {
  const el = $('#diff');
  const ids = [...view.sel].filter((id) => data.runs.has(id));
  if (ids.length < 2) {
    fill(el, h('p', {class: 'hint'}, 'Select two runs with the checkboxes to compare them side by side.'));
    return;
  }
  const [a, b] = [data.runs.get(ids[0]), data.runs.get(ids[1])];
  const rows = [];
  for (const p of data.params) {
    const va = pyStr(a.params[p.name], p.type);
    const vb = pyStr(b.params[p.name], p.type);
    rows.push({sec: 'Parameters', name: p.name, a: p.name in a.params ? va : '(missing)', b: p.name in b.params ? vb : '(missing)'});
  }
  rows.push({sec: 'Run', name: 'rows', a: String(a.rows ?? ''), b: String(b.rows ?? '')});
  rows.push({sec: 'Run', name: 'status', a: a.status, b: b.status});
  for (const m of data.metrics) {
    for (const k of ['last', 'best', 'min', 'max', 'mean']) {
      const va = a.metrics[m.name] ? num(a.metrics[m.name][k]) : null;
      const vb = b.metrics[m.name] ? num(b.metrics[m.name][k]) : null;
      rows.push({sec: `Metrics of '${data.table}'`, name: `${m.name}.${k}`, a: va === null ? '' : pyFloat(va), b: vb === null ? '' : pyFloat(vb)});
    }
  }
  const diffRows = rows.filter((r) => r.a !== r.b);
  const same = rows.filter((r) => r.a === r.b);
  const link = (run) => h('a', {href: '?run=' + encodeURIComponent(run.exp_id),
    onclick: (e) => { e.preventDefault(); openRun(run.exp_id); }}, run.exp_id);
  const head = h('tr', {}, h('th', {}, ''), h('th', {}, link(a)), h('th', {}, link(b)));
  const body = [h('tr', {class: 'sec'}, h('th', {colspan: 3}, `${diffRows.length} differ`))];
  for (const r of diffRows) body.push(h('tr', {class: 'differs'}, h('th', {}, r.name), h('td', {}, r.a), h('td', {}, r.b)));
  body.push(h('tr', {class: 'sec'}, h('th', {colspan: 3}, `${same.length} the same`)));
  for (const r of same) body.push(h('tr', {class: 'same'}, h('th', {}, r.name), h('td', {}, r.a), h('td', {}, r.b)));
  fill(el, ids.length > 2 ? h('p', {class: 'hint-inline'}, `Comparing the first two of the ${ids.length} selected runs.`) : null,
    h('table', {class: 'kv', id: 'diff-table'}, h('thead', {}, head), h('tbody', {}, body)));
}
