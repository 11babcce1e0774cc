// The runs table: which runs it shows (the filter's) in which order (the view's sort), which
// columns (only those that differ, unless chosen), the best value of each metric, the selection,
// the column chooser and the CSV export.
import {h, fill, $} from './dom.js';
import {pyStr, pyFloat, short, when, ago, csvField, count, clip, num, OBJECT_CHARS} from './text.js';
import {Grid} from './grid.js';
import {ColumnKeys, TableRuns, orderByRank} from './order.js';
import {saveView, xAxis, metricValue} from './view.js';

/** How long the runs stay the same before the ranks of the columns shown are worked out (when idle). */
const RANK_DELAY_MS = 500;

/**
 * The name of a metric's summary, as cox df, the filter and the CSV name it: loss.last, acc.best,
 * loss.at (the value at the step chosen).
 */
export function metricLabel(metric, summary) {
  return `${metric}.${summary}`;
}

export class RunsTable {
  /**
   * @param view the view (sort, summary, columns shown and hidden, selection: read and changed here)
   * @param data the page's data (runs read; rows and columns, as shown, written here)
   * @param opts {openRun(id), selectionChanged(), showControls(), rendered(), updateLiveText()}:
   *   what the rest of the page does when a run is opened, the selection changes, the table was drawn
   */
  constructor(view, data, opts) {
    this.view = view;
    this.data = data;
    this.opts = opts;
    this.lastClicked = null;
    this.grid = new Grid($('#grid'), {
      rowHeight: 28,
      rowKey: (r) => r.exp_id,
      isSelected: (r) => view.sel.has(r.exp_id),
      countSelected: (rows) => {
        if (view.sel.size === 0) return 0;
        let n = 0;
        for (const r of rows) if (view.sel.has(r.exp_id)) n++;
        return n;
      },
      cell: (r, c) => this.cellOf(r, c),
      onToggle: (r, e) => this.toggle(r, e),
      onToggleAll: () => {
        const all = data.rows.every((r) => view.sel.has(r.exp_id));
        for (const r of data.rows) {
          if (all) view.sel.delete(r.exp_id);
          else view.sel.add(r.exp_id);
        }
        this.selectionChanged();
      },
      onSort: (col) => {
        view.sort = view.sort && view.sort.col === col ? {col, desc: !view.sort.desc}
          : {col, desc: col.startsWith('m:') && this.goalOf(col) === 'max'};
        this.render({keepScroll: false});
      },
      onOpen: (r) => opts.openRun(r.exp_id),
    });
  }

  toggle(r, e) {
    const sel = this.view.sel;
    const rows = this.data.rows;
    const id = r.exp_id;
    if (e.shiftKey && this.lastClicked !== null) {
      const a = rows.findIndex((x) => x.exp_id === this.lastClicked);
      const b = rows.findIndex((x) => x.exp_id === id);
      if (a >= 0 && b >= 0) {
        const on = !sel.has(id);
        for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
          if (on) sel.add(rows[i].exp_id);
          else sel.delete(rows[i].exp_id);
        }
      }
    } else if (sel.has(id)) {
      sel.delete(id);
    } else {
      sel.add(id);
    }
    this.lastClicked = id;
    this.selectionChanged();
  }

  /** Repaints the checkboxes and the counts, saves the view and redraws the tab after a selection change. */
  selectionChanged() {
    this.grid.refresh();
    this.updateCounts();
    saveView(this.view);
    this.opts.selectionChanged();
  }

  goalOf(col) {
    const m = this.data.metrics.find((x) => 'm:' + x.name === col);
    return m ? m.goal : 'min';
  }

  /** Every column the runs have, in order: the fixed ones, the parameters, the metrics. */
  allColumns() {
    const view = this.view;
    const data = this.data;
    const cols = [
      {id: '_select', label: '', width: 34},
      {id: 'exp_id', label: 'exp_id', width: 210, cls: 'id'},
      {id: 'status', label: 'status', width: 92},
      {id: 'rows', label: 'rows', width: 70, cls: 'numeric'},
      {id: 'last_write', label: 'last write', width: 168},
    ];
    if (!this.sample || this.sample.generation !== data.runsGeneration) {
      const runs = [];
      for (const r of data.runs.values()) {
        if (runs.length === 300) break;
        runs.push(r);
      }
      this.sample = {generation: data.runsGeneration, runs, widest: new Map()};
    }
    const sample = this.sample; // the first 300 runs and their widest texts, kept while the runs stay
    const widest = (name, f) => {
      if (!sample.widest.has(name)) sample.widest.set(name, sample.runs.reduce((m, r) => Math.max(m, String(f(r)).length), 0));
      return sample.widest.get(name);
    };
    cols[1].width = Math.max(120, Math.min(300, 7.4 * widest('exp_id', (r) => r.exp_id) + 24));
    for (const p of data.params) {
      const content = Math.min(OBJECT_CHARS, widest('p:' + p.name + '|' + p.type, (r) => pyStr(r.param(p.name), p.type)));
      cols.push({id: 'p:' + p.name, label: p.name, kind: 'param', type: p.type,
        width: Math.round(Math.max(64, Math.min(240, Math.max(8 * p.name.length + 26, 7.2 * content + 22)))), cls: p.type === 'STR' || p.type === 'BOOL' ? '' : 'numeric',
        title: `${p.name} (${p.type}, parameter from table '${data.paramTypes.size ? 'metadata' : ''}')`});
    }
    const which = view.summary;
    const meaning = {last: 'the value in the run\'s last row', first: 'the value in the run\'s first row',
      min: 'the least value', max: 'the greatest value', mean: 'the mean', count: 'how many numbers the run has',
      best: 'the best value', at: `the value at ${view.at || '?'} (the last row at or before it)`}[which] || which;
    for (const m of data.metrics) {
      const label = metricLabel(m.name, which);
      cols.push({id: 'm:' + m.name, label, kind: 'metric', goal: m.goal,
        width: Math.max(104, Math.min(210, 7 * label.length + 40)), cls: 'numeric metric',
        title: `${label}: ${meaning} of ${m.name} in table '${data.table}' (${m.goal === 'max' ? 'higher' : 'lower'} is better)`});
    }
    return cols;
  }

  cellText(r, c) {
    switch (c.id) {
      case 'exp_id': return r.exp_id;
      case 'status': return r.error ? 'error' : r.status;
      case 'rows': return r.rows === null ? '' : String(r.rows);
      case 'last_write': return when(r.last_write);
      default:
        if (c.kind === 'param') return pyStr(r.param(c.id.slice(2)), c.type);
        if (c.kind === 'metric') return short(metricValue(this.view, r, c.id.slice(2)));
        return '';
    }
  }

  cellOf(r, c) {
    switch (c.id) {
      case 'exp_id': return {text: r.exp_id, href: '?run=' + encodeURIComponent(r.exp_id)};
      case 'status':
        return r.error ? {text: 'error', cls: 'st-error', title: r.error}
          : {text: r.status, cls: 'st-' + r.status};
      case 'last_write': return {text: when(r.last_write), title: ago(r.last_write)};
      default: break;
    }
    if (c.kind === 'metric') {
      const v = metricValue(this.view, r, c.id.slice(2));
      return {text: short(v), title: v === null ? '' : pyFloat(v), cls: c.best !== undefined && v === c.best ? 'best' : ''};
    }
    const text = this.cellText(r, c);
    if (c.type === 'OBJECT') return {text: clip(text, OBJECT_CHARS), title: text}; // JSON, in full in the tooltip
    return {text};
  }

  /**
   * The sort key of a column as a function of a run (sortKey's value), reading a metric's column
   * of each answer's batch directly: no name is sliced or looked up per run.
   */
  keyReader(col) {
    if (col.startsWith('m:')) {
      const name = col.slice(2);
      const stat = this.view.summary === 'at' ? 'at' : this.view.summary;
      let batch = null;
      let values = null;
      return (r) => {
        if (r.b !== batch) {
          batch = r.b;
          const m = batch.metrics.get(name);
          values = m ? m[stat] || null : null;
        }
        if (values === null) return null;
        const v = values[r.i];
        return typeof v === 'number' ? v : num(v);
      };
    }
    if (col.startsWith('p:')) return this.paramReader(col.slice(2)); // booleans sort as 0 and 1 (ColumnKeys)
    return (r) => this.sortKey(r, col);
  }

  /** A parameter's value as a function of a run (undefined if it lacks it), read from each batch's column. */
  paramReader(name) {
    let batch = null;
    let values = null;
    let absent = null;
    return (r) => {
      if (r.b !== batch) {
        batch = r.b;
        values = batch.params.get(name) || null;
        absent = batch.absent.get(name) || null;
      }
      return values === null || (absent !== null && absent.has(r.i)) ? undefined : values[r.i];
    };
  }

  sortKey(r, col) {
    switch (col) {
      case 'exp_id': return r.exp_id;
      case 'status': return r.error ? 'error' : r.status;
      case 'rows': return r.rows;
      case 'last_write': return r.last_write;
      default:
        if (col.startsWith('p:')) {
          const v = r.param(col.slice(2));
          return typeof v === 'boolean' ? Number(v) : v;
        }
        if (col.startsWith('m:')) return metricValue(this.view, r, col.slice(2));
        return null;
    }
  }

  /**
   * The runs by position (the order of data.ids) and each column's keys, made again when the runs
   * change (data.runsGeneration): what a sort, a filter and a best value read.
   */
  tableRuns() {
    const data = this.data;
    const change = data.runsChange;
    if (this.runsIndex && this.runsIndex.generation !== data.runsGeneration && change
        && change.from === this.runsIndex.generation && change.from + 1 === data.runsGeneration
        && change.ids.length * 10 < this.runsIndex.runs.length) {
      // a few runs changed, none came or went: their keys are read again, the rest kept
      if (this.runsIndex.update(change.ids.map((id) => data.runs.get(id)))) this.runsIndex.generation = data.runsGeneration;
    }
    if (!this.runsIndex || this.runsIndex.generation !== data.runsGeneration) {
      const runs = [];
      for (const id of data.ids) {
        const r = data.runs.get(id);
        if (r) runs.push(r);
      }
      this.runsIndex = new TableRuns(runs);
      this.runsIndex.generation = data.runsGeneration;
    }
    return this.runsIndex;
  }

  /** A column's keys over every run (ColumnKeys, kept while the runs stay), a metric's of the summary shown. */
  columnKeys(col, mode = 'auto') {
    const name = (col.startsWith('m:') ? col + '|' + this.view.summary + '|' + this.view.at : col) + '|' + mode;
    return this.tableRuns().keys(name, this.keyReader(col), mode);
  }

  /**
   * The positions of the runs shown in the view's order, an Int32Array: missing values (and NaN)
   * last either way, ties in exp_id order. A counting sort of the positions by each run's rank in
   * the column (ColumnKeys, worked out on the column's first sort); each order is kept while the
   * runs shown stay the same.
   */
  sortedPositions(shown) {
    if (!this.view.sort) return shown.positions;
    const {col, desc} = this.view.sort;
    const positions = shown.positions;
    if (col === 'exp_id') return desc ? positions.slice().reverse() : positions; // the rows come in exp_id order
    const key = col + '|' + desc;
    const kept = shown.sorted.get(key);
    if (kept) {
      window.coxTimings.sortParts = {kept: 1};
      return kept;
    }
    const t0 = performance.now();
    let keys = this.columnKeys(col);
    // a column of numbers and texts whose runs shown have numbers only sorts them as numbers
    if (!keys.numeric && keys.numbersAt(positions)) keys = this.columnKeys(col, 'numbers');
    const t1 = performance.now();
    keys.rank();
    const t2 = performance.now();
    const order = keys.order(positions, desc, this.tableRuns().all());
    shown.sorted.set(key, order);
    window.coxTimings.sortParts = {keysMs: t1 - t0, rankMs: t2 - t1, orderMs: performance.now() - t2};
    return order;
  }

  /** Whether a column has more than one value among the runs shown (kept for the runs shown). */
  differs(shown, c) {
    if (!shown.same.has(c.id)) shown.same.set(c.id, !this.differsNow(shown, c));
    return !shown.same.get(c.id);
  }

  differsNow(shown, c) {
    const positions = shown.positions;
    const runs = this.tableRuns().runs;
    if (positions.length < 2) return true;
    let from = 1;
    if (c.kind === 'param' || c.kind === 'metric') {
      // keys of one kind are compared as numbers or codes; from the first that differs, as text
      const keys = this.columnKeys(c.id);
      if (keys.exact) {
        const p0 = positions[0];
        while (from < positions.length && keys.same(positions[from], p0)) from++;
        if (from === positions.length) return false;
      }
      const value = c.kind === 'metric' ? this.keyReader(c.id) : this.paramReader(c.id.slice(2));
      const text = c.kind === 'metric' ? (v) => short(v) : (v) => pyStr(v, c.type);
      const first = value(runs[positions[0]]);
      let firstText = null;
      for (let i = from; i < positions.length; i++) {
        const v = value(runs[positions[i]]);
        if (Object.is(v, first) || ((v === null || v === undefined) && (first === null || first === undefined))) continue;
        if (firstText === null) firstText = text(first);
        if (text(v) !== firstText) return true;
      }
      return false;
    }
    const first = this.cellText(runs[positions[0]], c);
    for (let i = 1; i < positions.length; i++) if (this.cellText(runs[positions[i]], c) !== first) return true;
    return false;
  }

  visibleColumns(shown) {
    const view = this.view;
    const out = [];
    for (const c of this.allColumns()) {
      c.same = c.kind && !this.differs(shown, c);
      if (c.id === '_select' || c.id === 'exp_id') out.push(c);
      else if (view.show.has(c.id)) out.push(c);
      else if (view.hide.has(c.id)) continue;
      else if (view.differ && c.same) continue;
      else out.push(c);
    }
    return out;
  }

  /**
   * The runs the filter keeps, as positions in exp_id order (an Int32Array), and what the table
   * works out of them alone (which columns differ, each metric's best value, each sort's order):
   * kept while neither the runs, the filter's answer nor the summary shown change, so a sort or a
   * column choice does not work them out again.
   */
  shownRuns() {
    const data = this.data;
    const key = data.generation + '|' + this.view.summary + '|' + this.view.at;
    if (this.shown && this.shown.key === key) return this.shown;
    const positions = this.tableRuns().kept(data.filtered);
    this.shown = {key, positions, same: new Map(), best: new Map(), sorted: new Map()};
    return this.shown;
  }

  /** Draws the runs data holds, as the view says; keepScroll keeps the position (a live update). */
  render({keepScroll, changed} = {}) {
    const view = this.view;
    const data = this.data;
    const t0 = performance.now();
    const shown = this.shownRuns();
    const t1 = performance.now();
    const rows = this.tableRuns().rowsAt(this.sortedPositions(shown));
    data.rows = rows;
    const t2 = performance.now();
    const cols = this.visibleColumns(shown);
    const xName = xAxis(view, data);
    for (const c of cols) {
      if (c.kind === 'metric' && c.id !== 'm:' + xName) {
        if (!shown.best.has(c.id)) {
          // the metric's summary shown, from its keys: the least, or the greatest if higher is better
          const keys = this.columnKeys(c.id);
          const p = keys.extreme(shown.positions, c.goal === 'max');
          shown.best.set(c.id, p < 0 ? undefined : keys.values[p]);
        }
        c.best = rows.length > 1 ? shown.best.get(c.id) : undefined;
      }
    }
    data.columns = cols;
    const t3 = performance.now();
    // the scroll position read and set before the page changes, so neither waits for a layout
    const grid = $('#grid');
    const scroll = grid.scrollTop;
    if (!keepScroll && scroll !== 0) grid.scrollTop = 0;
    this.grid.setColumns(cols, view.sort, false);
    this.grid.setRows(rows, keepScroll ? scroll : 0);
    const t4 = performance.now();
    this.updateCounts();
    this.opts.showControls();
    saveView(view);
    // where a render's time goes, for ScaleBrowserTest
    window.coxTimings.render = {shownMs: t1 - t0, sortMs: t2 - t1, columnsMs: t3 - t2, paintMs: t4 - t3,
      restMs: performance.now() - t4, ...this.grid.timings};
    if (!window.coxTimings.tableReady) window.coxTimings.tableReady = performance.now();
    window.coxTimings.lastRender = performance.now();
    // when the table was painted (the first task after the next frame), for ScaleBrowserTest
    const paint = this.paints = (this.paints || 0) + 1;
    requestAnimationFrame(() => setTimeout(() => {
      if (paint === this.paints) window.coxTimings.lastPainted = performance.now();
    }, 0));
    this.opts.rendered();
    this.rankLater(cols);
  }

  /**
   * Works out the ranks of the columns shown (ColumnKeys.rank) while the page is idle, once the
   * runs have stayed the same for RANK_DELAY_MS: the first sort by a column then only orders.
   */
  rankLater(cols) {
    const generation = this.data.runsGeneration;
    // the metrics first (most sorted by), then the parameters, then the rest
    const rank = (c) => (c.kind === 'metric' ? 0 : c.kind === 'param' ? 1 : 2);
    const names = cols.filter((c) => c.id !== '_select' && c.id !== 'exp_id').sort((a, b) => rank(a) - rank(b)).map((c) => c.id);
    const idle = window.requestIdleCallback || ((f) => setTimeout(f, 50));
    clearTimeout(this.rankTimer);
    this.rankTimer = setTimeout(() => {
      const next = () => {
        if (this.data.runsGeneration !== generation || names.length === 0) return;
        this.columnKeys(names.shift()).rank();
        idle(next);
      };
      idle(next);
    }, RANK_DELAY_MS);
  }

  updateCounts() {
    const data = this.data;
    const total = data.runs.size;
    const shown = data.rows.length;
    const sel = this.view.sel.size;
    $('#counts').textContent = (shown === total ? `${count(total)} runs` : `${count(shown)} of ${count(total)} runs`)
      + (sel ? ` · ${count(sel)} selected` : '') + (data.table ? ` · table '${data.table}'` : '');
    $('#clear-selection').hidden = sel === 0;
    this.opts.updateLiveText();
  }

  /** The column chooser: each parameter and metric on or off, and "only columns that differ". */
  renderColumnsMenu() {
    const view = this.view;
    const menu = $('#columns-menu');
    const cols = this.allColumns().filter((c) => c.kind);
    const shown = this.shownRuns();
    const items = [h('label', {}, h('input', {type: 'checkbox', checked: view.differ, onchange: (e) => {
      view.differ = e.target.checked;
      this.render({keepScroll: true});
      this.renderColumnsMenu();
    }}), 'Only columns that differ'), h('div', {class: 'sep'})];
    for (const kind of ['param', 'metric']) {
      items.push(h('h4', {}, kind === 'param' ? 'Parameters' : `Metrics of '${this.data.table}'`));
      for (const c of cols.filter((x) => x.kind === kind)) {
        const same = !this.differs(shown, c);
        const on = view.show.has(c.id) || (!view.hide.has(c.id) && !(view.differ && same));
        items.push(h('label', {class: same ? 'same' : '', title: same ? 'the same in every run shown' : ''},
          h('input', {type: 'checkbox', checked: on, onchange: (e) => {
            view.hide.delete(c.id);
            view.show.delete(c.id);
            if (e.target.checked && view.differ && same) view.show.add(c.id);
            if (!e.target.checked) view.hide.add(c.id);
            this.render({keepScroll: true});
          }}), kind === 'param' ? c.label : c.id.slice(2), same ? ' (same everywhere)' : ''));
      }
    }
    items.push(h('div', {class: 'sep'}), h('button', {type: 'button', class: 'link', onclick: () => {
      view.hide.clear();
      view.show.clear();
      view.differ = true;
      this.render({keepScroll: true});
      this.renderColumnsMenu();
    }}, 'Reset columns'));
    fill(menu, items);
  }

  /** Downloads the runs and columns shown, in this order, as CSV (full-precision values, ISO times). */
  exportCsv() {
    const view = this.view;
    const data = this.data;
    const cols = data.columns.filter((c) => c.id !== '_select');
    const lines = [cols.map((c) => csvField(c.kind === 'metric' ? metricLabel(c.id.slice(2), view.summary)
      : c.kind === 'param' ? c.id.slice(2) : c.id)).join(',')];
    for (const r of data.rows) {
      lines.push(cols.map((c) => {
        if (c.kind === 'metric') {
          const v = metricValue(view, r, c.id.slice(2));
          return csvField(v === null ? '' : pyFloat(v));
        }
        if (c.id === 'last_write') return csvField(r.last_write >= 0 ? new Date(r.last_write).toISOString() : '');
        return csvField(this.cellText(r, c));
      }).join(','));
    }
    const blob = new Blob([lines.join('\n') + '\n'], {type: 'text/csv'});
    const a = h('a', {href: URL.createObjectURL(blob), download: `runs-${data.table || 'table'}.csv`});
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    window.coxLastCsv = lines.join('\n') + '\n';
  }
}

/**
 * The positions 0..n-1 of keys in sorted order, as an Int32Array: numbers (numeric) or text
 * (String order of each key); null, undefined and NaN last; desc reverses the order of the
 * others; equal keys keep their positions' order. The table's sort (ColumnKeys, orderByRank) on
 * an array of keys.
 */
export function sortedPositions(keys, numeric, desc) {
  const ck = new ColumnKeys(keys, (k) => k, numeric ? 'auto' : 'text');
  return orderByRank(new TableRuns(keys).all(), ck.rank(), ck.distinct, desc);
}
