package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.loop.SandboxLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console in a real browser (Debian's Chromium, driven by Playwright; no browser download): log in, create a
 * sandbox connection and Connect it, create a demo return and watch its timeline reach PROCESSED/CLOSED, force a
 * failure and retry it from the console, edit the mapping and see the next decision follow it; the charts of the
 * overview and the connection page drawn with data, and the month's billing export downloaded and parsed.
 * Screenshots of the overview, the returns list and a return page go to target/screenshots/.
 */
class ConsoleBrowserTest extends ConsoleTestBase {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final double WAIT_MS = 25_000;

    static Playwright playwright;
    static Browser browser;
    Page page;

    @Autowired
    SandboxLoop loop;
    @Autowired
    SandboxDemo demo;

    @BeforeAll
    static void launch() throws Exception {
        assertThat(CHROMIUM).as("Chromium (apt-get install chromium; .ci/run does it)").exists();
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @AfterEach
    void closePage() {
        if (page != null) {
            page.context().close();
        }
    }

    @Test
    void anOperatorRunsAMerchantFromTheConsole() {
        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1360, 900)).newPage();
        page.setDefaultTimeout(WAIT_MS);

        // Log in (anonymous visitors land on the login page).
        page.navigate(base() + "/");
        assertThat(page.url()).endsWith("/login");
        page.fill("#username", USER);
        page.fill("#password", PASSWORD);
        page.click("button[type=submit]");
        page.waitForURL(url -> !url.contains("/login"));
        assertThat(page.locator("header.top").textContent()).contains(USER);

        // Create a sandbox connection and Connect it.
        page.navigate(base() + "/connections");
        page.click("#new-sandbox");
        page.fill("#id", "browser");
        page.click("#save");
        page.waitForURL(base() + "/connections/browser");
        page.click("#connect");
        Locator report = page.locator("#connect-report");
        assertThat(report.textContent()).contains("ALL CHECKS PASSED").contains("Loop webhooks")
                .contains("restock off");

        // A demo return goes through; its timeline reaches PROCESSED and the RMA is closed.
        openNewDemoReturn();
        waitForState("RMA_CREATED");
        page.reload();
        warehouse("Warehouse Complete", "all");
        waitForState("CLOSED");
        assertThat(timelineKinds()).contains("LOOP_EVENT", "RMA_CREATED", "DECISION", "LOOP_PROCESSED", "RMA_CLOSED",
                "DELIVERY");
        screenshot("return-page.png");

        // The page refreshes itself every 2 s; a body the operator opened stays open (bodies never change).
        Locator answer = page.locator("li[data-kind=CALL] details[id^=call-answer-]").first();
        answer.locator("summary").click();
        assertThat(answer.getAttribute("open")).isNotNull();
        page.waitForTimeout(4500);
        assertThat(page.locator("li[data-kind=CALL] details[id^=call-answer-]").first().getAttribute("open"))
                .as("still open after two refreshes").isNotNull();

        // A failure: Loop refuses Process; the return needs attention; Retry now fixes it.
        loop.faults().inject("process", SandboxFaults.Fault.refuse("Return is open and therefore cannot be processed."),
                1);
        openNewDemoReturn();
        waitForState("RMA_CREATED");
        page.reload();
        warehouse("Warehouse Complete", "all");
        waitForState("NEEDS_ATTENTION");
        assertThat(page.locator("#live").textContent()).contains("Loop refused Process");
        page.click("#retry");
        waitForState("CLOSED");
        assertThat(timelineKinds()).contains("OPERATOR_RETRY");

        // The mapping editor: a new status is flagged from now on.
        page.navigate(base() + "/connections/browser");
        page.fill("#m-flag", "Issue, Damaged, QA Hold");
        page.click("#save-mapping");
        assertThat(page.locator(".flash.ok").textContent()).contains("mapping saved");
        openNewDemoReturn();
        waitForState("RMA_CREATED");
        page.reload();
        warehouse("QA Hold", "all");
        waitForState("FLAGGED");
        assertThat(page.locator("#timeline").textContent()).contains("'QA Hold' maps to flag");

        page.navigate(base() + "/returns?connection=browser");
        assertThat(page.locator("table tbody tr").count()).isGreaterThanOrEqualTo(3);
        screenshot("returns-list.png");
        page.navigate(base() + "/");
        assertThat(page.locator("main").textContent()).contains("browser");
        assertChartsDrawn();
        screenshot("overview.png");
        page.navigate(base() + "/connections/browser");
        assertChartsDrawn();
        screenshot("connection.png");

        // The month's billing export, downloaded from the connection page: RFC 4180, the returns above in it.
        List<List<String>> csv = downloadThisMonthsExport("browser");
        List<String> header = csv.get(0);
        List<String> summary = csv.get(csv.size() - 1);
        assertThat(summary.get(0)).isEqualTo("summary");
        assertThat(csv.stream().filter(r -> r.get(0).equals("return")).count()).isGreaterThanOrEqualTo(3);
        assertThat(Integer.parseInt(summary.get(header.indexOf("processed")))).isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(summary.get(header.indexOf("flagged")))).isGreaterThanOrEqualTo(1);
    }

    /** On the connection page: picks this month, downloads its billing export as CSV, parses it strictly. */
    private List<List<String>> downloadThisMonthsExport(String connection) {
        page.fill("#billing-month", java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString());
        com.microsoft.playwright.Download download = page.waitForDownload(() -> page.click("#billing-download"));
        assertThat(download.suggestedFilename()).startsWith("billing-" + connection + "-").endsWith(".csv");
        try {
            return com.returnbridge.console.billing.StrictCsv.parse(Files.readString(download.path()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Both charts of the page drawn by Chart.js from their figures, the outcomes with at least one return. */
    private void assertChartsDrawn() {
        for (String id : List.of("#chart-outcomes", "#chart-confirmation")) {
            page.waitForSelector(id + "[data-ready=true]");
            Object datasets = page.locator(id).evaluate("c => Chart.getChart(c).data.datasets.length");
            assertThat(((Number) datasets).intValue()).as(id).isGreaterThanOrEqualTo(2);
        }
        Object returns = page.locator("#chart-outcomes").evaluate("c => Chart.getChart(c).data.datasets"
                + ".reduce((sum, d) => sum + d.data.reduce((a, b) => a + (b || 0), 0), 0)");
        assertThat(((Number) returns).intValue()).as("returns on the outcomes chart").isPositive();
        Object weeks = page.locator("#chart-confirmation").evaluate("c => Chart.getChart(c).data.datasets[0].data"
                + ".filter(v => v !== null).length");
        assertThat(((Number) weeks).intValue()).as("weeks with a median on the confirmation chart").isPositive();
    }

    @Test
    void aMerchantUserSeesOnlyItsOwnReturns() {
        for (String id : List.of("shop-one", "shop-two")) {
            sandbox.register(id, null, com.returnbridge.connection.StatusPolicy.defaults());
            long loopId = demo.createReturn(id, List.of(new SandboxDemo.DemoItem("SHOP-TEE", 1)), null).loopReturnId();
            awaitState(id, loopId, com.returnbridge.bridge.LinkState.RMA_CREATED);
        }
        var theirs = links.findByState("shop-two", com.returnbridge.bridge.LinkState.RMA_CREATED).get(0);
        ok(call("POST", "/api/users", """
                {"username":"shop-one-staff","password":"shop-one-password","role":"merchant",
                 "connections":["shop-one"],"timeZone":"Europe/Paris"}"""));

        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1360, 900)).newPage();
        page.setDefaultTimeout(WAIT_MS);
        page.navigate(base() + "/login");
        page.fill("#username", "shop-one-staff");
        page.fill("#password", "shop-one-password");
        page.click("button[type=submit]");
        page.waitForURL(url -> !url.contains("/login"));
        assertThat(page.locator("header.top").textContent()).contains("shop-one-staff")
                .contains("times in Europe/Paris");
        assertThat(page.locator("main").textContent()).contains("shop-one").doesNotContain("shop-two");

        page.navigate(base() + "/returns");
        List<String> connections = page.locator("table tbody tr td:nth-child(2)").allTextContents();
        assertThat(connections).isNotEmpty().allMatch(c -> c.contains("shop-one"));
        assertThat(page.locator("main").textContent()).doesNotContain(theirs.loopReturnId());
        screenshot("merchant-returns.png");
        page.locator("table tbody tr td a").first().click();
        page.waitForSelector("#state");
        assertThat(page.locator("#read-only").textContent()).contains("merchant");
        assertThat(page.locator("#retry").count()).isZero();

        // guessing the other merchant's return page
        var answer = page.navigate(base() + "/returns/" + theirs.id());
        assertThat(answer.status()).isEqualTo(403);
        assertThat(page.locator("main").textContent()).contains("Not allowed");
    }

    @Test
    void anOperatorReadsTheAgingQueueAndDownloadsAnExport() {
        sandbox.register("aging-shop", null, com.returnbridge.connection.StatusPolicy.defaults());
        long flagged = demo.createReturn("aging-shop", List.of(new SandboxDemo.DemoItem("AGING-TEE", 1)), null)
                .loopReturnId();
        awaitState("aging-shop", flagged, com.returnbridge.bridge.LinkState.RMA_CREATED);
        demo.receive(flagged, "Damaged", "all");
        awaitState("aging-shop", flagged, com.returnbridge.bridge.LinkState.FLAGGED);
        ok(call("POST", "/api/users", """
                {"username":"olga-operator","password":"olga-operator-password","role":"operator",
                 "connections":[],"timeZone":"America/New_York"}"""));

        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1360, 900)).newPage();
        page.setDefaultTimeout(WAIT_MS);
        page.navigate(base() + "/login");
        page.fill("#username", "olga-operator");
        page.fill("#password", "olga-operator-password");
        page.click("button[type=submit]");
        page.waitForURL(url -> !url.contains("/login"));

        // the aging queue: the flagged return waits for a person, with the time it has left
        page.navigate(base() + "/aging?connection=aging-shop");
        var row = page.locator("#aging tbody tr", new Page.LocatorOptions().setHasText(String.valueOf(flagged)));
        assertThat(row.count()).isEqualTo(1);
        assertThat(row.textContent()).contains("flagged").contains("aging-shop");
        assertThat(row.locator("td .badge").first().textContent()).isNotBlank(); // the time it has left
        screenshot("aging.png");

        // and the month's billing export, downloaded from the connection page
        page.navigate(base() + "/connections/aging-shop");
        List<List<String>> csv = downloadThisMonthsExport("aging-shop");
        List<String> header = csv.get(0);
        assertThat(csv).anyMatch(r -> r.get(0).equals("return")
                && r.get(header.indexOf("loop_return_id")).equals(String.valueOf(flagged))
                && r.get(header.indexOf("flagged")).equals("1"));
    }

    private void openNewDemoReturn() {
        page.navigate(base() + "/connections/browser");
        page.click("#demo-return");
        // The list is filtered on the new return; its link appears once return.created has been stored.
        for (int i = 0; i < 50 && page.locator("table tbody tr td a").count() == 0; i++) {
            page.waitForTimeout(300);
            page.reload();
        }
        page.click("table tbody tr td a");
        page.waitForSelector("#state");
    }

    private void waitForState(String state) {
        page.waitForSelector("#state[data-state='" + state + "']");
    }

    private void warehouse(String status, String received) {
        page.fill("#warehouse-status", status);
        page.selectOption("#warehouse-received", received);
        page.click("#warehouse-submit");
        assertThat(page.locator(".flash.ok").textContent()).contains("sandbox warehouse");
    }

    private List<String> timelineKinds() {
        return page.locator("#timeline li").all().stream().map(li -> li.getAttribute("data-kind")).toList();
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)).setFullPage(true));
    }
}
