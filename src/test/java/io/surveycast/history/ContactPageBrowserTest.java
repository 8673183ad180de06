package io.surveycast.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.ApiServer;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The contact page in headless Chromium, on a phone's screen: from the response list to the
 * contact by its name, a comment holding a script shown as text and not run, every table a column
 * of labelled cards, then on to its account. Skipped without Chromium, as DashboardBrowserTest.
 */
class ContactPageBrowserTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void fromTheResponseListToTheContactAndItsAccountOnAPhone() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (System.getenv("SURVEYCAST_REQUIRE_BROWSER") == null) {
            Assumptions.assumeTrue(present, "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        }
        assertThat(present).as("chromium and chromium-driver installed").isTrue();
        ContactHistoryTest.kim(db.dsl());
        try (ApiServer server = new ApiServer(db)) {
            Path shots = Files.createDirectories(Path.of("target", "screenshots"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=390,844",
                    "--user-data-dir=" + Files.createTempDirectory("chromium"));
            WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                    .usingAnyFreePort().build(), options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(server.base + "/responses");
                wait.until(d -> d.getCurrentUrl().contains("/login"));
                browser.findElement(By.id("token")).sendKeys(server.tokens.get(Role.VIEWER));
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(d -> d.getCurrentUrl().endsWith("/responses"));
                browser.findElement(By.linkText("Kim <b>")).click();
                wait.until(d -> d.getCurrentUrl().endsWith("/contacts/k%201%2Fa"));

                assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Kim <b>");
                assertThat(browser.findElement(By.cssSelector("#answers tbody tr")).getText())
                        .as("the newest answer first, its comment as text").contains(ContactHistoryTest.XSS);
                assertThat(browser.findElements(By.cssSelector("#answers script"))).isEmpty();
                JavascriptExecutor js = (JavascriptExecutor) browser;
                try {
                    browser.switchTo().alert();
                    throw new AssertionError("the comment's script ran");
                } catch (NoAlertPresentException expected) {
                    // nothing ran
                }
                assertThat(browser.findElement(By.id("trend")).getText()).isEqualTo("9 → 3");
                Number overflow = (Number) js.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as("nothing wider than the phone's screen").isLessThanOrEqualTo(0);
                for (String table : new String[] {"answers", "invitations", "messages", "suppressions"}) {
                    assertThat(js.executeScript("return getComputedStyle(document.querySelector('#" + table
                            + " tbody td')).display")).as(table + ": rows as cards").isEqualTo("block");
                }
                save(browser, shots.resolve("contact-phone.png"));

                browser.findElement(By.id("account-link")).click();
                wait.until(d -> d.getCurrentUrl().endsWith("/accounts/acme"));
                assertThat(browser.findElement(By.id("account-nps")).getText()).as("Kim's 3 in the last 90 days").isEqualTo("-100.0");
                save(browser, shots.resolve("account-phone.png"));
            } catch (RuntimeException | AssertionError e) {
                save(browser, shots.resolve("contact-failure.png"));
                throw new AssertionError("at " + browser.getCurrentUrl() + ": " + browser.getPageSource(), e);
            } finally {
                browser.quit();
            }
        }
    }

    private static void save(WebDriver browser, Path file) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
