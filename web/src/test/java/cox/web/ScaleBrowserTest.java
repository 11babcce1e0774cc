package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;

/**
 * Measures the page on a big collection in the browser — not a pass/fail timing, a report: it
 * runs only when {@code -Dcox.web.scaleDir=FOLDER} names a collection (the bench module's
 * {@code ServeCollection 10000 1000} or {@code ServeCollection 100000 100} makes one) and writes
 * what it measured to stdout and {@code target/scale-browser.txt}. With
 * {@code -Dcox.web.scaleCacheDir=DIR} the server keeps its summary file there (a second run of
 * the test measures a restart with it). Times come from the page itself: Navigation Timing's origin
 * ({@code performance.now()}) to the first paint of the runs table; a sort from the click, and a
 * filter from its request (after the filter box's debounce), to the table painted (the page's
 * {@code coxTimings.lastPainted}: the first task after the animation frame that follows a render);
 * {@code performance.now()} around chart updates. {@code -Dcox.web.scaleCharts=false} measures
 * the table only.
 */
@EnabledIf(value = "cox.web.ScaleBrowserTest#configured",
        disabledReason = "measures cox serve at scale in the browser: -Pbrowser -Dcox.web.scaleDir=FOLDER "
                + "(make one with the bench module's ServeCollection 10000 1000)")
class ScaleBrowserTest {
    static Path dir;
    static CoxServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        dir = Path.of(System.getProperty("cox.web.scaleDir"));
        String cache = System.getProperty("cox.web.scaleCacheDir", "");
        server = CoxServer.builder(dir).port(0).summaryDir(cache.isEmpty() ? null : Path.of(cache)).start();
        browser = Browser.start(1400, 900);
    }

    static boolean configured() {
        String folder = System.getProperty("cox.web.scaleDir", "");
        return Browser.available() && !folder.isEmpty() && Files.isDirectory(Path.of(folder));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    double number(String script) {
        return ((Number) browser.js(script)).doubleValue();
    }

    double loadTable() {
        browser.waiting(3600).until(d -> browser.js("return !!(window.coxTimings && window.coxTimings.tableReady)"));
        return number("return window.coxTimings.tableReady");
    }

    @Test
    void measure() throws Exception {
        List<String> report = new ArrayList<>();
        long t0 = System.nanoTime();
        browser.driver.get(server.uri().toString());
        double first = loadTable();
        int runs = ((Number) browser.js("return document.querySelectorAll('#grid .g-row').length")).intValue();
        String counts = browser.driver.findElement(By.id("counts")).getText();
        report.add(String.format(Locale.ROOT, "first load (cold, every store read): table shown %.0f ms after navigation (%.1f s wall) — %s, %d rows in the DOM",
                first, (System.nanoTime() - t0) / 1e9, counts, runs));
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            browser.driver.navigate().refresh();
            warm.add(loadTable());
        }
        report.add("reload (warm cache): table shown after " + ms(warm) + " ms (5 reloads)");
        @SuppressWarnings("unchecked")
        Map<String, Object> nav = (Map<String, Object>) browser.js("const n = performance.getEntriesByType('navigation')[0];"
                + "return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd};");
        report.add("navigation timing of the last reload: DOMContentLoaded " + nav.get("dcl") + " ms, load " + nav.get("load") + " ms");

        // sort: from the click to the table painted (the page notes the end of the first task after the next
        // animation frame following a render: the frame with the new rows has been painted by then)
        long total = ((Number) browser.js("return document.querySelector('#grid .g-body').offsetHeight / 28")).longValue();
        // the first sort right after a load, before the page has worked out the ranks of the columns shown while idle
        report.add(String.format(Locale.ROOT, "sort %,d rows right after a reload, click to painted, in ms: %s", total,
                sortBy("m:val_acc")));
        List<String> sorts = new ArrayList<>();
        for (String col : List.of("m:loss", "m:loss", "m:loss", "p:lr", "p:lr", "p:optimizer", "p:optimizer", "p:arch",
                "m:val_acc", "exp_id", "m:loss")) {
            Thread.sleep(1500); // the page idle (the charts below drawn, the ranks of the columns shown worked out)
            sorts.add(sortBy(col));
        }
        report.add(String.format(Locale.ROOT, "sort %,d rows by a column, 1.5 s apart, click to painted, in ms (where the time "
                + "went): ", total) + String.join("; ", sorts));
        List<Double> scrolls = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            scrolls.add(number("const g = document.querySelector('#grid'); const t = performance.now();"
                    + "g.scrollTop = g.scrollHeight * " + (i / 5.0) + "; g.dispatchEvent(new Event('scroll'));"
                    + "return new Promise(r => requestAnimationFrame(() => r(performance.now() - t)));"));
        }
        report.add("scroll and paint the rows in view: " + ms(scrolls) + " ms; rows in the DOM: "
                + browser.js("return document.querySelectorAll('#grid .g-row').length"));

        // filter (the table sorted by m:loss): from the request (after the box's 200 ms debounce) to the table
        // painted; the server's answer (fetch and JSON) and the page's part (applying it, sorting, painting) apart
        List<String> filters = new ArrayList<>();
        for (String where : List.of("lr < 0.01 and optimizer == adam", "loss.best < 0.2 or arch == resnet50", "exp_id ~ 9$",
                "lr < 0.01 and optimizer == adam", "")) {
            Thread.sleep(1500);
            double before = number("return window.coxTimings.lastPainted || 0");
            browser.js("const w = document.querySelector('#where'); w.value = arguments[0];"
                    + "w.dispatchEvent(new Event('input'));", where);
            browser.waiting(120).until(d -> number("return window.coxTimings.lastPainted || 0") > before
                    && number("return window.coxTimings.lastPainted") > number("return window.coxTimings.filterStart || 0")
                    && number("return window.coxTimings.filterStart || 0") > before);
            double start = number("return window.coxTimings.filterStart");
            double painted = number("return window.coxTimings.lastPainted") - start;
            double fetch = where.isEmpty() ? 0 : number("return window.coxTimings.filterFetchMs");
            String shown = browser.driver.findElement(By.id("counts")).getText().replaceAll(" · .*", "");
            filters.add(String.format(Locale.ROOT, "'%s' %.0f = server %.0f + page %.0f (%s; %s)", where, painted, fetch,
                    painted - fetch, shown, parts()));
        }
        report.add(String.format(Locale.ROOT, "filter %,d runs, 1.5 s apart, request to painted, in ms: ", total) + String.join("; ", filters));

        if (!Boolean.parseBoolean(System.getProperty("cox.web.scaleCharts", "true"))) {
            write(report);
            return;
        }
        // charts of 1,000 runs: the first 1,000 runs, all shown
        String url = server.uri() + "?tab=charts&scope=filtered&where=" + java.net.URLEncoder.encode("exp_id < run-01000",
                java.nio.charset.StandardCharsets.UTF_8);
        List<String> charts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.driver.get(url);
            loadTable();
            browser.waiting(600).until(d -> browser.js("return window.coxTimings.charts && window.coxTimings.charts.runs") != null);
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) browser.js("return window.coxTimings.charts");
            assertThat(((Number) c.get("runs")).intValue()).isEqualTo(1000);
            charts.add(String.format(Locale.ROOT, "total %.0f ms (fetch %.0f, draw %.0f: align %.0f, uPlot %.0f)",
                    num(c.get("totalMs")), num(c.get("fetchMs")), num(c.get("drawMs")), num(c.get("buildMs")), num(c.get("plotMs"))));
        }
        report.add("charts of 1,000 runs, 4 metrics (page load to drawn, 3 times; the first reads the curves): "
                + String.join("; ", charts));
        List<Double> redraw = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.js("window.coxTimings.charts = null; document.querySelector('#log').click();");
            browser.waiting(120).until(d -> browser.js("return window.coxTimings.charts") != null);
            redraw.add(number("return window.coxTimings.charts.totalMs"));
        }
        report.add("redraw the 4 charts of 1,000 runs (log-scale toggle): " + ms(redraw) + " ms");

        if (total >= 10_000) {
            // charts of 10,000 runs: drawn on the shared grid, downsampled on the server
            String many = server.uri() + "?tab=charts&scope=filtered&where=" + java.net.URLEncoder.encode(
                    "exp_id < run-10000", java.nio.charset.StandardCharsets.UTF_8);
            List<String> big = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                browser.driver.get(many);
                loadTable();
                browser.waiting(1800).until(d -> browser.js("return window.coxTimings.charts && window.coxTimings.charts.runs") != null);
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) browser.js("return window.coxTimings.charts");
                assertThat(((Number) c.get("runs")).intValue()).isEqualTo(10_000);
                big.add(String.format(Locale.ROOT, "total %.0f ms (fetch %.0f, draw %.0f: align %.0f, uPlot %.0f), %s curves x %s points",
                        num(c.get("totalMs")), num(c.get("fetchMs")), num(c.get("drawMs")), num(c.get("buildMs")),
                        num(c.get("plotMs")), browser.js("return document.querySelector('.chart-card').dataset.series"),
                        browser.js("return document.querySelector('.chart-card').dataset.points")));
            }
            report.add("charts of 10,000 runs, 4 metrics (page load to drawn, 2 times): " + String.join("; ", big));
        }

        write(report);
    }

    /** Clicks a column's head and waits for the table painted: "col asc|desc ms (where the time went)". */
    private String sortBy(String col) {
        double t = number("window.coxTimings.sortParts = null; const t = performance.now();"
                + "document.querySelector('#grid .g-head [data-col=\"" + col + "\"]').click(); return t;");
        browser.waiting(60).until(d -> number("return window.coxTimings.lastPainted || 0") > t);
        double painted = number("return window.coxTimings.lastPainted") - t;
        String arrow = (String) browser.js("const c = document.querySelector('#grid .g-head [data-col=\"" + col + "\"]');"
                + "return c.textContent.endsWith('\u25bc') ? 'desc' : 'asc'");
        return String.format(Locale.ROOT, "%s %s %.0f (%s)", col, arrow, painted, parts());
    }

    /** Where the last render's time went (and the last sort's, if it sorted), as the page noted it. */
    private String parts() {
        return String.valueOf(browser.js("const r = {...window.coxTimings.render, ...(window.coxTimings.sortParts || {})};"
                + "return Object.entries(r).map(([k, v]) => k.replace('Ms', '') + ' ' + v.toFixed(1)).join(', ')"));
    }

    private void write(List<String> report) throws java.io.IOException {
        String text = String.join(System.lineSeparator(), report);
        System.out.println("cox serve at scale, " + dir + ":" + System.lineSeparator() + text);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "scale-browser.txt"), text + System.lineSeparator());
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String ms(List<Double> values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(String.format(Locale.ROOT, "%.0f", v));
        }
        return String.join(", ", out);
    }
}
