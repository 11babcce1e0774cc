// The groups table under the runs table: when the view groups the runs ("Group by"), one row per
// group with n and, for each metric C of the summary shown, C.mean C.std C.sem C.ci95_low
// C.ci95_high C.min C.max (and C.diff C.p_welch against a baseline), as `cox df --group-by` and
// /api/groups answer it. Sortable by any column; the CSV is the server's, as cox df writes it.
import * as api from './api.js';
import {h, fill, $} from './dom.js';
import {short, pyFloat, num, count} from './text.js';
import {saveView} from './view.js';

/**
 * The query of /api/groups for a view: table, group_by, baseline, summary (at a step: last), and
 * the filter unless it is refused (then, as the runs table, the groups are of every run).
 */
export function groupsQuery(view, data) {
  return {table: data.table, group_by: view.group.join(','), baseline: view.baseline,
    summary: view.summary === 'at' ? 'last' : view.summary, where: data.filterError ? '' : view.where};
}

/** How often a live collection's groups are asked for again, at most. */
const LIVE_REFRESH_MS = 5000;

export class GroupsTable {
  /**
   * @param view the view (group, baseline, summary, filter: read here)
   * @param data the page's data (table)
   */
  constructor(view, data) {
    this.view = view;
    this.data = data;
    this.sort = null;
    this.answer = null;
    this.token = 0;
    this.timer = 0;
  }

  /**
   * Fetches the groups again soon, after a live update: at most one request every
   * LIVE_REFRESH_MS, since the server reads every run's table to answer.
   */
  schedule() {
    if (this.timer || !this.view.group.length) return;
    this.timer = setTimeout(() => {
      this.timer = 0;
      this.load();
    }, LIVE_REFRESH_MS);
  }

  /** Fetches the groups the view asks for and draws them; nothing when the view groups nothing. */
  async load() {
    const el = $('#groups');
    const token = ++this.token;
    if (!this.view.group.length || !this.data.table) {
      el.hidden = true;
      fill(el);
      this.answer = null;
      return;
    }
    el.hidden = false;
    let answer;
    try {
      answer = await api.groups(groupsQuery(this.view, this.data));
    } catch (e) {
      if (token !== this.token) return;
      this.answer = null;
      fill(el, h('p', {class: 'groups-error', role: 'alert'}, 'Groups: ' + e.message));
      return;
    }
    if (token !== this.token) return;
    this.answer = answer;
    this.render();
  }

  render() {
    const el = $('#groups');
    const a = this.answer;
    if (!a) return;
    const rows = a.rows.slice();
    if (this.sort) {
      const i = a.columns.indexOf(this.sort.col);
      if (i >= 0) {
        const key = (r) => {
          const v = r[i];
          const n = num(v);
          return n !== null ? n : v;
        };
        const missing = (k) => k === null || k === undefined || (typeof k === 'number' && Number.isNaN(k));
        rows.sort((x, y) => {
          const p = key(x);
          const q = key(y);
          if (missing(p) || missing(q)) return missing(p) - missing(q);
          const c = typeof p === 'number' && typeof q === 'number' ? p - q : String(p) < String(q) ? -1 : String(p) > String(q) ? 1 : 0;
          return this.sort.desc ? -c : c;
        });
      }
    }
    const groupNames = new Set(this.view.group);
    const head = h('tr', {}, a.columns.map((c) => h('th', {
      class: 'g-sortable' + (groupNames.has(c) ? '' : ' numeric'), 'data-col': c,
      title: columnTitle(c, a.summary) + ' — click to sort',
      onclick: () => {
        this.sort = this.sort && this.sort.col === c ? {col: c, desc: !this.sort.desc} : {col: c, desc: false};
        this.render();
      }}, c, this.sort && this.sort.col === c ? (this.sort.desc ? ' ▾' : ' ▴') : '')));
    const body = rows.map((r) => h('tr', {}, r.map((v, i) => {
      const n = num(v);
      const text = n !== null && !groupNames.has(a.columns[i]) ? short(n) : v === null ? '' : typeof v === 'number' ? pyFloat(v) : String(v);
      return h('td', {class: groupNames.has(a.columns[i]) ? '' : 'numeric', title: n !== null ? pyFloat(n) : text}, text);
    })));
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({...groupsQuery(this.view, this.data), format: 'csv'})) if (v) q.set(k, v);
    const csv = h('a', {class: 'button', id: 'groups-csv', href: '/api/groups?' + q, download: `groups-${this.data.table}.csv`},
      'Groups CSV');
    const warnings = (a.warnings || []).map((w) => h('p', {class: 'filter-warning'}, w));
    fill(el, h('div', {class: 'groups-head'},
      h('h3', {}, `${count(a.rows.length)} group${a.rows.length === 1 ? '' : 's'} by ${this.view.group.join(', ')}`
        + ` · each run's ${a.summary}${this.view.baseline ? ' · against ' + this.view.baseline : ''}`), csv),
    warnings, h('div', {class: 'groups-scroll'}, h('table', {class: 'groups-table', id: 'groups-table'},
      h('thead', {}, head), h('tbody', {}, body))));
    saveView(this.view);
  }
}

const MEANINGS = {
  n: 'the number of runs in the group',
  mean: 'mean over the group\'s runs', std: 'sample standard deviation (ddof 1)', sem: 'standard error of the mean',
  ci95_low: 'lower end of the 95% confidence interval of the mean (Student\'s t)',
  ci95_high: 'upper end of the 95% confidence interval of the mean (Student\'s t)',
  min: 'least over the group\'s runs', max: 'greatest over the group\'s runs',
  diff: 'the group\'s mean minus the baseline\'s', p_welch: 'two-sided Welch t-test against the baseline',
};

function columnTitle(c, summary) {
  if (c === 'n') return 'n: ' + MEANINGS.n;
  const dot = c.lastIndexOf('.');
  const stat = dot > 0 ? c.slice(dot + 1) : '';
  return MEANINGS[stat] ? `${c}: ${MEANINGS[stat]} of ${c.slice(0, dot)}${summary === 'last' ? ' (each run\'s last row)' : ''}` : c;
}
