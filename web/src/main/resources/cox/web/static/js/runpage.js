// The page of one run: its parameters, each table's schema and rows (paged), object cells by type
// and size, and its TensorBoard scalars. Follows the run while it is written.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import * as api from './api.js';
import {h, fill} from './dom.js';
import {pyStr, short, when, ago, num, pyFloat, clip, OBJECT_CHARS} from './text.js';

const PAGE = 100;

const rowsText = (n) => (n === 1 ? '1 row' : `${n} rows`);

export class RunPage {
  constructor(el, {back}) {
    this.el = el;
    this.back = back;
    this.id = null;
    this.timer = 0;
    this.pages = new Map();
    this.plots = [];
  }

  hide() {
    clearInterval(this.timer);
    this.timer = 0;
    this.id = null;
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }

  async show(id) {
    this.hide();
    this.id = id;
    this.pages = new Map();
    fill(this.el, h('p', {class: 'hint'}, 'Loading run ' + id + '…'));
    let run;
    try {
      run = await api.run(id);
    } catch (e) {
      fill(this.el, this.backLink(), h('p', {class: 'hint'}, e.message));
      return;
    }
    if (this.id !== id) return;
    this.run = run;
    await this.render();
    this.timer = setInterval(() => this.refresh(), 2000);
  }

  backLink() {
    return h('a', {href: '/', onclick: (e) => { e.preventDefault(); this.back(); }}, '← all runs');
  }

  async refresh() {
    const id = this.id;
    let run;
    try {
      run = await api.run(id);
    } catch (e) {
      return;
    }
    if (this.id !== id) return;
    const before = JSON.stringify(this.run.tables.map((t) => t.rows));
    const after = JSON.stringify(run.tables.map((t) => t.rows));
    this.run = run;
    this.el.querySelector('.meta').textContent = this.metaText();
    if (before !== after) {
      for (const t of run.tables) {
        const box = this.el.querySelector(`[data-table="${CSS.escape(t.name)}"]`);
        if (!box) continue;
        box.querySelector('.count').textContent = rowsText(t.rows);
        const page = this.pages.get(t.name) || 0;
        if ((page + 1) * PAGE >= (t.rows || 0) - PAGE) await this.loadRows(t, box, page);
      }
    }
  }

  metaText() {
    const r = this.run;
    return `${r.status} · last write ${when(r.last_write)} (${ago(r.last_write)})`;
  }

  async render() {
    const r = this.run;
    const params = Object.entries(r.params);
    const parts = [this.backLink(), h('h2', {}, r.exp_id), h('div', {class: 'meta'}, this.metaText())];
    if (r.error) parts.push(h('p', {class: 'st-error'}, r.error));
    parts.push(h('h3', {}, `Parameters (table '${r.metadata_table}')`));
    parts.push(params.length ? h('table', {class: 'kv', id: 'run-params'}, h('tbody', {}, params.map(([k, v]) =>
      h('tr', {}, h('th', {}, k), h('td', {}, pyStr(v, r.param_types[k]))))))
      : h('p', {class: 'hint-inline'}, 'No parameters.'));
    const boxes = [];
    for (const t of r.tables) {
      const box = h('div', {class: 'table-box', 'data-table': t.name},
        h('div', {class: 'pager'}, h('strong', {}, t.name), h('span', {class: 'count'}, rowsText(t.rows)),
          h('span', {}, '· ' + t.columns.map((c) => `${c.name}: ${c.type}`).join(', '))),
        h('div', {class: 'rows'}));
      boxes.push([t, box]);
      parts.push(box);
    }
    const tags = Object.keys(r.tensorboard || {});
    const tb = h('div', {class: 'charts', id: 'run-scalars'});
    if (tags.length) parts.push(h('h3', {}, `TensorBoard scalars (${tags.length} tags)`), tb);
    fill(this.el, parts);
    for (const [t, box] of boxes) await this.loadRows(t, box, 0);
    if (tags.length) await this.drawScalars(tb);
  }

  async loadRows(t, box, page) {
    this.pages.set(t.name, page);
    let resp;
    try {
      resp = await api.rows(this.id, t.name, {offset: page * PAGE, limit: PAGE});
    } catch (e) {
      fill(box.querySelector('.rows'), h('p', {class: 'st-error'}, e.message));
      return;
    }
    const pages = Math.max(1, Math.ceil(resp.total / PAGE));
    const nav = h('div', {class: 'pager'},
      h('button', {type: 'button', disabled: page === 0, onclick: () => this.loadRows(t, box, 0)}, '«'),
      h('button', {type: 'button', disabled: page === 0, onclick: () => this.loadRows(t, box, page - 1)}, '‹'),
      h('span', {}, `rows ${resp.total ? resp.offset + 1 : 0}–${resp.offset + resp.rows.length} of ${resp.total} · page ${page + 1} of ${pages}`),
      h('button', {type: 'button', disabled: page >= pages - 1, onclick: () => this.loadRows(t, box, page + 1)}, '›'),
      h('button', {type: 'button', disabled: page >= pages - 1, onclick: () => this.loadRows(t, box, pages - 1)}, '»'));
    const head = h('tr', {}, h('th', {}, '#'), resp.columns.map((c) => h('th', {}, c.name, h('span', {class: 't'}, c.type))));
    const body = resp.rows.map((row, i) => h('tr', {}, h('td', {}, String(resp.offset + i)), row.map((v, j) => {
      const type = resp.columns[j].type;
      if (v && typeof v === 'object') {
        const size = v.bytes >= 0 ? `, ${v.bytes} bytes` : '';
        if (typeof v.json === 'string') {
          return h('td', {class: 'obj json', title: v.json}, clip(v.json, OBJECT_CHARS));
        }
        return h('td', {class: 'obj', title: `${v.type}: ${v.summary}${size}`}, `${v.type}: ${v.summary}${size}`);
      }
      const text = type === 'FLOAT' ? pyFloat(num(v)) : pyStr(v, type);
      return h('td', {class: type === 'STR' ? 'str' : '', title: text}, text);
    })));
    fill(box.querySelector('.rows'), nav, h('table', {class: 'rows-table'}, h('thead', {}, head), h('tbody', {}, body)));
  }

  async drawScalars(el) {
    let resp;
    try {
      resp = await api.scalars(this.id);
    } catch (e) {
      fill(el, h('p', {class: 'st-error'}, e.message));
      return;
    }
    for (const [tag, s] of Object.entries(resp.tags)) {
      const card = h('div', {class: 'chart-card'}, h('div', {class: 'c-head'}, h('span', {class: 'c-title'}, tag),
        h('span', {class: 'c-info'}, `${s.n} points`)));
      el.appendChild(card);
      const y = s.value.map((v) => num(v)).map((v) => (Number.isFinite(v) ? v : null));
      this.plots.push(new uPlot({width: 380, height: 200, legend: {show: false}, scales: {x: {time: false}},
        series: [{}, {label: tag, stroke: '#2f6fdf', width: 1.5, points: {show: false}, spanGaps: true}],
        axes: [{font: '11px system-ui, sans-serif'}, {size: 56, font: '11px system-ui, sans-serif', values: (u, v) => v.map(short)}]},
      [s.step.map(num), y], card));
    }
  }
}
