package io.dynamicindex.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.dynamicindex.infra.RunTokens;

/**
 * The ops console in a real browser (Debian's headless Chromium through its chromedriver) against the three daemons:
 * sign in with the operator token, see the route's queues, pause the route and watch its source queue fill (three
 * requests of ten changes, three envelopes) while nothing moves, resume it and watch it drain, and replay a dead
 * letter from the page. Leaves a screenshot at
 * {@code e2e/target/console.png}. Skips, saying so, where no Chromium is installed ({@code .ci/run} installs it
 * when it can).
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void anOperatorSeesAndSteersThePipelineFromTheConsole() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here: install Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver) to run the console's browser test");
        try (ManagementStack stack = new ManagementStack()) {
            WebDriver browser = browser();
            try {
                steer(stack, browser);
            } finally {
                screenshot(browser);
                browser.quit();
            }
        }
    }

    private static void steer(ManagementStack stack, WebDriver browser) {
        browser.get(stack.scheduler.url() + "/console/");
        browser.findElement(By.id("token")).sendKeys(RunTokens.operator());
        browser.findElement(By.cssSelector("#login button")).click();
        WebElement source = waitFor(browser, b -> b.findElement(By.cssSelector("#queues tr[data-queue='"
                + stack.source + "'] td.depth")));
        assertThat(source.getText()).isEqualTo("0");

        click(browser, "#routes tr[data-route='" + stack.route + "'] button.pause");
        waitFor(browser, b -> text(b, "#routes tr[data-route='" + stack.route + "'] td.state").equals("paused"));
        for (int request = 0; request < 3; request++) {
            StringBuilder changes = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                changes.append(stack.change("console-" + request + "-" + i, String.valueOf(i)));
            }
            assertThat(stack.post(changes.toString())).isEqualTo(202);
        }
        waitFor(browser, b -> text(b, "#queues tr[data-queue='" + stack.source + "'] td.depth").equals("3"));

        click(browser, "#routes tr[data-route='" + stack.route + "'] button.resume");
        waitFor(browser, b -> text(b, "#queues tr[data-queue='" + stack.source + "'] td.depth").equals("0"));
        waitFor(browser, b -> text(b, "#routes tr[data-route='" + stack.route + "'] td.state").equals("active"));

        assertThat(stack.post(stack.change("console-bad", "\"not a number\""))).isEqualTo(202);
        click(browser, "tr[data-dead-letter] button.replay");
        waitFor(browser, b -> text(b, "#result").contains("\"replayedTo\""));
        assertThat(text(browser, "#result")).contains("\"status\": 200");
        waitFor(browser, b -> text(b, "#indexers").contains("RUNNING"));
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1500,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Clicks once the element exists; the page redraws its tables every two seconds, so a stale one is found again. */
    private static void click(WebDriver browser, String css) {
        waitFor(browser, b -> {
            b.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private static String text(WebDriver browser, String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static <T> T waitFor(WebDriver browser, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(RuntimeException.class)
                .until(b -> {
                    T value = condition.apply(b);
                    return Boolean.FALSE.equals(value) ? null : value;
                });
    }

    private static void screenshot(WebDriver browser) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "console.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
