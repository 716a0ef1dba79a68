package io.lbkit.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Lan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier, on this host's kernel with the nftables dataplane (it has no IPVS; the kernel-VM
 * tier is too slow under TCG for this): {@code lbctl run} as MASTER of a NAT virtual server with
 * a TCP_CHECK, keepalived as its backup, then kill -9 and the same command again. The restart
 * writes nothing to nf_tables ({@code nft monitor} in the director's namespace sees no event
 * between the kill and the check, and does see a probe table made after), finds its VIP and
 * becomes MASTER again before keepalived's master-down timer runs out (keepalived never enters
 * MASTER), and its checks run again (the real server's stop is seen). advert_int 20: keepalived
 * waits 3 x 20 + 12.2 s (with advert_int 10 its 36 s ran out once while lbctl run's JVM started on
 * a machine with a load average of 30 on 2 cores).
 */
class RestartAdoptionNetnsTest {
  private static final String VIP = "10.78.0.100";
  /** keepalived's master-down: 3 x 20 + 12.2 s, room for a JVM start on a machine loaded 15 times over. */
  private static final int ADVERT = 20;
  @TempDir Path dir;

  @BeforeAll
  static void needs() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("keepalived");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("busybox");
  }

  @Test
  void killNineAndRestart_noNftablesWrite_noBackupTakeover_checksResume() throws Exception {
    try (Lan lan = Lan.create(2, "10.78.0.0/24")) {
      String server = "virtual_server " + VIP + " 80 {\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n"
          + "  delay_loop 1\n  real_server " + lan.address(1) + " 8080 {\n    TCP_CHECK {\n      connect_timeout 1\n"
          + "    }\n  }\n}\n";
      Router director = new Router(0, Router.Kind.LBKIT, lan.member(0), 150, dir.resolve("director"), VIP, ADVERT,
          server, List.of("--dataplane", "nftables", Router.INSIDE));
      Router backup = new Router(1, Router.Kind.KEEPALIVED, lan.member(1), 100, dir.resolve("backup"), VIP, ADVERT, "",
          List.of());
      Process httpd = lan.member(1).start(dir.resolve("httpd.log"), "busybox", "httpd", "-f", "-p", "8080", "-h",
          Files.createDirectories(dir.resolve("www")).toString());
      Process monitor = null;
      try {
        // the first start: the VIP as a killed run leaves it, so the director takes MASTER at once
        lan.member(0).ip("addr", "add", VIP + "/32", "dev", "eth0");
        director.start();
        assertThat(await(() -> director.statusJson().contains("\"VI_1\":{\"state\":\"MASTER\"")
            && director.statusJson().contains("\"up\":true"), 90)).as("director MASTER with its real server up; "
            + "log:%n%s", director.log()).isTrue();
        backup.start();
        assertThat(await(() -> backup.log().contains("Entering BACKUP STATE"), 30)).as(backup.log()).isTrue();
        String table = lan.member(0).run("nft", "list", "table", "inet", "lbkit");

        monitor = lan.member(0).start(dir.resolve("monitor.log"), "nft", "monitor");
        // listening before the kill, shown by a probe table it reports (a fixed pause instead let a monitor slow to
        // start on a loaded machine miss the restart's writes, and the test pass without having watched); a new
        // probe each second, since one made before the monitor subscribed is never reported
        boolean listening = false;
        for (int i = 0; i < 30 && !listening; i++) {
          lan.member(0).run("nft", "add", "table", "inet", "lbkprobe0x" + i);
          listening = await(() -> read(dir.resolve("monitor.log")).contains("lbkprobe0x"), 1);
        }
        assertThat(listening).as("nft monitor listens").isTrue();
        long t0 = System.nanoTime();
        director.kill9();
        director.start();
        assertThat(await(() -> director.statusJson().contains("\"VI_1\":{\"state\":\"MASTER\""), 60))
            .as("MASTER again; log:%n%s", director.log()).isTrue();
        long restartMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(director.hasVip()).isTrue();
        Thread.sleep(3000); // a check round or three on the restarted run
        assertThat(director.statusJson()).contains("\"up\":true");
        lan.member(0).run("nft", "add", "table", "inet", "lbkprobe1"); // the monitor's positive control
        assertThat(await(() -> read(dir.resolve("monitor.log")).contains("lbkprobe1"), 10)).as("nft monitor works")
            .isTrue();
        String events = read(dir.resolve("monitor.log"));
        assertThat(events.lines().filter(l -> !l.isBlank() && !l.contains("lbkprobe")
            && !l.matches("# new generation \\d+ by process \\d+ \\(nft\\)")).toList()) // the probe's own
            .as("nf_tables writes by the restart (it took %d ms)", restartMs).isEmpty();
        assertThat(lan.member(0).run("nft", "list", "table", "inet", "lbkit")).isEqualTo(table);
        assertThat(backup.log()).as("keepalived never took over (restart took %d ms)", restartMs).doesNotContain("Entering MASTER STATE");
        assertThat(director.log()).contains("restart adoption");
        System.out.println("RESTART lbctl run kill -9 -> MASTER again in " + restartMs + " ms, 0 nf_tables writes, "
            + "keepalived backup stayed BACKUP");

        httpd.destroyForcibly(); // checks resume: the real server's loss is seen
        httpd.waitFor(5, TimeUnit.SECONDS);
        assertThat(await(() -> director.statusJson().contains("\"up\":false"), 30)).as("status %s; probe %s; log:%n%s",
            director.statusJson(), lan.member(0).exec("busybox", "nc", "-w", "1", lan.address(1), "8080"),
            director.logTail()).isTrue();
      } finally {
        if (monitor != null) {
          monitor.destroyForcibly();
        }
        httpd.destroyForcibly();
        director.stop();
        backup.stop();
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static boolean await(java.util.function.BooleanSupplier c, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      if (c.getAsBoolean()) {
        return true;
      }
      Thread.sleep(250);
    }
    return c.getAsBoolean();
  }
}
