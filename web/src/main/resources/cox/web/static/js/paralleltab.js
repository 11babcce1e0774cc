// The Parallel coordinates tab: an axis for each parameter the table shows and one for the metric
// chosen to colour by; ranges brushed on the axes can become the filter.
import {$} from './dom.js';
import {pyStr, short} from './text.js';
import {ParCoords} from './parcoords.js';
import {metricValue} from './view.js';

/** The metric to colour by when none is chosen: a loss or accuracy if there is one, else the first that is not x. */
export function defaultColourMetric(view, data) {
  const names = data.metrics.map((m) => m.name);
  for (const n of ['val_loss', 'loss', 'val_acc', 'acc']) if (names.includes(n)) return n;
  return names.find((n) => n !== 'epoch' && n !== view.x) || names[0] || '';
}

export class ParallelTab {
  /**
   * @param view the view (colour metric, summary, selection: read here)
   * @param data the page's data (the table's rows and columns as shown, metrics)
   */
  constructor(view, data) {
    this.view = view;
    this.data = data;
    this.parcoords = new ParCoords($('#parcoords'), (ranges) => {
      $('#pc-apply').disabled = ranges.length === 0;
      $('#pc-clear').disabled = ranges.length === 0;
    });
  }

  render() {
    const view = this.view;
    const data = this.data;
    const metric = view.pc || defaultColourMetric(view, data);
    const cols = data.columns.filter((c) => c.kind === 'param');
    const axes = cols.map((c) => ({id: c.id, name: c.id.slice(2), type: c.type,
      value: (r) => r.param(c.id.slice(2)), text: (r) => pyStr(r.param(c.id.slice(2)), c.type)}));
    const m = data.metrics.find((x) => x.name === metric);
    if (m) {
      axes.push({id: 'm:' + m.name, name: `${m.name}.${view.summary === 'at' ? 'at' : view.summary}`, type: 'FLOAT', metric: true,
        goal: m.goal, value: (r) => metricValue(view, r, m.name), text: (r) => short(metricValue(view, r, m.name))});
    }
    this.parcoords.draw({axes, runs: data.rows, selected: view.sel});
  }

  /**
   * Takes the brushed ranges out as a filter expression (and clears them).
   *
   * @return the expression, or '' if no range is brushed
   */
  takeRanges() {
    const expr = this.parcoords.filterExpression();
    if (!expr) return '';
    this.parcoords.clearRanges();
    return expr;
  }

  clearRanges() {
    this.parcoords.clearRanges();
    this.render();
  }
}
