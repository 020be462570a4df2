package tally.server.ui;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tally.server.testing.PrometheusProcess;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven through its chromedriver (both from apt: chromium, chromium-driver). Tests skip,
 * saying why, only when no browser can start; the browser's console is read back so a test can demand it is clean.
 */
final class Browser implements AutoCloseable {
    /** Screenshots for a person to look at: server/target/ui-screenshots/. */
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A started browser, or the test is skipped with the reason (binary missing, or it would not start). */
    static Browser startOrSkip() {
        String chromium = firstOnPath("chromium", "chromium-browser", "google-chrome");
        String chromedriver = firstOnPath("chromedriver");
        Assumptions.assumeTrue(chromium != null && chromedriver != null,
                "skipped: no headless browser (apt-get install chromium chromium-driver): chromium=" + chromium + ", chromedriver=" + chromedriver);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=en-US", "--force-prefers-no-reduced-motion", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build();
        try {
            ChromeDriver d = new ChromeDriver(service, options);
            d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Browser(d);
        } catch (RuntimeException e) {
            service.stop();
            Assumptions.abort("skipped: the browser did not start: " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private static String firstOnPath(String... names) {
        for (String n : names) {
            String p = PrometheusProcess.onPath(n);
            if (p != null) return p;
        }
        return null;
    }

    void open(String url) {
        driver.get(url);
    }

    <T> T await(String what, Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(what).until(d -> condition.apply((ChromeDriver) d));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page (the window is stretched to the document's height first). */
    Path screenshot(String name) throws IOException {
        Number h = (Number) js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, Math.min(12000, Math.max(800, h.intValue() + 40))));
        Files.createDirectories(SCREENSHOTS);
        Path out = SCREENSHOTS.resolve(name + ".png");
        Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        return out;
    }

    /** Console entries at warning level or above since the last call (the log is drained by reading it). */
    List<String> consoleProblems() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) out.add(e.getLevel() + " " + e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
