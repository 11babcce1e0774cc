// The Charts tab: which runs it draws (selected, else the first of the table), their curves fetched
// from the server (kept in data.series while table, x and smoothing stay), grouping with a band,
// the legend and the notes.
import * as api from './api.js';
import {h, fill, $} from './dom.js';
import {pyStr, count, formatName, num} from './text.js';
import {Charts, color, ema} from './charts.js';
import {xAxis} from './view.js';

const AUTO_RUNS = 20; // with no run selected, charts draw the first runs of the table unless "all shown" is chosen
const POINTS = 1500;
/** More runs than this are drawn on a shared grid of x, downsampled on the server (one x axis for all). */
const GRID_RUNS = 200;
/** With many runs, each gets points = this / runs (at least MIN_POINTS): about a million y per chart. */
const POINT_BUDGET = 1000000;
const MIN_POINTS = 40;
const MAX_IDS_CHARS = 6000; // ids go in the URL: chunks of at most this many characters
/** Columns that count training time rather than measure it: never charted as a metric (they are x axes). */
const STEP_COLUMNS = new Set(['epoch', 'epochs', 'step', 'steps', 'global_step', 'iteration', 'iterations']);

/** The metrics a chart is drawn for: the table's numeric columns but the x axis and the step counters. */
export function chartedMetrics(metrics, xName) {
  return metrics.filter((m) => m.name !== xName && !STEP_COLUMNS.has(m.name.toLowerCase()));
}

export class ChartsTab {
  /**
   * @param view the view (scope, selection, x, smoothing, log, legend, group, band: read here)
   * @param data the page's data (rows and runs read; curves kept in data.series)
   */
  constructor(view, data) {
    this.view = view;
    this.data = data;
    this.charts = new Charts($('#charts'));
    this.token = 0;
  }

  /** The runs to draw and a note saying why only those. */
  plottedIds() {
    const view = this.view;
    const rows = this.data.rows; // up to 100,000: only the runs drawn are listed
    const ids = (rs) => rs.map((r) => r.exp_id);
    const selected = view.sel.size ? ids(rows.filter((r) => view.sel.has(r.exp_id))) : [];
    if (view.scope === 'selected') return {ids: selected, note: selected.length ? '' : 'Select runs with the checkboxes.'};
    if (view.scope === 'filtered') return {ids: ids(rows), note: ''};
    if (selected.length) return {ids: selected, note: ''};
    if (rows.length > AUTO_RUNS) {
      return {ids: ids(rows.slice(0, AUTO_RUNS)),
        note: `Showing the first ${count(AUTO_RUNS)} of ${count(rows.length)} runs in the table's order; select runs, or choose “all shown” to draw them all.`};
    }
    return {ids: ids(rows), note: ''};
  }

  /**
   * How the curves of ids are asked for: up to GRID_RUNS runs, each with up to POINTS points; more
   * runs on a shared grid of x over the x column's range (from /api/runs: the least and greatest x
   * of any run, or the rows), with fewer points each as there are more runs.
   */
  shape(ids, xName) {
    if (ids.length <= GRID_RUNS) return {points: POINTS, grid: ''};
    const points = 2 * Math.floor(Math.max(MIN_POINTS, Math.min(POINTS, POINT_BUDGET / ids.length)) / 2);
    let from;
    let to;
    if (xName === '_row') {
      from = 0;
      to = 0;
      for (const id of ids) {
        const r = this.data.runs.get(id);
        if (r && r.rows > 0) to = Math.max(to, r.rows - 1);
      }
    } else {
      const m = this.data.metrics.find((x) => x.name === xName);
      from = m ? num(m.min) : null;
      to = m ? num(m.max) : null;
    }
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) return {points, grid: ''};
    return {points, grid: from + ',' + to};
  }

  /**
   * The smoothing changed: curves the page has in full are smoothed here and kept; if any was
   * downsampled by the server, all are fetched again, smoothed there.
   */
  smoothingChanged() {
    const data = this.data;
    const needsServer = [...data.series.values()].some((s) => Object.values(s.series || {}).some((d) => d.downsampled_from));
    if (!needsServer) {
      const xName = xAxis(this.view, data);
      const shape = this.shape(this.plottedIds().ids, xName);
      data.seriesKey = [data.table, xName, this.view.smooth, shape.points, shape.grid].join('|');
    }
  }

  /** Fetches the curves not yet here and draws the charts; a newer call wins over one still fetching. */
  async render() {
    const view = this.view;
    const data = this.data;
    const charts = this.charts;
    const token = ++this.token;
    const {ids, note} = this.plottedIds();
    const xName = xAxis(view, data);
    const shape = this.shape(ids, xName);
    const key = [data.table, xName, view.smooth, shape.points, shape.grid].join('|');
    if (key !== data.seriesKey) {
      data.series.clear();
      data.seriesKey = key;
    }
    const missing = ids.filter((id) => !data.series.has(id));
    const t0 = performance.now();
    if (ids.length === 0 || !data.table) {
      charts.clear(note || 'No runs to draw.');
      fill($('#chart-legend'));
      $('#chart-notes').textContent = '';
      return;
    }
    try {
      const chunks = [];
      let part = [];
      let len = 0;
      for (const id of missing) {
        const n = encodeURIComponent(id).length + 4;
        if (part.length && len + n > MAX_IDS_CHARS) {
          chunks.push(part);
          part = [];
          len = 0;
        }
        part.push(id);
        len += n;
      }
      if (part.length) chunks.push(part);
      // the parts at once: the server reads them on several threads while the page takes each in
      const parts = await Promise.all(chunks.map((part) => api.series({table: data.table, id: part, x: xName,
        points: shape.points, grid: shape.grid, smooth: view.smooth > 0 ? view.smooth : ''})));
      for (const resp of parts) {
        for (const r of resp.runs) data.series.set(r.exp_id, r);
      }
    } catch (e) {
      if (token === this.token) charts.clear('Cannot load the curves: ' + e.message);
      return;
    }
    if (token !== this.token) return;
    const t1 = performance.now();
    const curves = [];
    const notes = {};
    let downsampled = 0;
    let skipped = 0;
    ids.forEach((id, i) => {
      const s = data.series.get(id);
      const run = data.runs.get(id);
      if (!s || !run || !s.series) return;
      const curve = {};
      for (const [m, d] of Object.entries(s.series)) {
        let y = d.y;
        if (view.smooth > 0) y = d.downsampled_from ? d.smoothed : ema(d.y, view.smooth);
        curve[m] = {x: d.x || s.x, y};
        if (d.downsampled_from) downsampled++;
      }
      if (s.skipped_x_not_finite) skipped += s.skipped_x_not_finite;
      curves.push({id, label: formatName(view.legend, run, data.paramTypes), color: color(i, ids.length), data: curve});
    });
    let group = null;
    if (view.group.length) {
      const groups = new Map();
      for (const c of curves) {
        const run = data.runs.get(c.id);
        const k = view.group.map((g) => `${g}=${run.hasParam(g) ? pyStr(run.param(g), data.paramTypes.get(g)) : '(missing)'}`).join(' ');
        if (!groups.has(k)) groups.set(k, new Set());
        groups.get(k).add(c.id);
      }
      const keys = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      group = {band: view.band, groups: keys.map((k, i) => ({label: k, color: color(i, keys.length), members: groups.get(k)}))};
    }
    const metrics = chartedMetrics(data.metrics, xName);
    const notesText = [];
    if (note) notesText.push(note);
    if (shape.grid) {
      notesText.push(`${count(ids.length)} runs: each curve was reduced on the server to the minimum and maximum of each of ${shape.points / 2} buckets of ${xName === '_row' ? 'row' : xName} shared by all runs (no peak is lost; a point moves by less than a bucket; smoothing used every point).`);
    } else if (downsampled) {
      notesText.push(`${downsampled} long curve${downsampled > 1 ? 's were' : ' was'} reduced to the minimum and maximum of each of ${shape.points / 2} buckets on the server (no peak is lost; smoothing used every point).`);
    }
    if (skipped) notesText.push(`${count(skipped)} rows have no finite ${xName} and are not drawn.`);
    $('#chart-notes').textContent = notesText.join(' ');
    charts.draw({metrics, curves, log: view.log, group, xLabel: xName === '_row' ? 'row' : xName, notes,
      key: [data.table, xName, view.smooth, view.legend, view.group.join(','), view.band, ids.length].join('|')});
    renderLegend(group ? group.groups.map((g) => ({label: `${g.label} (n=${g.members.size})`, color: g.color})) : curves);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (token !== this.token) return;
      window.coxTimings.charts = {runs: ids.length, fetchMs: t1 - t0, drawMs: performance.now() - t1,
        totalMs: performance.now() - t0, at: performance.now(), ...charts.timings};
    }));
  }
}

function renderLegend(items) {
  const shown = items.slice(0, 60);
  fill($('#chart-legend'), shown.map((c) => h('span', {class: 'item'}, h('span', {class: 'sw', style: {background: c.color}}), c.label)),
    items.length > shown.length ? h('span', {class: 'more'}, `and ${count(items.length - shown.length)} more`) : null);
}
