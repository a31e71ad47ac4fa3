package org.jpeer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jpeer.peer.Examples.EXAMPLE02;
import static org.jpeer.peer.Examples.byName;
import static org.jpeer.peer.Examples.byPath;
import static org.jpeer.peer.Examples.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.jpeer.testkit.Await;
import org.jpeer.testkit.LocalPeer;
import org.jpeer.testkit.RestClient;
import org.jpeer.testkit.TestKit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The block explorer page in a real headless Chromium (Debian's, driven through its chromedriver)
 * against a real peer running example02: the page loads without a console error, shows the
 * ledger's height, follows the block of a new invoke as it is committed, and shows a transaction's
 * decoded chaincode, function, arguments and outcome (committed, failed, unknown).
 *
 * <p>Skipped without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} unless
 * {@code JPEER_REQUIRE_BROWSER=1} (set by .ci/run, which installs them), when it fails instead.
 * {@code -Dexplorer.screenshots=docs} saves {@code explorer.png} and {@code explorer-tx.png} there
 * (relative to the checkout).
 */
class ExplorerBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Installed before the page's own scripts run: records console.error, uncaught errors (and
   * failed script or style loads), unhandled rejections and CSP violations.
   */
  private static final String HOOK = """
      window.__explorerErrors = [];
      (() => {
        const record = (what) => window.__explorerErrors.push(String(what));
        const original = console.error.bind(console);
        console.error = (...args) => { record('console.error: ' + args.map(String).join(' ')); original(...args); };
        window.addEventListener('error', (e) => record('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
        window.addEventListener('unhandledrejection', (e) => record('unhandled rejection: ' + e.reason));
        document.addEventListener('securitypolicyviolation', (e) => record('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
        // a browser without EventSource (or a peer without an event hub): the page must poll
        if (new URLSearchParams(location.search).has('no-event-source')) window.EventSource = undefined;
      })();
      """;

  @RegisterExtension final TestKit kit = new TestKit();

  private ChromeDriver driver;

  private static String txid(RestClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/result/message").asText();
  }

  @Test
  void thePageShowsTheChainFollowsANewBlockAndTellsTransactionOutcomes() throws Exception {
    requireBrowser();
    LocalPeer peer = kit.peer();
    RestClient rest = peer.rest();
    String example02 = txid(rest.rpc("deploy", spec(byPath(EXAMPLE02), "init", "a", "100", "b", "200"), "1"));
    peer.await("the deploy is committed", () -> rest.get("/transactions/" + example02).status() == 200);

    driver = kit.own(new Browser(kit.dir().resolve("chromium"))).driver;
    driver.get(peer.restUri() + "/explorer");
    assertThat(driver.getCurrentUrl()).as("/explorer redirects to its folder").endsWith("/explorer/");
    until("the page shows the ledger's height " + rest.height(), () -> text("#height").equals(Long.toString(rest.height())));
    until("the page follows the event stream", () -> text("#live").equals("live"));
    until("the page lists the peer", () -> text("#peers tbody").contains("validator")
        && text("#peers tbody").contains(Integer.toString(peer.grpc().port())));

    String move = txid(rest.rpc("invoke", spec(byName(example02), "move", "a", "b", "10"), "2"));
    peer.await("the invoke is committed", () -> rest.get("/transactions/" + move).status() == 200);
    long height = rest.height();
    long block = height - 1;
    until("the page shows the new block " + block + " and height " + height,
        () -> !driver.findElements(By.cssSelector("#blocks tr[data-number='" + block + "']")).isEmpty()
            && text("#height").equals(Long.toString(height)));
    assertThat(text("#blocks tr[data-number='" + block + "'] td:nth-child(3)")).isEqualTo("1");
    until("the chart counts the invoke", () -> !driver.findElements(By.cssSelector("#chart rect.bar")).isEmpty()
        && Integer.parseInt(text("#chart-total").split(" ")[0]) >= 1);

    driver.findElement(By.cssSelector("#blocks tr[data-number='" + block + "'] a")).click();
    until("block " + block + " shows its transaction", () -> text("#block-number").equals(Long.toString(block))
        && text("#block-txs tbody").contains(move.substring(0, 8)));
    WebElement row = driver.findElement(By.cssSelector("#block-txs tbody tr"));
    List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.subList(1, 6)).containsExactly("invoke", example02.substring(0, 8) + "…" + example02.substring(example02.length() - 4),
        "move", "ab10", "committed");
    assertThat(row.findElements(By.cssSelector(".arg")).stream().map(WebElement::getText).toList())
        .containsExactly("a", "b", "10");

    row.findElement(By.cssSelector("a.txlink")).click();
    until("the transaction shows as committed", () -> text("#tx-status").equals("committed in block " + block));
    assertThat(text("#tx-id")).isEqualTo(move);
    assertThat(text("#tx-type")).isEqualTo("invoke");
    assertThat(text("#tx-chaincode")).isEqualTo(example02);
    assertThat(text("#tx-function")).isEqualTo("move");
    assertThat(driver.findElements(By.cssSelector("#tx-args .arg")).stream().map(WebElement::getText).toList())
        .containsExactly("a", "b", "10");
    screenshot("explorer.png");

    // a failed invoke (example02 wants 3 arguments), looked up by typing its id
    String bad = txid(rest.rpc("invoke", spec(byName(example02), "move", "a"), "3"));
    peer.await("the bad invoke is recorded as failed", () -> rest.get("/transactions/" + bad).body().contains("\"failure\""));
    lookUp(bad);
    until("the transaction shows as failed", () -> text("#tx-status").startsWith("failed in block "));
    assertThat(text("#tx-status")).contains("Incorrect number of arguments");
    assertThat(text("#tx-function")).isEqualTo("move");
    until("the failed invoke's block is shown with it", () -> text("#block-number").equals(text("#tx-status a"))
        && text("#block-txs tbody").contains(bad.substring(0, 8)) && text("#block-txs tbody").contains("failed: "));
    screenshot("explorer-tx.png");

    lookUp("no-such-transaction");
    until("an unknown id shows as unknown", () -> text("#tx-status").startsWith("unknown"));
    assertThat(text("#tx-id")).isEqualTo("no-such-transaction");

    assertThat(driver.findElement(By.id("error")).isDisplayed()).as("the page's error line: %s", text("#error")).isFalse();
    assertThat(pageErrors()).as("errors in the page").isEmpty();

    // without the event stream the page polls GET /chain, and still follows new blocks
    driver.get(peer.restUri() + "/explorer/?no-event-source");
    until("the page polls", () -> text("#live").equals("polling /chain")
        && text("#height").equals(Long.toString(rest.height())));
    String again = txid(rest.rpc("invoke", spec(byName(example02), "move", "b", "a", "5"), "4"));
    peer.await("the second invoke is committed", () -> rest.get("/transactions/" + again).status() == 200);
    long polled = rest.height();
    until("the polling page shows block " + (polled - 1), () -> text("#height").equals(Long.toString(polled))
        && !driver.findElements(By.cssSelector("#blocks tr[data-number='" + (polled - 1) + "']")).isEmpty());
    assertThat(driver.findElement(By.id("error")).isDisplayed()).as("the page's error line: %s", text("#error")).isFalse();
    assertThat(pageErrors()).as("errors in the polling page").isEmpty();
  }

  private void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String why = CHROMIUM + " or " + CHROMEDRIVER + " is missing";
    if ("1".equals(System.getenv("JPEER_REQUIRE_BROWSER"))) {
      throw new AssertionError(why + ", and JPEER_REQUIRE_BROWSER=1 requires them (.ci/run installs them)");
    }
    Assumptions.abort(why + ": the explorer's browser test is skipped (apt-get install chromium chromium-driver; "
        + "CI requires it with JPEER_REQUIRE_BROWSER=1)");
  }

  private void lookUp(String txid) {
    WebElement input = driver.findElement(By.id("tx-input"));
    input.clear();
    input.sendKeys(txid);
    driver.findElement(By.cssSelector("#tx-form button")).click();
  }

  /** The element's textContent (what the page put there, visible or not), or "" when it is absent. */
  private String text(String css) {
    Object t = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
    return t == null ? "" : t.toString().trim();
  }

  /** The hook's records, and what the browser logged as SEVERE (failed loads, CSP, uncaught errors). */
  private List<String> pageErrors() {
    List<String> errors = new ArrayList<>();
    Object hooked = driver.executeScript("return window.__explorerErrors || ['the error hook is missing'];");
    if (hooked instanceof List<?> list) {
      list.forEach(e -> errors.add(String.valueOf(e)));
    }
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add("browser log: " + entry.getMessage());
      }
    }
    return errors;
  }

  /** Polls (every 50 ms, a deadline of {@link Await#PATIENCE}) until the page shows what is wanted. */
  private void until(String what, Await.Condition condition) {
    long deadline = System.nanoTime() + Await.PATIENCE.toNanos();
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (Exception e) {
        last = e; // the page may be between two renderings
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    AssertionError failure = new AssertionError("timed out after " + Await.PATIENCE + " waiting until " + what
        + "\npage errors: " + pageErrors() + "\nerror line: " + text("#error") + "\npage text:\n" + text("body"));
    if (last != null) {
      failure.addSuppressed(last);
    }
    throw failure;
  }

  private void screenshot(String name) throws IOException {
    String folder = System.getProperty("explorer.screenshots");
    if (folder == null || folder.isBlank()) {
      return;
    }
    Path root = Path.of(System.getProperty("jpeer.root", ".."));
    Path target = root.resolve(folder).resolve(name).toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    System.out.println("explorer screenshot: " + target);
  }

  /** Headless Chromium through the system chromedriver: no download, no Selenium Manager. */
  private static final class Browser implements AutoCloseable {
    final ChromeDriverService service;
    final ChromeDriver driver;

    Browser(Path profile) throws IOException {
      Files.createDirectories(profile);
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
          .withLogOutput(java.io.OutputStream.nullOutputStream()).build();
      ChromeDriver d;
      try {
        d = new ChromeDriver(service, options);
      } catch (RuntimeException e) {
        service.stop();
        throw e;
      }
      driver = d;
      driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", HOOK));
    }

    @Override
    public void close() {
      try {
        driver.quit(); // ends Chromium
      } finally {
        service.stop(); // ends chromedriver
      }
    }
  }
}
