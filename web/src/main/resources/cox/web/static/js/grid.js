// The runs table: a virtualised grid. Only the rows in view (plus a margin) are in the DOM, so
// 10,000 runs scroll and sort as fast as 10. Every cell is text (textContent).
import {h} from './dom.js';

const OVERSCAN = 8;

export class Grid {
  /**
   * @param el the scroll container
   * @param opts {rowHeight, cell(row, col) -> {text, cls, title}, isSelected(row), onToggle(row, event),
   *   onToggleAll(), onSort(col), onOpen(row), rowKey(row)}
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
    el.addEventListener('scroll', () => this.schedule(), {passive: true});
    new ResizeObserver(() => this.schedule()).observe(el);
  }

  /** cols: [{id, label, width, cls, title}] */
  setColumns(cols, sort) {
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
    this.paint(true);
  }

  setRows(rows) {
    this.rows = rows;
    this.body.style.height = rows.length * this.rh + 'px';
    this.paint(true);
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

  paint(force) {
    const top = this.el.scrollTop;
    const height = this.el.clientHeight || 600;
    const headH = this.head.offsetHeight || this.rh;
    const first = Math.max(0, Math.floor((top - headH) / this.rh) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / this.rh) + OVERSCAN);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const out = [];
    for (let i = first; i < last; i++) out.push(this.renderRow(this.rows[i], i));
    this.body.replaceChildren(...out);
    const check = this.head.querySelector('input');
    if (check) {
      const n = this.rows.filter((r) => this.opts.isSelected(r)).length;
      check.checked = n > 0 && n === this.rows.length;
      check.indeterminate = n > 0 && n < this.rows.length;
    }
  }

  renderRow(row, i) {
    const selected = this.opts.isSelected(row);
    const el = h('div', {class: 'g-row' + (selected ? ' selected' : '') + (i % 2 ? ' odd' : ''), role: 'row',
      'data-id': this.opts.rowKey(row)});
    el.style.top = i * this.rh + 'px';
    el.style.gridTemplateColumns = this.template;
    el.style.height = this.rh + 'px';
    for (const c of this.columns) {
      if (c.id === '_select') {
        el.appendChild(h('div', {class: 'g-cell g-check'}, h('input', {type: 'checkbox', checked: selected,
          'aria-label': 'select ' + this.opts.rowKey(row), onclick: (e) => this.opts.onToggle(row, e)})));
        continue;
      }
      const v = this.opts.cell(row, c);
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
    }
    return el;
  }
}
