package io.surveycast.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.demo.DemoSeed;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver; .ci/run installs
 * them and sets SURVEYCAST_REQUIRE_BROWSER, elsewhere the test is skipped without them): sign in,
 * see the charts drawn from the demo company's data, open a detractor's response, filter the
 * detractors, open a campaign; then, as ops, work a follow-up case from the queue (open it, take it,
 * note it, close it). Screenshots go to target/screenshots/.
 */
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void signInSeeTheChartsFilterDetractorsAndOpenACampaign() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("SURVEYCAST_REQUIRE_BROWSER") == null) {
            Assumptions.assumeTrue(present, "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        }
        assertThat(present).as("chromium and chromium-driver installed").isTrue();
        Clock clock = Clock.systemUTC();
        new DemoSeed(db.dsl(), clock).seedIfEmpty();
        // some contacts' plan is a formula: the segment filter offers it, the CSV download neutralises it
        db.dsl().execute("update contact set attributes = attributes || '{\"plan\": \"=cmd\"}'::jsonb "
                + "where id in (select id from contact order by id limit 300)");
        String token = new Users(db.dsl(), clock).add("viv", Role.VIEWER, "test").token();
        String opsToken = new Users(db.dsl(), clock).add("olga", Role.OPS, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", // no public URL: its default names localhost, the browser says 127.0.0.1
                "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H",
                "SURVEYCAST_INDUSTRY", "software", // the Segments chart draws the benchmark line
                "SURVEYCAST_THEMES_MODEL", "false")), db.database(), clock); // keyword rules tag the demo's comments at once
        serve.start();
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Path profile = Files.createTempDirectory("chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        Path downloads = Files.createTempDirectory("downloads");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            // a form post redirects and reloads the page: an element read in a wait may be gone by then, try again
            var wait = new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            browser.get(base + "/");
            wait.until(d -> d.getCurrentUrl().contains("/login"));
            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/"));
            JavascriptExecutor js = (JavascriptExecutor) browser;
            // the charts are drawn: Chart.js holds a chart with the quarters on each canvas
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "var c = window.Chart && Chart.getChart(document.getElementById('nps-trend'));"
                            + "return !!c && c.data.labels.length >= 4 && c.data.datasets[2].data.every(function (v) { return v !== null; });")));
            Number bars = (Number) js.executeScript(
                    "return Chart.getChart(document.getElementById('rate-trend')).data.datasets[0].data.length;");
            assertThat(bars.intValue()).isGreaterThanOrEqualTo(4);
            assertThat(browser.findElement(By.id("kpi-nps")).getText()).matches("-?\\d+\\.\\d");
            // the loop's figures beside NPS (issue 14.7), leading to the case queue
            assertThat(browser.findElement(By.cssSelector("#loop-figures a[href='/cases'] #kpi-overdue-cases")).getText()).matches("[\\d,]+");
            save(browser, shots.resolve("overview.png"));

            var firstComment = browser.findElement(By.cssSelector(".comments li a"));
            String who = firstComment.getText();
            firstComment.click();
            wait.until(d -> d.getCurrentUrl().contains("/responses/"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).contains(who);
            assertThat(browser.findElement(By.cssSelector(".score")).getAttribute("class")).contains("detractor");
            assertThat(browser.findElements(By.cssSelector("nav[aria-label=Main] a[href='/campaigns']")))
                    .as("the response page keeps the navigation").hasSize(1);
            assertThat(browser.findElements(By.cssSelector("link[rel=icon]"))).as("a favicon").hasSize(1);
            save(browser, shots.resolve("detractor-response.png"));

            // responses: filter the detractors
            browser.get(base + "/responses");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("category"))).selectByValue("detractor");
            browser.findElement(By.id("filter")).click();
            wait.until(d -> d.getCurrentUrl().contains("category=detractor"));
            var rows = browser.findElements(By.cssSelector("#responses tbody tr[data-category]"));
            assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.getAttribute("data-category")).isEqualTo("detractor"));
            save(browser, shots.resolve("detractors.png"));

            // themes: every default theme ranked, with its latest comments (tagged within seconds of the start)
            // and their chips; a chip lists the responses with that theme
            browser.findElement(By.cssSelector("nav[aria-label=Main] a[href='/themes']")).click();
            wait.until(d -> {
                d.navigate().refresh();
                return d.findElements(By.cssSelector("#themes tbody tr[data-theme]")).size() == 7
                        && !d.findElements(By.cssSelector("section[id^=theme-] li[data-response] a.chip")).isEmpty();
            });
            assertThat(browser.findElements(By.cssSelector("#themes tbody td[data-label=Impact]")))
                    .anySatisfy(td -> assertThat(td.getText()).matches("[-+]?\\d+\\.\\d"));
            save(browser, shots.resolve("themes.png"));
            var chip = browser.findElement(By.cssSelector("section[id^=theme-] li[data-response] a.chip"));
            String theme = chip.getText();
            chip.click();
            wait.until(d -> d.getCurrentUrl().contains("/responses?theme=" + theme));
            assertThat(browser.findElements(By.cssSelector("#responses tbody tr[data-category]"))).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.findElements(By.cssSelector("a.chip")))
                            .anySatisfy(c -> assertThat(c.getText()).isEqualTo(theme)));

            // a campaign: its funnel and the 0-10 distribution drawn; a viewer gets no pause button
            browser.get(base + "/campaigns");
            assertThat(browser.findElements(By.xpath("//button[normalize-space()='Pause']"))).isEmpty();
            browser.findElement(By.linkText("Quarterly relationship NPS")).click();
            wait.until(d -> d.getCurrentUrl().endsWith("/campaigns/quarterly-nps"));
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "var c = window.Chart && Chart.getChart(document.getElementById('distribution'));"
                            + "return !!c && c.data.datasets[0].data.length === 11 && c.data.datasets[0].data.some(function (v) { return v > 0; });")));
            assertThat(Long.parseLong(browser.findElement(By.id("funnel-invited")).getText().replace(",", ""))).isPositive();
            assertThat(browser.findElements(By.cssSelector("#lift tbody tr"))).as("the invite and its reminder").hasSize(2);
            Number forecastDays = (Number) js.executeScript(
                    "var c = Chart.getChart(document.getElementById('forecast')); return c ? c.data.labels.length : 0;");
            if (browser.findElements(By.id("forecast-empty")).isEmpty()) {
                assertThat(forecastDays.intValue()).as("a forecast of the next 30 days").isBetween(30, 31);
            } else {
                assertThat(forecastDays.intValue()).as("no empty chart beside the message").isZero();
            }
            save(browser, shots.resolve("campaign.png"));

            // the overview filtered: a segment and a date range change the figures to what the raw rows say
            browser.get(base + "/");
            String everyone = browser.findElement(By.id("kpi-responded")).getText();
            java.time.LocalDate to = java.time.LocalDate.now(clock);
            java.time.LocalDate from = to.minusDays(180);
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("where"))).selectByValue("attr:plan=enterprise");
            js.executeScript("document.getElementById('from').value = arguments[0]; document.getElementById('to').value = arguments[1];",
                    from.toString(), to.toString());
            browser.findElement(By.id("apply-filter")).click();
            wait.until(d -> d.getCurrentUrl().contains("where=attr%3Aplan%3Denterprise") && d.getCurrentUrl().contains("from=" + from));
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "var c = window.Chart && Chart.getChart(document.getElementById('nps-trend')); return !!c;")));
            assertThat(browser.findElement(By.id("kpi-responded")).getText())
                    .isEqualTo(String.valueOf(respondedEnterprise(from, to))).isNotEqualTo(everyone);
            assertThat(browser.findElement(By.id("filter-segment")).getText()).isEqualTo("Contacts with plan = enterprise");
            save(browser, shots.resolve("overview-filtered.png"));

            // the Segments page: each plan's NPS by quarter, one line per plan; the "=cmd" segment's rows downloaded
            browser.findElement(By.cssSelector("nav[aria-label=Main] a[href='/segments']")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/segments"));
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("by1"))).selectByValue("attr:plan");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("by2"))).selectByValue("quarter");
            browser.findElement(By.id("apply-breakdown")).click();
            wait.until(d -> d.getCurrentUrl().contains("by1=attr%3Aplan&by2=quarter"));
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "var c = window.Chart && Chart.getChart(document.getElementById('segments-chart'));"
                            + "return !!c && c.data.datasets.length >= 5 && c.data.labels.length >= 4"
                            + " && c.data.datasets[c.data.datasets.length - 1].label === 'Industry benchmark';")));
            save(browser, shots.resolve("segments.png"));
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("where"))).selectByValue("attr:plan==cmd");
            browser.findElement(By.id("apply-filter")).click();
            wait.until(d -> d.getCurrentUrl().contains("where=attr%3Aplan%3D%3Dcmd"));
            assertThat(browser.findElements(By.cssSelector("#segments tbody tr td:first-child")))
                    .isNotEmpty().allSatisfy(td -> assertThat(td.getText()).isEqualTo("=cmd"));
            browser.findElement(By.id("download-rows")).click();
            Path csv = downloads.resolve("nps-by-attr-plan-quarter.csv");
            wait.until(d -> Files.exists(csv) && csv.toFile().length() > 0);
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.get(0)).startsWith("group_1,group_2,invited,");
            assertThat(lines.subList(1, lines.size())).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("'=cmd,"));

            // on a phone: nothing wider than the screen
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            for (String page : new String[] {"/", "/responses?category=detractor", "/campaigns/quarterly-nps", "/themes",
                    "/segments", "/segments?by1=category", "/?where=attr%3Aplan%3Dpro"}) {
                browser.get(base + page);
                Number overflow = (Number) js.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as("horizontal overflow on %s", page).isLessThanOrEqualTo(0);
            }
            // and no table hides columns off to the side (each row is a card of labelled cells)
            for (String page : new String[] {"/campaigns", "/responses", "/suppressions", "/themes"}) {
                browser.get(base + page);
                Number hidden = (Number) js.executeScript("var worst = 0; document.querySelectorAll('.table-wrap').forEach("
                        + "function (w) { worst = Math.max(worst, w.scrollWidth - w.clientWidth); }); return worst;");
                assertThat(hidden.intValue()).as("a table wider than the phone's screen on %s", page).isLessThanOrEqualTo(0);
            }
            save(browser, shots.resolve("responses-phone.png"));
            // a wide table scrolls inside its card with its first column kept in view
            for (String page : new String[] {"/segments", "/segments?by1=category", "/campaigns/quarterly-nps"}) {
                browser.get(base + page);
                Number shift = (Number) js.executeScript("var worst = 0; document.querySelectorAll('table.sticky').forEach(function (t) {"
                        + "var w = t.closest('.table-wrap'); w.scrollLeft = w.scrollWidth;"
                        + "var cell = t.querySelector('tbody td'); if (cell) { worst = Math.max(worst,"
                        + " Math.abs(cell.getBoundingClientRect().left - w.getBoundingClientRect().left)); } }); return worst;");
                assertThat(shift.intValue()).as("the first column moved off %s", page).isLessThanOrEqualTo(2);
            }
            browser.get(base + "/segments");
            save(browser, shots.resolve("segments-phone.png"));
            js.executeScript("var w = document.getElementById('segments').closest('.table-wrap'); w.scrollIntoView(); w.scrollLeft = 200;");
            save(browser, shots.resolve("segments-table-phone.png"));
            browser.get(base + "/");
            save(browser, shots.resolve("overview-phone.png"));

            // the case queue, as ops: open the first case (the demo's detractors opened them), take it,
            // note it, close it (without a reason first: the error is shown and nothing changes)
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
            browser.manage().deleteAllCookies();
            browser.get(base + "/cases");
            wait.until(d -> d.getCurrentUrl().contains("/login"));
            browser.findElement(By.id("token")).sendKeys(opsToken);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/cases"));
            var queue = browser.findElements(By.cssSelector("#cases tbody tr[data-case]"));
            assertThat(queue).as("the demo's open cases").isNotEmpty();
            String caseId = queue.getFirst().getAttribute("data-case");
            save(browser, shots.resolve("cases.png"));
            queue.getFirst().findElement(By.cssSelector("a[href='/cases/" + caseId + "']")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/cases/" + caseId));
            browser.findElement(By.id("take")).click();
            wait.until(d -> d.findElement(By.id("owner")).getText().equals("olga"));
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("in_progress");
            browser.findElement(By.id("text")).sendKeys("Called, refund on its way");
            browser.findElement(By.id("add-note")).click();
            wait.until(d -> d.findElement(By.id("notes")).getText().contains("Called, refund on its way"));
            assertThat(browser.findElement(By.id("notes")).getText()).contains("olga");
            browser.findElement(By.id("close")).click();
            wait.until(d -> !d.findElements(By.id("error")).isEmpty());
            assertThat(browser.findElement(By.id("error")).getText()).contains("close_reason: required");
            browser.findElement(By.id("reason")).sendKeys("refund agreed");
            browser.findElement(By.id("close")).click();
            wait.until(d -> d.findElement(By.id("status")).getText().startsWith("closed (refund agreed)"));
            assertThat(browser.findElements(By.id("close-form"))).isEmpty();
            save(browser, shots.resolve("case-closed.png"));
            browser.findElement(By.linkText("Cases")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/cases"));
            assertThat(browser.findElements(By.cssSelector("#cases tbody tr[data-case='" + caseId + "']")))
                    .as("a closed case leaves the queue").isEmpty();
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            for (String page : new String[] {"/cases", "/cases/" + caseId}) {
                browser.get(base + page);
                Number overflow = (Number) js.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as("horizontal overflow on %s", page).isLessThanOrEqualTo(0);
            }

            // a wall-display link: the charts are drawn there too, without sign-in, and nothing links into the dashboard
            browser.manage().deleteAllCookies();
            browser.get(new io.surveycast.share.Shares(db.dsl(), clock, base).create(null, "test").url());
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "var c = window.Chart && Chart.getChart(document.getElementById('nps-trend'));"
                            + "return !!c && c.data.labels.length >= 4;")));
            assertThat(browser.findElements(By.cssSelector("#comments li"))).as("the demo's comments").isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("a[href]"))).as("no link anywhere").isEmpty();
            save(browser, shots.resolve("wall-display.png"));
        } catch (RuntimeException | AssertionError e) {
            save(browser, shots.resolve("failure.png"));
            throw new AssertionError("at " + browser.getCurrentUrl() + ": " + browser.getPageSource(), e);
        } finally {
            browser.quit();
            serve.stop();
        }
    }

    /** The answers to the invitations sent from {@code from} to {@code to} (UTC days) to enterprise contacts, from the raw rows. */
    private long respondedEnterprise(java.time.LocalDate from, java.time.LocalDate to) {
        var i = io.surveycast.db.Tables.INVITATION;
        var c = io.surveycast.db.Tables.CONTACT;
        var r = io.surveycast.db.Tables.RESPONSE;
        return db.dsl().fetchCount(db.dsl().select(r.ID).from(r).join(i).on(i.ID.eq(r.INVITATION_ID)).join(c).on(c.ID.eq(i.CONTACT_ID))
                .where(i.SENT_AT.ge(from.atStartOfDay().atOffset(java.time.ZoneOffset.UTC)),
                        i.SENT_AT.lt(to.plusDays(1).atStartOfDay().atOffset(java.time.ZoneOffset.UTC)),
                        org.jooq.impl.DSL.field("{0} ->> 'plan'", String.class, c.ATTRIBUTES).eq("enterprise")));
    }

    private static void save(WebDriver browser, Path file) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
