// The runs the page knows and how they stay current: the first load, the poll that brings the runs
// changed since (the page follows the folder), and the filter the server evaluates.
import * as api from './api.js';
import {$} from './dom.js';
import {count, num} from './text.js';

/** A column of /api/runs as an array of values: a plain array as it is, a dictionary {dict, index} looked up (-1: null). */
export function decodeColumn(col) {
  if (Array.isArray(col)) return col;
  const {dict, index} = col;
  const out = new Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = index[i] < 0 ? null : dict[index[i]];
  return out;
}

/**
 * The runs of one /api/runs answer, kept as the columns it sent (docs/serve-api.md): each Run
 * reads its cells from here by its position, so 100,000 runs are 100,000 small objects and a few
 * arrays, not 100,000 objects of parameters and metrics.
 */
export class RunBatch {
  constructor(c) {
    this.expId = c.exp_id;
    this.status = decodeColumn(c.status);
    this.error = decodeColumn(c.error);
    this.lastWrite = c.last_write;
    this.changed = c.changed;
    this.short = decodeColumn(c.short);
    this.rows = decodeColumn(c.rows);
    this.params = new Map(Object.entries(c.params).map(([k, v]) => [k, decodeColumn(v)]));
    this.absent = new Map(Object.entries(c.params_absent || {}).map(([k, v]) => [k, new Set(v)]));
    this.metrics = new Map(Object.entries(c.metrics));
  }

  /** The runs of the batch, in its order. */
  runs() {
    const out = new Array(this.expId.length);
    for (let i = 0; i < out.length; i++) out[i] = new Run(this, i);
    return out;
  }
}

/**
 * One run of the table: exp_id, status, error, last_write, changed, short, rows; param(name)
 * (undefined if it has none), metric(name, stat) (a number or null); params and metrics as objects
 * ({name: value}, {name: {stat: value}}) for the few places that want them whole.
 */
export class Run {
  constructor(batch, i) {
    this.b = batch;
    this.i = i;
    this.exp_id = batch.expId[i];
  }

  get status() { return this.b.status[this.i]; }

  get error() { return this.b.error[this.i]; }

  get last_write() { return this.b.lastWrite[this.i]; }

  get changed() { return this.b.changed[this.i]; }

  get short() { return this.b.short[this.i]; }

  get rows() { return this.b.rows[this.i]; }

  hasParam(name) {
    const a = this.b.absent.get(name);
    return this.b.params.has(name) && !(a && a.has(this.i));
  }

  param(name) {
    return this.hasParam(name) ? this.b.params.get(name)[this.i] : undefined;
  }

  get params() {
    const out = {};
    for (const name of this.b.params.keys()) if (this.hasParam(name)) out[name] = this.b.params.get(name)[this.i];
    return out;
  }

  /** The summary stat (last, best, ..., at) of a metric, as a number (NaN included), or null. */
  metric(name, stat) {
    const m = this.b.metrics.get(name);
    const a = m && m[stat];
    return a ? num(a[this.i]) : null;
  }

  get metrics() {
    const out = {};
    for (const [name, stats] of this.b.metrics) {
      const o = {};
      let any = false;
      for (const [stat, a] of Object.entries(stats)) {
        o[stat] = a[this.i];
        if (a[this.i] !== null && stat !== 'at') any = true;
      }
      if (any) out[name] = o;
    }
    return out;
  }
}

/**
 * The page's data, made once and handed to the parts that show it: what the server said of the
 * table (tables, params, metrics, default x), the runs by exp_id, the filter's answer (filtered:
 * the exp_ids it keeps, an array, or null for every run), the rows
 * and columns the table shows (set by the table), and the curves fetched for the charts.
 */
export function emptyData() {
  return {
    version: -1, table: null, tables: [], params: [], metrics: [], xDefault: '_row', paramTypes: new Map(),
    runs: new Map(), ids: [], filtered: null, filterError: null, filterWarnings: [], rows: [], columns: [],
    series: new Map(), seriesKey: '', live: false, loaded: false,
    generation: 0, // moves on whenever the runs or the filter's answer change: what the table caches is keyed by it
    runsGeneration: 0, // moves on whenever the runs change (each column's keys are kept while it stays)
    runsChange: null, // {from: runsGeneration, ids}: the last change, if it only changed runs of data.ids (none came or went)
  };
}

/**
 * Loads the runs of the view's table into data, polls for changes, and asks the server which runs
 * the view's filter keeps. Each change ends in show({keepScroll, changed}). The runs come as columns
 * (a RunBatch per answer) and are kept as Run objects in data.runs by exp_id.
 */
export class RunSource {
  /**
   * @param view the view (table, summary, step, x and filter are read)
   * @param data the page's data, filled here
   * @param opts {show({keepScroll, changed}): draws the runs now in data; answered(live): the runs
   *   or the filter's answer changed (live: by a poll)}
   */
  constructor(view, data, {show, answered}) {
    this.view = view;
    this.data = data;
    this.show = show;
    this.answered = answered || (() => {});
    this.polling = false;
  }

  params() {
    const v = this.view;
    // only the summary shown: the table, its sort and the CSV read it; the filter is the server's
    return {table: v.table || this.data.table, summary: v.summary, stats: v.summary,
      at: v.summary === 'at' ? v.at : '', x: v.x};
  }

  absorb(resp) {
    const d = this.data;
    d.table = resp.table;
    d.tables = resp.tables;
    d.params = resp.params;
    d.metrics = resp.metrics;
    d.xDefault = resp.x_default;
    d.paramTypes = new Map(resp.params.map((p) => [p.name, p.type]));
    $('#dir').textContent = resp.dir;
    document.title = 'cox serve · ' + resp.dir.split('/').filter(Boolean).pop();
  }

  /** Loads every run afresh (the first time, and when the table or the summary changes). */
  async load() {
    const d = this.data;
    const progress = setInterval(async () => {
      try {
        const st = await api.status();
        const p = st.progress;
        if (p.queued > p.read) $('#loading').textContent = `reading stores: ${count(p.read)} of ${count(p.queued)}…`;
      } catch (e) { /* the next tick tells */ }
    }, 500);
    $('#loading').textContent = 'reading the runs…';
    try {
      const resp = await api.runs(this.params());
      this.absorb(resp);
      d.runs = new Map(new RunBatch(resp.runs).runs().map((r) => [r.exp_id, r]));
      d.generation++;
      d.runsGeneration++;
      d.runsChange = null;
      d.version = resp.version;
      d.ids = [...d.runs.keys()];
      d.series.clear();
      d.loaded = true;
      this.setLive(true);
    } catch (e) {
      this.setLive(false, e.message);
      $('#loading').textContent = '';
      throw e;
    } finally {
      clearInterval(progress);
    }
    $('#loading').textContent = '';
    await this.refilter();
  }

  /** Asks for the runs changed since the last answer and shows them; one poll at a time. */
  async poll() {
    const d = this.data;
    if (this.polling || !d.loaded) return;
    this.polling = true;
    try {
      const resp = await api.runs({...this.params(), since: d.version});
      this.setLive(true);
      const changed = [];
      let sameIds = resp.incremental; // only runs the page has changed: data.ids stays as it is
      if (!resp.incremental) {
        d.runs = new Map();
        d.series.clear();
      }
      this.absorb(resp);
      for (const r of new RunBatch(resp.runs).runs()) {
        if (!d.runs.has(r.exp_id)) sameIds = false;
        d.runs.set(r.exp_id, r);
        changed.push(r.exp_id);
      }
      for (const id of resp.removed) {
        if (d.runs.delete(id)) sameIds = false;
        changed.push(id);
      }
      d.version = resp.version;
      if (changed.length === 0) {
        this.updateLiveText();
        return;
      }
      d.runsChange = sameIds ? {from: d.runsGeneration, ids: changed} : null;
      if (!sameIds) d.ids = [...d.runs.keys()].sort();
      d.generation++;
      d.runsGeneration++;
      for (const id of changed) d.series.delete(id);
      if (this.view.where) await this.refilter(true);
      else {
        this.show({keepScroll: true, changed});
        this.answered(true);
      }
    } catch (e) {
      this.setLive(false, e.message);
    } finally {
      this.polling = false;
    }
  }

  setLive(ok, why) {
    this.data.live = ok;
    const el = $('#live');
    el.classList.toggle('on', ok);
    el.classList.toggle('off', !ok);
    el.title = ok ? 'the page follows the folder: new rows and new runs appear by themselves' : 'not connected: ' + why;
    this.updateLiveText();
  }

  /** The live badge: connected or not, how many runs of each status (running always), time of the last check. */
  updateLiveText() {
    if (!this.statuses || this.statuses.generation !== this.data.runsGeneration) {
      const counts = new Map([['running', 0]]);
      for (const r of this.data.runs.values()) counts.set(r.status, (counts.get(r.status) || 0) + 1);
      this.statuses = {generation: this.data.runsGeneration, counts}; // counted again when the runs change
    }
    const counts = this.statuses.counts;
    const statuses = ['running', 'interrupted', 'closed', 'active', 'idle']
      .filter((s) => s === 'running' || counts.get(s))
      .map((s) => `${counts.get(s)} ${s}`).join(' · ');
    const t = new Date();
    const p = (n) => String(n).padStart(2, '0');
    $('#live-text').textContent = this.data.live
      ? `live · ${statuses} · checked ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`
      : 'disconnected — retrying';
  }

  /** Asks the server which runs the view's filter keeps (a bad filter is shown and not applied), then shows them. */
  async refilter(live) {
    window.coxTimings.filterStart = performance.now();
    const d = this.data;
    const where = this.view.where;
    const input = $('#where');
    const err = $('#where-error');
    d.filterWarnings = [];
    if (!where.trim()) {
      d.filtered = null;
      d.filterError = null;
      d.generation++;
    } else {
      try {
        const t0 = performance.now();
        const resp = await api.filter({...this.params(), where});
        window.coxTimings.filterFetchMs = performance.now() - t0;
        d.filtered = resp.ids; // the table keeps their positions (TableRuns.kept)
        d.generation++;
        d.filterError = null;
        d.filterWarnings = resp.warnings || [];
      } catch (e) {
        if (e.status !== 400) throw e;
        d.filterError = e.body;
        d.filtered = null;
        d.generation++;
      }
    }
    input.classList.toggle('bad', !!d.filterError);
    input.classList.toggle('warned', !d.filterError && d.filterWarnings.length > 0);
    err.classList.toggle('warning', !d.filterError && d.filterWarnings.length > 0);
    if (d.filterError) {
      const pos = d.filterError.position;
      err.textContent = d.filterError.problem !== undefined && pos !== undefined && pos !== null
        ? `${this.view.where}\n${' '.repeat(pos)}^ ${d.filterError.problem} (the filter is not applied)`
        : d.filterError.error + ' (the filter is not applied)';
    } else {
      // as cox df warns on standard error: a name no run has is missing in every run
      err.textContent = d.filterWarnings.map((w) => 'warning: ' + w).join('\n');
    }
    const t1 = performance.now();
    this.show({keepScroll: !!live});
    window.coxTimings.filterShowMs = performance.now() - t1;
    this.answered(!!live);
  }
}
