// What the page shows: the runs (table and one tab: charts, parallel coordinates or diff) or one
// run's page, as the URL says; opening and closing a run are history entries, so Back works.
import {$} from './dom.js';
import {readView, saveView} from './view.js';

const TABS = ['charts', 'parallel', 'diff'];

/** The tab below the table: shows the one the view names, now or after the table is painted. */
export class Tabs {
  /**
   * @param view the view (its tab)
   * @param renderers {charts(), parallel(), diff()}: draw each tab
   */
  constructor(view, renderers) {
    this.view = view;
    this.renderers = renderers;
    this.timer = 0;
  }

  show() {
    const tab = this.view.tab;
    for (const b of document.querySelectorAll('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    for (const t of TABS) $('#tab-' + t).hidden = t !== tab;
    if (tab === 'charts') this.renderers.charts();
    else if (tab === 'parallel') this.renderers.parallel();
    else this.renderers.diff();
  }

  /** Shows the tab once the table is painted (after the next frame), so sorting and filtering stay quick. */
  schedule() {
    if (this.timer) return;
    this.timer = requestAnimationFrame(() => setTimeout(() => {
      this.timer = 0;
      this.show();
    }, 0));
  }
}

/** The runs or one run's page, following the URL's run. */
export class Router {
  /**
   * @param view the view (its open run)
   * @param runPage the run page (show(id), hide())
   * @param opts {isLoaded(), showRuns()}: whether the runs are loaded, and draws them again
   */
  constructor(view, runPage, {isLoaded, showRuns}) {
    this.view = view;
    this.runPage = runPage;
    this.isLoaded = isLoaded;
    this.showRuns = showRuns;
  }

  open(id) {
    this.view.run = id;
    saveView(this.view, true);
    this.route();
  }

  close() {
    this.view.run = '';
    saveView(this.view, true);
    this.route();
  }

  /** Shows what the URL names now (after a link, Back or Forward). */
  route() {
    const view = this.view;
    view.run = readView(location.search).run;
    $('#main').hidden = !!view.run;
    $('#run-page').hidden = !view.run;
    if (view.run) this.runPage.show(view.run);
    else {
      this.runPage.hide();
      if (this.isLoaded()) this.showRuns();
    }
  }
}
