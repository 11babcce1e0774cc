// cox serve: the runs table, charts, parallel coordinates and diff of a folder of cox runs.
// The view (filter, sort, columns, selection, chart options) lives in the URL.
import * as api from './api.js';
import {h, fill, $} from './dom.js';
import {pyStr, pyFloat, num, short, when, ago, csvField, count, formatName} from './text.js';
import {Grid} from './grid.js';
import {Charts, color, ema} from './charts.js';
import {ParCoords} from './parcoords.js';
import {RunPage} from './runpage.js';

const POLL_MS = 1000;
const AUTO_RUNS = 20; // with no run selected, charts draw the first runs of the table unless "all shown" is chosen
const POINTS = 1500;

window.coxTimings = {};

// ------------------------------------------------------------------ state (the URL) and data

const S = readState();
const D = {
  version: -1, table: null, tables: [], params: [], metrics: [], xDefault: '_row', paramTypes: new Map(),
  runs: new Map(), ids: [], filtered: null, filterError: null, rows: [], columns: [],
  series: new Map(), seriesKey: '', live: false, loaded: false,
};

function readState() {
  const q = new URLSearchParams(location.search);
  const list = (k) => (q.get(k) ? q.get(k).split(',').filter(Boolean) : []);
  const sort = q.get('sort') || '';
  const dir = /:(asc|desc)$/.exec(sort);
  return {
    table: q.get('table') || '',
    where: q.get('where') || '',
    sort: sort ? {col: dir ? sort.slice(0, dir.index) : sort, desc: !!dir && dir[1] === 'desc'} : null,
    summary: q.get('summary') || 'last',
    at: q.get('at') || '',
    differ: q.get('differ') !== '0',
    hide: new Set(list('hide')),
    show: new Set(list('show')),
    sel: new Set(list('sel')),
    tab: q.get('tab') || 'charts',
    scope: q.get('scope') || 'auto',
    x: q.get('x') || '',
    smooth: Number(q.get('smooth') || 0),
    log: q.get('log') === '1',
    legend: q.get('legend') || '',
    group: q.get('group') || '',
    band: q.get('band') || 'minmax',
    pc: q.get('pc') || '',
    run: q.get('run') || '',
  };
}

function stateQuery() {
  const q = new URLSearchParams();
  const put = (k, v, dflt = '') => { if (v !== undefined && v !== null && String(v) !== String(dflt)) q.set(k, String(v)); };
  put('table', S.table);
  put('where', S.where);
  if (S.sort) put('sort', S.sort.col + (S.sort.desc ? ':desc' : ''));
  put('summary', S.summary, 'last');
  if (S.summary === 'at') put('at', S.at);
  if (!S.differ) q.set('differ', '0');
  if (S.hide.size) q.set('hide', [...S.hide].join(','));
  if (S.show.size) q.set('show', [...S.show].join(','));
  if (S.sel.size) q.set('sel', [...S.sel].join(','));
  put('tab', S.tab, 'charts');
  put('scope', S.scope, 'auto');
  put('x', S.x);
  put('smooth', S.smooth, 0);
  if (S.log) q.set('log', '1');
  put('legend', S.legend);
  put('group', S.group);
  put('band', S.band, 'minmax');
  put('pc', S.pc);
  return q;
}

function saveState(push) {
  const q = stateQuery();
  if (S.run) q.set('run', S.run);
  const url = location.pathname + (q.toString() ? '?' + q : '');
  if (url !== location.pathname + location.search) {
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
}

// ------------------------------------------------------------------ loading and live updates

function runParams() {
  return {table: S.table || D.table, summary: S.summary, at: S.summary === 'at' ? S.at : '', x: S.x};
}

function absorb(resp) {
  D.table = resp.table;
  D.tables = resp.tables;
  D.params = resp.params;
  D.metrics = resp.metrics;
  D.xDefault = resp.x_default;
  D.paramTypes = new Map(resp.params.map((p) => [p.name, p.type]));
  $('#dir').textContent = resp.dir;
  document.title = 'cox serve · ' + resp.dir.split('/').filter(Boolean).pop();
}

async function loadAll() {
  const progress = setInterval(async () => {
    try {
      const st = await api.status();
      const p = st.progress;
      if (p.queued > p.read) $('#loading').textContent = `reading stores: ${count(p.read)} of ${count(p.queued)}…`;
    } catch (e) { /* the next tick tells */ }
  }, 500);
  $('#loading').textContent = 'reading the runs…';
  try {
    const resp = await api.runs(runParams());
    absorb(resp);
    D.runs = new Map(resp.runs.map((r) => [r.exp_id, r]));
    D.version = resp.version;
    D.ids = [...D.runs.keys()];
    D.series.clear();
    D.loaded = true;
    setLive(true);
  } catch (e) {
    setLive(false, e.message);
    $('#loading').textContent = '';
    throw e;
  } finally {
    clearInterval(progress);
  }
  $('#loading').textContent = '';
  await refilter();
}

let polling = false;

async function poll() {
  if (polling || !D.loaded) return;
  polling = true;
  try {
    const resp = await api.runs({...runParams(), since: D.version});
    setLive(true);
    const changed = [];
    if (!resp.incremental) {
      D.runs = new Map();
      D.series.clear();
    }
    absorb(resp);
    for (const r of resp.runs) {
      D.runs.set(r.exp_id, r);
      changed.push(r.exp_id);
    }
    for (const id of resp.removed) {
      D.runs.delete(id);
      changed.push(id);
    }
    D.version = resp.version;
    if (changed.length === 0) {
      updateLiveText();
      return;
    }
    D.ids = [...D.runs.keys()].sort();
    for (const id of changed) D.series.delete(id);
    if (S.where) await refilter(true);
    else render({keepScroll: true, changed});
  } catch (e) {
    setLive(false, e.message);
  } finally {
    polling = false;
  }
}

function setLive(ok, why) {
  D.live = ok;
  const el = $('#live');
  el.classList.toggle('on', ok);
  el.classList.toggle('off', !ok);
  el.title = ok ? 'the page follows the folder: new rows and new runs appear by themselves' : 'not connected: ' + why;
  updateLiveText();
}

function updateLiveText() {
  const running = [...D.runs.values()].filter((r) => r.status === 'running').length;
  const t = new Date();
  const p = (n) => String(n).padStart(2, '0');
  $('#live-text').textContent = D.live
    ? `live · ${running} running · checked ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`
    : 'disconnected — retrying';
}

async function refilter(live) {
  const input = $('#where');
  const err = $('#where-error');
  if (!S.where.trim()) {
    D.filtered = null;
    D.filterError = null;
  } else {
    try {
      const resp = await api.filter({...runParams(), where: S.where});
      D.filtered = new Set(resp.ids);
      D.filterError = null;
    } catch (e) {
      if (e.status !== 400) throw e;
      D.filterError = e.body;
      D.filtered = null;
    }
  }
  input.classList.toggle('bad', !!D.filterError);
  if (D.filterError) {
    const pos = D.filterError.position;
    err.textContent = D.filterError.problem !== undefined && pos !== undefined && pos !== null
      ? `${S.where}\n${' '.repeat(pos)}^ ${D.filterError.problem} (the filter is not applied)`
      : D.filterError.error;
  } else {
    err.textContent = '';
  }
  render({keepScroll: !!live});
}


// ------------------------------------------------------------------ the runs table

const grid = new Grid($('#grid'), {
  rowHeight: 28,
  rowKey: (r) => r.exp_id,
  isSelected: (r) => S.sel.has(r.exp_id),
  cell: cellOf,
  onToggle: (r, e) => toggle(r, e),
  onToggleAll: () => {
    const all = D.rows.every((r) => S.sel.has(r.exp_id));
    for (const r of D.rows) {
      if (all) S.sel.delete(r.exp_id);
      else S.sel.add(r.exp_id);
    }
    selectionChanged();
  },
  onSort: (col) => {
    S.sort = S.sort && S.sort.col === col ? {col, desc: !S.sort.desc} : {col, desc: col.startsWith('m:') && goalOf(col) === 'max'};
    render({keepScroll: false});
  },
  onOpen: (r) => openRun(r.exp_id),
});

let lastClicked = null;

function toggle(r, e) {
  const id = r.exp_id;
  if (e.shiftKey && lastClicked !== null) {
    const a = D.rows.findIndex((x) => x.exp_id === lastClicked);
    const b = D.rows.findIndex((x) => x.exp_id === id);
    if (a >= 0 && b >= 0) {
      const on = !S.sel.has(id);
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        if (on) S.sel.add(D.rows[i].exp_id);
        else S.sel.delete(D.rows[i].exp_id);
      }
    }
  } else if (S.sel.has(id)) {
    S.sel.delete(id);
  } else {
    S.sel.add(id);
  }
  lastClicked = id;
  selectionChanged();
}

function selectionChanged() {
  grid.refresh();
  updateCounts();
  saveState();
  renderTab();
}

function goalOf(col) {
  const m = D.metrics.find((x) => 'm:' + x.name === col);
  return m ? m.goal : 'min';
}

function metricValue(r, name) {
  const m = r.metrics[name];
  if (!m) return null;
  return num(m[S.summary === 'at' ? 'at' : S.summary]);
}

function allColumns() {
  const cols = [
    {id: '_select', label: '', width: 34},
    {id: 'exp_id', label: 'exp_id', width: 210, cls: 'id'},
    {id: 'status', label: 'status', width: 92},
    {id: 'rows', label: 'rows', width: 70, cls: 'numeric'},
    {id: 'last_write', label: 'last write', width: 168},
  ];
  const sample = [...D.runs.values()].slice(0, 300);
  const widest = (f) => sample.reduce((m, r) => Math.max(m, String(f(r)).length), 0);
  cols[1].width = Math.max(120, Math.min(300, 7.4 * widest((r) => r.exp_id) + 24));
  for (const p of D.params) {
    const content = widest((r) => pyStr(r.params[p.name], p.type));
    cols.push({id: 'p:' + p.name, label: p.name, kind: 'param', type: p.type,
      width: Math.round(Math.max(64, Math.min(240, Math.max(8 * p.name.length + 26, 7.2 * content + 22)))), cls: p.type === 'STR' || p.type === 'BOOL' ? '' : 'numeric',
      title: `${p.name} (${p.type}, parameter from table '${D.paramTypes.size ? 'metadata' : ''}')`});
  }
  const which = S.summary === 'at' ? `at ${S.at || '?'}` : S.summary;
  for (const m of D.metrics) {
    cols.push({id: 'm:' + m.name, label: `${m.name} · ${which}`, kind: 'metric', goal: m.goal,
      width: Math.max(104, Math.min(210, 7 * (m.name.length + which.length) + 54)), cls: 'numeric metric',
      title: `${which} of ${m.name} in table '${D.table}' (${m.goal === 'max' ? 'higher' : 'lower'} is better)`});
  }
  return cols;
}

function cellText(r, c) {
  switch (c.id) {
    case 'exp_id': return r.exp_id;
    case 'status': return r.error ? 'error' : r.status;
    case 'rows': return r.rows === null ? '' : String(r.rows);
    case 'last_write': return when(r.last_write);
    default:
      if (c.kind === 'param') return pyStr(r.params[c.id.slice(2)], c.type);
      if (c.kind === 'metric') return short(metricValue(r, c.id.slice(2)));
      return '';
  }
}

function cellOf(r, c) {
  switch (c.id) {
    case 'exp_id': return {text: r.exp_id, href: '?run=' + encodeURIComponent(r.exp_id)};
    case 'status':
      return r.error ? {text: 'error', cls: 'st-error', title: r.error}
        : {text: r.status, cls: 'st-' + r.status};
    case 'last_write': return {text: when(r.last_write), title: ago(r.last_write)};
    default: break;
  }
  if (c.kind === 'metric') {
    const v = metricValue(r, c.id.slice(2));
    return {text: short(v), title: v === null ? '' : pyFloat(v), cls: c.best !== undefined && v === c.best ? 'best' : ''};
  }
  return {text: cellText(r, c)};
}

function sortKey(r, col) {
  switch (col) {
    case 'exp_id': return r.exp_id;
    case 'status': return r.error ? 'error' : r.status;
    case 'rows': return r.rows;
    case 'last_write': return r.last_write;
    default:
      if (col.startsWith('p:')) {
        const v = r.params[col.slice(2)];
        return typeof v === 'boolean' ? Number(v) : v;
      }
      if (col.startsWith('m:')) return metricValue(r, col.slice(2));
      return null;
  }
}

function sortRows(rows) {
  if (!S.sort) return rows;
  const {col, desc} = S.sort;
  const keyed = rows.map((r) => [sortKey(r, col), r]);
  const missing = (k) => k === null || k === undefined || (typeof k === 'number' && Number.isNaN(k));
  keyed.sort((a, b) => {
    const x = a[0];
    const y = b[0];
    if (missing(x) || missing(y)) return missing(x) - missing(y);
    let c;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else {
      const sx = String(x);
      const sy = String(y);
      c = sx < sy ? -1 : sx > sy ? 1 : 0;
    }
    return desc ? -c : c;
  });
  return keyed.map((k) => k[1]);
}

/** Whether a column has more than one value among the rows shown. */
function differs(rows, c) {
  if (rows.length < 2) return true;
  const first = cellText(rows[0], c);
  for (let i = 1; i < rows.length; i++) if (cellText(rows[i], c) !== first) return true;
  return false;
}

function visibleColumns(rows) {
  const out = [];
  for (const c of allColumns()) {
    c.same = c.kind && !differs(rows, c);
    if (c.id === '_select' || c.id === 'exp_id') out.push(c);
    else if (S.show.has(c.id)) out.push(c);
    else if (S.hide.has(c.id)) continue;
    else if (S.differ && c.same) continue;
    else out.push(c);
  }
  return out;
}

function render({keepScroll, changed} = {}) {
  let rows = [];
  for (const id of D.ids) {
    const r = D.runs.get(id);
    if (r && (D.filtered === null || D.filtered.has(id))) rows.push(r);
  }
  rows = sortRows(rows);
  D.rows = rows;
  const cols = visibleColumns(rows);
  const xName = S.x || D.xDefault;
  for (const c of cols) {
    if (c.kind === 'metric' && c.id !== 'm:' + xName) {
      let best;
      for (const r of rows) {
        const v = metricValue(r, c.id.slice(2));
        if (v !== null && !Number.isNaN(v) && (best === undefined || (c.goal === 'max' ? v > best : v < best))) best = v;
      }
      c.best = rows.length > 1 ? best : undefined;
    }
  }
  D.columns = cols;
  const scroll = $('#grid').scrollTop;
  grid.setColumns(cols, S.sort);
  grid.setRows(rows);
  if (!keepScroll) $('#grid').scrollTop = 0;
  else $('#grid').scrollTop = scroll;
  updateCounts();
  renderControls();
  saveState();
  if (!window.coxTimings.tableReady) window.coxTimings.tableReady = performance.now();
  window.coxTimings.lastRender = performance.now();
  scheduleTab();
}

// the charts (or the other tab) are drawn after the table is painted, so sorting and filtering stay quick
let tabTimer = 0;

function scheduleTab() {
  if (tabTimer) return;
  tabTimer = setTimeout(() => {
    tabTimer = 0;
    renderTab();
  }, 0);
}

function updateCounts() {
  const total = D.runs.size;
  const shown = D.rows.length;
  const sel = S.sel.size;
  $('#counts').textContent = (shown === total ? `${count(total)} runs` : `${count(shown)} of ${count(total)} runs`)
    + (sel ? ` · ${count(sel)} selected` : '') + (D.table ? ` · table '${D.table}'` : '');
  $('#clear-selection').hidden = sel === 0;
  updateLiveText();
}

function renderControls() {
  const table = $('#table');
  if (table.options.length !== D.tables.length || [...table.options].some((o, i) => o.value !== D.tables[i])) {
    fill(table, D.tables.map((t) => h('option', {value: t}, t)));
  }
  table.value = D.table || '';
  const x = $('#x');
  const xs = ['_row', ...D.metrics.map((m) => m.name)];
  if (x.options.length !== xs.length || [...x.options].some((o, i) => o.value !== xs[i])) {
    fill(x, xs.map((n) => h('option', {value: n}, n === '_row' ? 'row index' : n)));
  }
  x.value = S.x || D.xDefault;
  const group = $('#group');
  const gs = ['', ...D.params.map((p) => p.name)];
  if (group.options.length !== gs.length || [...group.options].some((o, i) => o.value !== gs[i])) {
    fill(group, gs.map((n) => h('option', {value: n}, n || 'none')));
  }
  group.value = S.group;
  $('#band-field').hidden = !S.group;
  const pc = $('#pc-metric');
  const ms = D.metrics.map((m) => m.name);
  if (pc.options.length !== ms.length || [...pc.options].some((o, i) => o.value !== ms[i])) {
    fill(pc, ms.map((n) => h('option', {value: n}, n)));
  }
  pc.value = S.pc || pickMetric();
}

function pickMetric() {
  const names = D.metrics.map((m) => m.name);
  for (const n of ['val_loss', 'loss', 'val_acc', 'acc']) if (names.includes(n)) return n;
  return names.find((n) => n !== 'epoch' && n !== S.x) || names[0] || '';
}

// the column chooser
function renderColumnsMenu() {
  const menu = $('#columns-menu');
  const cols = allColumns().filter((c) => c.kind);
  const rows = D.rows;
  const items = [h('label', {}, h('input', {type: 'checkbox', checked: S.differ, onchange: (e) => {
    S.differ = e.target.checked;
    render({keepScroll: true});
    renderColumnsMenu();
  }}), 'Only columns that differ'), h('div', {class: 'sep'})];
  for (const kind of ['param', 'metric']) {
    items.push(h('h4', {}, kind === 'param' ? 'Parameters' : `Metrics of '${D.table}'`));
    for (const c of cols.filter((x) => x.kind === kind)) {
      const same = !differs(rows, c);
      const on = S.show.has(c.id) || (!S.hide.has(c.id) && !(S.differ && same));
      items.push(h('label', {class: same ? 'same' : '', title: same ? 'the same in every run shown' : ''},
        h('input', {type: 'checkbox', checked: on, onchange: (e) => {
          S.hide.delete(c.id);
          S.show.delete(c.id);
          if (e.target.checked && S.differ && same) S.show.add(c.id);
          if (!e.target.checked) S.hide.add(c.id);
          render({keepScroll: true});
        }}), kind === 'param' ? c.label : c.id.slice(2), same ? ' (same everywhere)' : ''));
    }
  }
  items.push(h('div', {class: 'sep'}), h('button', {type: 'button', class: 'link', onclick: () => {
    S.hide.clear();
    S.show.clear();
    S.differ = true;
    render({keepScroll: true});
    renderColumnsMenu();
  }}, 'Reset columns'));
  fill(menu, items);
}

function exportCsv() {
  const cols = D.columns.filter((c) => c.id !== '_select');
  const lines = [cols.map((c) => csvField(c.kind === 'metric' ? c.id.slice(2) + (S.summary === 'at' ? '@' + S.at : '.' + S.summary)
    : c.kind === 'param' ? c.id.slice(2) : c.id)).join(',')];
  for (const r of D.rows) {
    lines.push(cols.map((c) => {
      if (c.kind === 'metric') {
        const v = metricValue(r, c.id.slice(2));
        return csvField(v === null ? '' : pyFloat(v));
      }
      if (c.id === 'last_write') return csvField(r.last_write >= 0 ? new Date(r.last_write).toISOString() : '');
      return csvField(cellText(r, c));
    }).join(','));
  }
  const blob = new Blob([lines.join('\n') + '\n'], {type: 'text/csv'});
  const a = h('a', {href: URL.createObjectURL(blob), download: `runs-${D.table || 'table'}.csv`});
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  window.coxLastCsv = lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ tabs

function renderTab() {
  for (const b of document.querySelectorAll('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === S.tab));
  for (const t of ['charts', 'parallel', 'diff']) $('#tab-' + t).hidden = t !== S.tab;
  if (S.tab === 'charts') renderCharts();
  else if (S.tab === 'parallel') renderParallel();
  else renderDiff();
}

// ------------------------------------------------------------------ charts

const charts = new Charts($('#charts'));
let chartsToken = 0;

function plottedIds() {
  const shown = D.rows.map((r) => r.exp_id);
  const selected = shown.filter((id) => S.sel.has(id));
  if (S.scope === 'selected') return {ids: selected, note: selected.length ? '' : 'Select runs with the checkboxes.'};
  if (S.scope === 'filtered') return {ids: shown, note: ''};
  if (selected.length) return {ids: selected, note: ''};
  if (shown.length > AUTO_RUNS) {
    return {ids: shown.slice(0, AUTO_RUNS),
      note: `Showing the first ${count(AUTO_RUNS)} of ${count(shown.length)} runs in the table's order; select runs, or choose “all shown” to draw them all.`};
  }
  return {ids: shown, note: ''};
}

async function renderCharts() {
  const token = ++chartsToken;
  const {ids, note} = plottedIds();
  const xName = S.x || D.xDefault;
  const key = [D.table, xName, S.smooth].join('|');
  if (key !== D.seriesKey) {
    D.series.clear();
    D.seriesKey = key;
  }
  const missing = ids.filter((id) => !D.series.has(id));
  const t0 = performance.now();
  if (ids.length === 0 || !D.table) {
    charts.clear(note || 'No runs to draw.');
    fill($('#chart-legend'));
    $('#chart-notes').textContent = '';
    return;
  }
  try {
    // ids go in the URL: chunks of at most ~6,000 characters
    const chunks = [];
    let part = [];
    let len = 0;
    for (const id of missing) {
      const n = encodeURIComponent(id).length + 4;
      if (part.length && len + n > 6000) {
        chunks.push(part);
        part = [];
        len = 0;
      }
      part.push(id);
      len += n;
    }
    if (part.length) chunks.push(part);
    // the parts at once: the server reads them on several threads while the page takes each in
    const parts = await Promise.all(chunks.map((part) => api.series({table: D.table, id: part, x: xName,
      points: POINTS, smooth: S.smooth > 0 ? S.smooth : ''})));
    for (const resp of parts) {
      for (const r of resp.runs) D.series.set(r.exp_id, r);
    }
  } catch (e) {
    if (token === chartsToken) charts.clear('Cannot load the curves: ' + e.message);
    return;
  }
  if (token !== chartsToken) return;
  const t1 = performance.now();
  const curves = [];
  const notes = {};
  let downsampled = 0;
  let skipped = 0;
  ids.forEach((id, i) => {
    const s = D.series.get(id);
    const run = D.runs.get(id);
    if (!s || !run || !s.series) return;
    const data = {};
    for (const [m, d] of Object.entries(s.series)) {
      let y = d.y;
      if (S.smooth > 0) y = d.downsampled_from ? d.smoothed : ema(d.y, S.smooth);
      data[m] = {x: d.x || s.x, y};
      if (d.downsampled_from) downsampled++;
    }
    if (s.skipped_x_not_finite) skipped += s.skipped_x_not_finite;
    curves.push({id, label: formatName(S.legend, run, D.paramTypes), color: color(i, ids.length), data});
  });
  let group = null;
  if (S.group) {
    const groups = new Map();
    for (const c of curves) {
      const run = D.runs.get(c.id);
      const k = pyStr(run.params[S.group], D.paramTypes.get(S.group));
      if (!groups.has(k)) groups.set(k, new Set());
      groups.get(k).add(c.id);
    }
    const keys = [...groups.keys()].sort((a, b) => (Number(a) - Number(b)) || (a < b ? -1 : a > b ? 1 : 0));
    group = {band: S.band, groups: keys.map((k, i) => ({label: `${S.group}=${k || '(missing)'}`, color: color(i, keys.length),
      members: groups.get(k)}))};
  }
  const metrics = D.metrics.filter((m) => m.name !== xName);
  const notesText = [];
  if (note) notesText.push(note);
  if (downsampled) {
    notesText.push(`${downsampled} long curve${downsampled > 1 ? 's were' : ' was'} reduced to the minimum and maximum of each of ${POINTS / 2} buckets on the server (no peak is lost; smoothing used every point).`);
  }
  if (skipped) notesText.push(`${count(skipped)} rows have no finite ${xName} and are not drawn.`);
  $('#chart-notes').textContent = notesText.join(' ');
  charts.draw({metrics, curves, log: S.log, group, xLabel: xName === '_row' ? 'row' : xName, notes,
    key: [D.table, xName, S.smooth, S.legend, S.group, S.band, ids.length].join('|')});
  renderLegend(group ? group.groups.map((g) => ({label: `${g.label} (n=${g.members.size})`, color: g.color})) : curves);
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (token !== chartsToken) return;
    window.coxTimings.charts = {runs: ids.length, fetchMs: t1 - t0, drawMs: performance.now() - t1,
      totalMs: performance.now() - t0, at: performance.now(), ...charts.timings};
  }));
}

function renderLegend(items) {
  const shown = items.slice(0, 60);
  fill($('#chart-legend'), shown.map((c) => h('span', {class: 'item'}, h('span', {class: 'sw', style: {background: c.color}}), c.label)),
    items.length > shown.length ? h('span', {class: 'more'}, `and ${count(items.length - shown.length)} more`) : null);
}

// ------------------------------------------------------------------ parallel coordinates

const parcoords = new ParCoords($('#parcoords'), (ranges) => {
  $('#pc-apply').disabled = ranges.length === 0;
  $('#pc-clear').disabled = ranges.length === 0;
});

function renderParallel() {
  const metric = S.pc || pickMetric();
  const cols = D.columns.filter((c) => c.kind === 'param');
  const axes = cols.map((c) => ({id: c.id, name: c.id.slice(2), type: c.type,
    value: (r) => r.params[c.id.slice(2)], text: (r) => pyStr(r.params[c.id.slice(2)], c.type)}));
  const m = D.metrics.find((x) => x.name === metric);
  if (m) {
    axes.push({id: 'm:' + m.name, name: `${m.name}.${S.summary === 'at' ? 'at' : S.summary}`, type: 'FLOAT', metric: true,
      goal: m.goal, value: (r) => metricValue(r, m.name), text: (r) => short(metricValue(r, m.name))});
  }
  parcoords.draw({axes, runs: D.rows, selected: S.sel});
}

// ------------------------------------------------------------------ diff

function renderDiff() {
  const el = $('#diff');
  const ids = [...S.sel].filter((id) => D.runs.has(id));
  if (ids.length < 2) {
    fill(el, h('p', {class: 'hint'}, 'Select two runs with the checkboxes to compare them side by side.'));
    return;
  }
  const [a, b] = [D.runs.get(ids[0]), D.runs.get(ids[1])];
  const rows = [];
  for (const p of D.params) {
    const va = pyStr(a.params[p.name], p.type);
    const vb = pyStr(b.params[p.name], p.type);
    rows.push({sec: 'Parameters', name: p.name, a: p.name in a.params ? va : '(missing)', b: p.name in b.params ? vb : '(missing)'});
  }
  rows.push({sec: 'Run', name: 'rows', a: String(a.rows ?? ''), b: String(b.rows ?? '')});
  rows.push({sec: 'Run', name: 'status', a: a.status, b: b.status});
  for (const m of D.metrics) {
    for (const k of ['last', 'best', 'min', 'max', 'mean']) {
      const va = a.metrics[m.name] ? num(a.metrics[m.name][k]) : null;
      const vb = b.metrics[m.name] ? num(b.metrics[m.name][k]) : null;
      rows.push({sec: `Metrics of '${D.table}'`, name: `${m.name}.${k}`, a: va === null ? '' : pyFloat(va), b: vb === null ? '' : pyFloat(vb)});
    }
  }
  const diffRows = rows.filter((r) => r.a !== r.b);
  const same = rows.filter((r) => r.a === r.b);
  const head = h('tr', {}, h('th', {}, ''), h('th', {}, h('a', {href: '?run=' + encodeURIComponent(a.exp_id),
    onclick: (e) => { e.preventDefault(); openRun(a.exp_id); }}, a.exp_id)), h('th', {}, h('a', {href: '?run=' + encodeURIComponent(b.exp_id),
    onclick: (e) => { e.preventDefault(); openRun(b.exp_id); }}, b.exp_id)));
  const body = [h('tr', {class: 'sec'}, h('th', {colspan: 3}, `${diffRows.length} differ`))];
  for (const r of diffRows) body.push(h('tr', {class: 'differs'}, h('th', {}, r.name), h('td', {}, r.a), h('td', {}, r.b)));
  body.push(h('tr', {class: 'sec'}, h('th', {colspan: 3}, `${same.length} the same`)));
  for (const r of same) body.push(h('tr', {class: 'same'}, h('th', {}, r.name), h('td', {}, r.a), h('td', {}, r.b)));
  fill(el, ids.length > 2 ? h('p', {class: 'hint-inline'}, `Comparing the first two of the ${ids.length} selected runs.`) : null,
    h('table', {class: 'kv', id: 'diff-table'}, h('thead', {}, head), h('tbody', {}, body)));
}

// ------------------------------------------------------------------ run page

const runPage = new RunPage($('#run-page'), {back: () => closeRun()});

function openRun(id) {
  S.run = id;
  saveState(true);
  route();
}

function closeRun() {
  S.run = '';
  saveState(true);
  route();
}

function route() {
  const fresh = readState();
  S.run = fresh.run;
  $('#main').hidden = !!S.run;
  $('#run-page').hidden = !S.run;
  if (S.run) runPage.show(S.run);
  else {
    runPage.hide();
    if (D.loaded) render({keepScroll: true});
  }
}

// ------------------------------------------------------------------ controls

function debounce(f, ms) {
  let t = 0;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => f(...a), ms);
  };
}

function wire() {
  $('#where').value = S.where;
  $('#summary').value = S.summary;
  $('#at').value = S.at;
  $('#at').hidden = S.summary !== 'at';
  $('#scope').value = S.scope;
  $('#smooth').value = S.smooth;
  $('#smooth-value').textContent = S.smooth.toFixed(2);
  $('#log').checked = S.log;
  $('#legend').value = S.legend;
  $('#band').value = S.band;

  $('#where').addEventListener('input', debounce(() => {
    S.where = $('#where').value;
    refilter();
  }, 200));
  $('#table').addEventListener('change', async () => {
    S.table = $('#table').value;
    S.x = '';
    D.seriesKey = '';
    await loadAll();
  });
  $('#summary').addEventListener('change', async () => {
    S.summary = $('#summary').value;
    $('#at').hidden = S.summary !== 'at';
    if (S.summary === 'at' && !S.at) return;
    await loadAll();
  });
  $('#at').addEventListener('change', async () => {
    S.at = $('#at').value;
    if (S.summary === 'at') await loadAll();
  });
  $('#columns-button').addEventListener('click', (e) => {
    e.stopPropagation();
    const menu = $('#columns-menu');
    menu.hidden = !menu.hidden;
    if (!menu.hidden) renderColumnsMenu();
  });
  document.addEventListener('click', (e) => {
    const menu = $('#columns-menu');
    if (!menu.hidden && !menu.contains(e.target)) menu.hidden = true;
  });
  $('#csv').addEventListener('click', exportCsv);
  $('#clear-selection').addEventListener('click', () => {
    S.sel.clear();
    selectionChanged();
  });
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => {
      S.tab = b.dataset.tab;
      saveState();
      renderTab();
    });
  }
  const chartOption = (id, f, ev = 'change') => $(id).addEventListener(ev, () => {
    f();
    saveState();
    renderCharts();
  });
  chartOption('#scope', () => { S.scope = $('#scope').value; });
  chartOption('#x', () => { S.x = $('#x').value === D.xDefault ? '' : $('#x').value; });
  chartOption('#log', () => { S.log = $('#log').checked; });
  chartOption('#band', () => { S.band = $('#band').value; });
  chartOption('#group', () => {
    S.group = $('#group').value;
    $('#band-field').hidden = !S.group;
  });
  $('#legend').addEventListener('input', debounce(() => {
    S.legend = $('#legend').value;
    saveState();
    renderCharts();
  }, 250));
  $('#smooth').addEventListener('input', () => {
    $('#smooth-value').textContent = Number($('#smooth').value).toFixed(2);
  });
  $('#smooth').addEventListener('input', debounce(() => {
    S.smooth = Number($('#smooth').value);
    saveState();
    // full series smooth here; curves the server downsampled are fetched again, smoothed there
    const needsServer = [...D.series.values()].some((s) => Object.values(s.series || {}).some((d) => d.downsampled_from));
    if (!needsServer) D.seriesKey = [D.table, S.x || D.xDefault, S.smooth].join('|');
    renderCharts();
  }, 120));
  $('#pc-metric').addEventListener('change', () => {
    S.pc = $('#pc-metric').value;
    saveState();
    renderParallel();
  });
  $('#pc-apply').addEventListener('click', () => {
    const expr = parcoords.filterExpression();
    if (!expr) return;
    S.where = S.where.trim() ? `(${S.where}) and ${expr}` : expr;
    $('#where').value = S.where;
    parcoords.clearRanges();
    refilter();
  });
  $('#pc-clear').addEventListener('click', () => {
    parcoords.clearRanges();
    renderParallel();
  });
  $('#home').addEventListener('click', (e) => {
    if (S.run) {
      e.preventDefault();
      closeRun();
    }
  });
  window.addEventListener('popstate', route);
}

async function start() {
  wire();
  route();
  try {
    await loadAll();
  } catch (e) {
    fill($('#grid'), h('p', {class: 'hint'}, 'Cannot read the runs: ' + e.message));
  }
  setInterval(poll, POLL_MS);
}

start();
