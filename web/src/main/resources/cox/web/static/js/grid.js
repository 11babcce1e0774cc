// The runs table: a virtualised grid. Only the rows in view (plus a margin) are in the DOM, so
// 100,000 runs scroll as fast as 10. Every cell is text (textContent).
import {h} from './dom.js';

const OVERSCAN = 8;

export class Grid {
  /**
   * @param el the scroll container
   * @param opts {rowHeight, cell(row, col) -> {text, cls, title}, isSelected(row), onToggle(row, event),
   *   onToggleAll(), onSort(col), onOpen(row), rowKey(row), countSelected(rows) (optional: how many
   *   of rows are selected, if the caller knows faster than asking isSelected of each)}
   */
  constructor(el, opts) {
    this.el = el;
    this.opts = opts;
    this.rh = opts.rowHeight || 28;
    this.columns = [];
    this.rows = [];
    this.sort = null;
    this.head = h('div', {class: 'g-head', role: 'row'});
    this.body = h('div', {class: 'g-body', role: 'rowgroup'});
    el.replaceChildren(this.head, this.body);
    el.setAttribute('role', 'grid');
    this.frame = 0;
    this.cache = new Map();
    this.viewH = 0; // the container's height, kept so a paint after a change need not wait for a layout
    this.headH = 0;
    el.addEventListener('scroll', () => this.schedule(), {passive: true});
    new ResizeObserver(() => {
      this.viewH = 0;
      this.schedule();
    }).observe(el);
  }

  /** cols: [{id, label, width, cls, title}]; paint false when setRows follows (it paints) */
  setColumns(cols, sort, paint = true) {
    this.columns = cols;
    this.sort = sort;
    this.template = cols.map((c) => c.width + 'px').join(' ');
    this.width = cols.reduce((a, c) => a + c.width, 0);
    const cells = cols.map((c) => {
      if (c.id === '_select') {
        return h('div', {class: 'g-cell g-check'},
          h('input', {type: 'checkbox', title: 'select all shown runs', 'aria-label': 'select all',
            onclick: (e) => { e.preventDefault(); this.opts.onToggleAll(); }}));
      }
      const arrow = sort && sort.col === c.id ? (sort.desc ? ' ▼' : ' ▲') : '';
      return h('div', {class: 'g-cell g-sortable ' + (c.cls || ''), title: (c.title || c.label) + ' — click to sort',
        'data-col': c.id, onclick: () => this.opts.onSort(c.id)}, h('span', {class: 'g-label'}, c.label), arrow);
    });
    this.head.replaceChildren(...cells);
    this.head.style.gridTemplateColumns = this.template;
    this.head.style.width = this.width + 'px';
    this.body.style.width = this.width + 'px';
    if (paint) this.paint(true);
  }

  /**
   * Shows rows, painting those in view at scroll position top (the container's scrollTop, read
   * by the caller before it changed the page, or 0 after it set it so): the paint then does not
   * wait for a layout of the page. Without top, the container's scrollTop is read.
   */
  setRows(rows, top) {
    this.rows = rows;
    this.body.style.height = rows.length * this.rh + 'px';
    // as tall as the rows need, up to 42% of the window
    const need = (rows.length + 1) * this.rh + 20;
    const height = Math.max(140, Math.min(Math.round(window.innerHeight * 0.42), need));
    if (height !== this.height) {
      this.el.style.height = height + 'px';
      this.height = height;
      this.viewH = height;
    }
    this.paint(true, top);
  }

  /** Repaints the visible rows (after a change to the data of some rows). */
  refresh() {
    this.paint(true);
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint(false);
    });
  }

  paint(force, scrollTop) {
    const t0 = performance.now();
    const top = scrollTop === undefined ? this.el.scrollTop : scrollTop;
    if (!this.viewH) this.viewH = this.el.clientHeight || 600;
    if (!this.headH) this.headH = this.head.offsetHeight;
    const height = this.viewH;
    const headH = this.headH || this.rh;
    const t1 = performance.now();
    const first = Math.max(0, Math.floor((top - headH) / this.rh) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / this.rh) + OVERSCAN);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const out = [];
    this.nextCache = new Map();
    for (let i = first; i < last; i++) out.push(this.renderRow(this.rows[i], i));
    this.cache = this.nextCache;
    const t2 = performance.now();
    this.body.replaceChildren(...out);
    const check = this.head.querySelector('input');
    if (check) {
      const n = this.opts.countSelected ? this.opts.countSelected(this.rows)
        : this.rows.filter((r) => this.opts.isSelected(r)).length;
      check.checked = n > 0 && n === this.rows.length;
      check.indeterminate = n > 0 && n < this.rows.length;
    }
    this.timings = {layoutMs: t1 - t0, rowsMs: t2 - t1, domMs: performance.now() - t2};
  }

  renderRow(row, i) {
    const selected = this.opts.isSelected(row);
    const key = this.opts.rowKey(row);
    const values = this.columns.map((c) => (c.id === '_select' ? null : this.opts.cell(row, c)));
    // a row whose cells did not change keeps its element, so a live update never swaps the
    // checkbox or link under the user's pointer
    const sig = i + '|' + selected + '|' + this.template + '|' + values.map((v) => (v ? v.text + '\u0001' + (v.cls || '') + '\u0001' + (v.title || '') : '')).join('\u0002');
    const cached = this.cache.get(key);
    if (cached && cached.sig === sig) {
      this.nextCache.set(key, cached);
      return cached.el;
    }
    const el = h('div', {class: 'g-row' + (selected ? ' selected' : '') + (i % 2 ? ' odd' : ''), role: 'row', 'data-id': key});
    el.style.top = i * this.rh + 'px';
    el.style.gridTemplateColumns = this.template;
    el.style.height = this.rh + 'px';
    this.columns.forEach((c, k) => {
      if (c.id === '_select') {
        el.appendChild(h('div', {class: 'g-cell g-check'}, h('input', {type: 'checkbox', checked: selected,
          'aria-label': 'select ' + key, onclick: (e) => this.opts.onToggle(row, e)})));
        return;
      }
      const v = values[k];
      const cell = h('div', {class: 'g-cell ' + (c.cls || '') + (v.cls ? ' ' + v.cls : ''), role: 'gridcell',
        title: v.title || v.text});
      if (v.href) {
        cell.appendChild(h('a', {href: v.href, onclick: (e) => {
          if (e.button === 0 && !e.ctrlKey && !e.metaKey) { e.preventDefault(); this.opts.onOpen(row); }
        }}, v.text));
      } else {
        cell.textContent = v.text;
      }
      el.appendChild(cell);
    });
    this.nextCache.set(key, {sig, el});
    return el;
  }
}
