package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.test.ResilienceTest;
import dev.resilience.test.ResilienceTester;
import dev.resilience.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard page in a real headless Chromium against the running sample: it shows a breaker opening after
 * the test opens it, an admin's click forces a breaker open, and a viewer sees no buttons. The page polls every
 * 2 s, so the waits are bounded waits for what the page shows, in real time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ResilienceTest
class DashboardBrowserTest {

    private static final Duration PAGE = Duration.ofSeconds(30);

    /**
     * Selenium warns that it has no CDP bindings for this Chromium's version; the test sends its one CDP command
     * without them. Held here: the JDK keeps loggers only while someone refers to them.
     */
    private static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM.setLevel(java.util.logging.Level.SEVERE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ResilienceTester resilience;

    private ChromeDriver browser;

    @BeforeEach
    void reset() {
        RealServices.chromium();
        resilience.reset();
    }

    @AfterEach
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
        resilience.reset();
    }

    @Test
    void showsABreakerOpeningAndAnAdminsClickForcesOneOpen() throws Exception {
        open("admin", "admin-dev-password");
        waitForRow("inventory", "CLOSED");
        assertThat(browser.findElement(By.id("level")).getAttribute("data-level")).isEqualTo("NONE");

        resilience.transition("inventory", CircuitBreakerState.OPEN);

        waitForRow("inventory", "OPEN");
        await().until(page -> "CRITICAL".equals(page.findElement(By.id("level")).getAttribute("data-level")));
        assertThat(browser.findElement(By.id("why")).getText()).contains("impaired: inventory");
        Path screenshot = Path.of("target", "dashboard.png");
        Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));

        resilience.transition("primary-llm", CircuitBreakerState.CLOSED);
        click("primary-llm", "force-open");

        waitForRow("primary-llm", "FORCED_OPEN");
        assertThat(resilience.circuitBreaker("primary-llm").getState()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
    }

    @Test
    void aViewerSeesTheStateButNoButtons() {
        open("viewer", "viewer-dev-password");

        waitForRow("inventory", "CLOSED");

        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(browser.findElement(By.id("signin")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("status")).getText()).contains("read only");
    }

    /** Opens the page as {@code user}: every request of the browser carries the user's basic credentials. */
    private void open(String user, String password) {
        ChromeOptions options = new ChromeOptions().setBinary(RealServices.CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(RealServices.CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", "Basic " + credentials)));
        browser.get("http://localhost:" + port + "/actuator/resilience/dashboard");
    }

    /** Clicks a breaker's button (again, if the page redrew it between finding and clicking). */
    private void click(String breaker, String action) {
        await().until(page -> {
            page.findElement(By.cssSelector("tr[data-breaker='" + breaker + "'] button[data-action=" + action + "]"))
                    .click();
            return true;
        });
    }

    /**
     * Waits, at most 30 s, for what the page shows. The page redraws its tables every 2 s: an element found just
     * before a redraw is gone when read, so such a read is simply tried again.
     */
    private WebDriverWait await() {
        WebDriverWait wait = new WebDriverWait(browser, PAGE);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private void waitForRow(String breaker, String state) {
        await().until(page -> {
            List<WebElement> rows = page.findElements(By.cssSelector("tr[data-breaker='" + breaker + "']"));
            return !rows.isEmpty() && state.equals(rows.get(0).getAttribute("data-state"));
        });
    }
}
