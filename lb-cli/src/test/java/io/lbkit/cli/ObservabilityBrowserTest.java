package io.lbkit.cli;

import static io.lbkit.cli.RunPair.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser tier: headless Chromium shows B's status page ({@link RunPair}) while a real
 * server is killed and revived and A, the master, stops: the page's DOM shows each change
 * within 2 s of the event leaving lbctl run (as this test's own /events reader sees it).
 * Screenshots at 1280x800 and 400 px go to lb-cli/target/browser/.
 */
class ObservabilityBrowserTest {
  static final long WITHIN_MILLIS = 2000;
  static final Path SHOTS = Path.of("target", "browser");
  @TempDir Path dir;

  @Test
  void statusPage_showsFailoverAndRealServerChanges_within2s() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("chromium");
    try (RunPair pair = new RunPair(dir)) {
      assertThat(await(20_000, () -> ObservabilityNetnsTest.state(pair.a, "iname=\"VI_2\"") == 2))
          .as("A master; output:\n%s", pair.a.output()).isTrue();
      RunPair.Backend r2 = pair.reals[1];
      pair.b.follow();
      try (Chromium browser = new Chromium(dir.resolve("profile"), pair.b.url())) {
        browser.viewport(1280, 800);
        assertThat(await(10_000, () -> "BACKUP".equals(state(browser, "VI_1"))
            && "up".equals(health(browser, r2.key())) && "live".equals(eval(browser,
            "document.getElementById('conn').dataset.conn")))).as("page drawn: %s", eval(browser,
            "document.body.innerText")).isTrue();
        browser.screenshot(SHOTS.resolve("status-1280-start.png"));

        int mark = pair.b.events.size();
        r2.kill();
        change(pair, browser, mark, e -> e.contains("\"type\":\"health\"") && e.contains("\"up\":false"),
            () -> "down".equals(health(browser, r2.key())), "real server down");

        mark = pair.b.events.size();
        assertThat(pair.a.stop()).isTrue();
        change(pair, browser, mark, e -> e.contains("\"instance\":\"VI_1\"") && e.contains("\"to\":\"MASTER\""),
            () -> "MASTER".equals(state(browser, "VI_1")), "VI_1 master");
        change(pair, browser, mark, e -> e.contains("\"instance\":\"VI_2\"") && e.contains("\"to\":\"MASTER\""),
            () -> "MASTER".equals(state(browser, "VI_2")), "VI_2 master");
        browser.screenshot(SHOTS.resolve("status-1280-failover.png"));

        mark = pair.b.events.size();
        r2.revive();
        change(pair, browser, mark, e -> e.contains("\"type\":\"health\"") && e.contains("\"up\":true"),
            () -> "up".equals(health(browser, r2.key())), "real server back");
        assertThat(eval(browser, "document.getElementById('events').children.length")).isNotEqualTo("0");
        browser.screenshot(SHOTS.resolve("status-1280-revived.png"));

        browser.viewport(400, 800);
        assertThat(await(10_000, () -> "400".equals(eval(browser, "document.documentElement.clientWidth"))))
            .isTrue();
        assertThat(Integer.parseInt(eval(browser, "document.documentElement.scrollWidth")))
            .as("no sideways scrolling of the page at 400 px").isLessThanOrEqualTo(400);
        browser.screenshot(SHOTS.resolve("status-400.png"));
      }
    }
  }

  /**
   * Waits for the event (after the first {@code seen}), then for the page to show it: at
   * most {@link #WITHIN_MILLIS} after this test's reader got the event (or after the wait
   * for it, if it came earlier).
   */
  static void change(RunPair pair, Chromium browser, int seen, Predicate<String> event,
      java.util.function.BooleanSupplier shown, String what) throws Exception {
    assertThat(await(20_000, () -> pair.b.events.stream().skip(seen).anyMatch(event)))
        .as("%s: event; events: %s", what, pair.b.events).isTrue();
    long t0 = System.nanoTime();
    boolean ok = await(WITHIN_MILLIS, shown);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ok).as("%s shown within %d ms (took %d ms); page: %s", what, WITHIN_MILLIS, ms,
        eval(browser, "document.body.innerText")).isTrue();
  }

  static String state(Chromium b, String instance) {
    return eval(b, "(document.querySelector('tr[data-instance=\"" + instance + "\"]')||{dataset:{}}).dataset.state");
  }

  static String health(Chromium b, String real) {
    return eval(b, "(document.querySelector('tr[data-real=\"" + real + "\"]')||{dataset:{}}).dataset.health");
  }

  static String eval(Chromium b, String js) {
    try {
      return b.eval(js);
    } catch (Exception e) {
      return "error: " + e.getMessage();
    }
  }
}
