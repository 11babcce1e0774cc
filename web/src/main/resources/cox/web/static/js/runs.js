// The runs the page knows and how they stay current: the first load, the poll that brings the runs
// changed since (the page follows the folder), and the filter the server evaluates.
import * as api from './api.js';
import {$} from './dom.js';
import {count} from './text.js';

/**
 * The page's data, made once and handed to the parts that show it: what the server said of the
 * table (tables, params, metrics, default x), the runs by exp_id, the filter's answer, the rows
 * and columns the table shows (set by the table), and the curves fetched for the charts.
 */
export function emptyData() {
  return {
    version: -1, table: null, tables: [], params: [], metrics: [], xDefault: '_row', paramTypes: new Map(),
    runs: new Map(), ids: [], filtered: null, filterError: null, filterWarnings: [], rows: [], columns: [],
    series: new Map(), seriesKey: '', live: false, loaded: false,
  };
}

/**
 * Loads the runs of the view's table into data, polls for changes, and asks the server which runs
 * the view's filter keeps. Each change ends in show({keepScroll, changed}).
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
    return {table: v.table || this.data.table, summary: v.summary, at: v.summary === 'at' ? v.at : '', x: v.x};
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
      d.runs = new Map(resp.runs.map((r) => [r.exp_id, r]));
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
      if (!resp.incremental) {
        d.runs = new Map();
        d.series.clear();
      }
      this.absorb(resp);
      for (const r of resp.runs) {
        d.runs.set(r.exp_id, r);
        changed.push(r.exp_id);
      }
      for (const id of resp.removed) {
        d.runs.delete(id);
        changed.push(id);
      }
      d.version = resp.version;
      if (changed.length === 0) {
        this.updateLiveText();
        return;
      }
      d.ids = [...d.runs.keys()].sort();
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
    const counts = new Map([['running', 0]]);
    for (const r of this.data.runs.values()) counts.set(r.status, (counts.get(r.status) || 0) + 1);
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
    const d = this.data;
    const where = this.view.where;
    const input = $('#where');
    const err = $('#where-error');
    d.filterWarnings = [];
    if (!where.trim()) {
      d.filtered = null;
      d.filterError = null;
    } else {
      try {
        const resp = await api.filter({...this.params(), where});
        d.filtered = new Set(resp.ids);
        d.filterError = null;
        d.filterWarnings = resp.warnings || [];
      } catch (e) {
        if (e.status !== 400) throw e;
        d.filterError = e.body;
        d.filtered = null;
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
    this.show({keepScroll: !!live});
    this.answered(!!live);
  }
}
