package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.netns.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lbctl put}, {@code lbctl fleet status} and {@code lbctl run --etcd} against a real etcd
 * (Debian's etcd-server, started by the test on 127.0.0.1); run in a namespace on nftables.
 */
class FleetCommandsEtcdTest {
  private final InProcessLbctl lbctl = new InProcessLbctl().freshEachRun();
  static final String CONF = String.join("\n", "virtual_server 192.0.2.200 80 {", "  lvs_sched rr",
      "  lvs_method NAT", "  protocol TCP", "  real_server 198.51.100.61 8080 {", "    weight 1", "  }", "}", "");
  static EtcdProcess etcd;
  @TempDir Path dir;

  @BeforeAll
  static void etcd() {
    etcd = EtcdProcess.launch();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) {
      etcd.close();
    }
  }

  static String key(TestInfo t) {
    return "/lbkit-cli-test/" + t.getTestMethod().orElseThrow().getName();
  }

  Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void put_validFile_storesAndPrintsTheRevision_fleetStatusShowsIt(TestInfo t) throws Exception {
    Path f = file("site.conf", CONF);
    assertThat(lbctl.run("put", "--etcd", etcd.endpoint().toString(), "--key", key(t), f.toString())).isZero();
    assertThat(lbctl.out()).startsWith("stored " + f + " under " + key(t) + " at revision ");
    String rev = lbctl.out().strip().replaceAll(".* ", "");
    assertThat(lbctl.run("fleet", "status", "--etcd", etcd.endpoint().toString(), "--key", key(t), "--json")).isZero();
    assertThat(lbctl.out().strip()).isEqualTo("{\"key\":\"" + key(t) + "\",\"revision\":" + rev + ",\"directors\":[]}");
  }

  @Test
  void put_fileWithErrors_printsThemLikeCheck_exit1_nothingWritten(TestInfo t) throws Exception {
    Path f = file("bad.conf", CONF.replace("8080 {", "99999 {"));
    assertThat(lbctl.run("put", "--etcd", etcd.endpoint().toString(), "--key", key(t), f.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains(f + ":5: error: ").contains("nothing written");
    assertThat(lbctl.run("fleet", "status", "--etcd", etcd.endpoint().toString(), "--key", key(t))).isZero();
    assertThat(lbctl.out()).startsWith(key(t) + ": no configuration stored, 0 director(s)");
  }

  @Test
  void put_ifRevision_staleIsRefused_exit1_matchingStores(TestInfo t) throws Exception {
    Path f = file("site.conf", CONF);
    String e = etcd.endpoint().toString();
    assertThat(lbctl.run("put", "--etcd", e, "--key", key(t), f.toString(), "--if-revision", "0")).isZero();
    long rev = Long.parseLong(lbctl.out().strip().replaceAll(".* ", ""));
    assertThat(lbctl.run("put", "--etcd", e, "--key", key(t), f.toString(), "--if-revision", "0")).isEqualTo(1);
    assertThat(lbctl.err()).contains("exists already");
    assertThat(lbctl.run("put", "--etcd", e, "--key", key(t), f.toString(), "--if-revision", Long.toString(rev)))
        .isZero();
    assertThat(lbctl.run("put", "--etcd", e, "--key", key(t), f.toString(), "--if-revision", Long.toString(rev)))
        .isEqualTo(1);
    assertThat(lbctl.err()).contains("no longer at revision " + rev).contains("nothing written");
  }

  @Test
  void put_missingFile_exit2_etcdUnreachable_exit1() throws Exception {
    assertThat(lbctl.run("put", "--etcd", etcd.endpoint().toString(), "--key", "/k", dir.resolve("none").toString()))
        .isEqualTo(2);
    assertThat(lbctl.err()).contains("cannot read").contains("no such file");
    Path f = file("site.conf", CONF);
    assertThat(lbctl.run("put", "--etcd", "http://127.0.0.1:9", "--key", "/k", f.toString())).isEqualTo(1);
    assertThat(lbctl.err()).contains("127.0.0.1:9").contains("nothing written");
  }

  @Test
  void run_fileAndEtcd_isAUsageError() {
    assertThat(lbctl.run("run", "x.conf", "--etcd", etcd.endpoint().toString(), "--key", "/k")).isEqualTo(2);
    assertThat(lbctl.err()).contains("exclude each other");
  }

  @Test
  void run_inANamespaceOnNftables_followsPuts_registered_killed_goneWithItsLease(TestInfo t) throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("nft");
    String e = etcd.endpoint().toString();
    assertThat(lbctl.run("put", "--etcd", e, "--key", key(t), file("a.conf", CONF).toString())).isZero();
    try (NetNs ns = NetNs.create()) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Lbctl.class.getName(), "run", "--etcd", e, "--key", key(t),
          "--name", "dir1", "--netns", ns.name(), "--dataplane", "nftables", "--lease-ttl", "1")
          .redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
      try {
        awaitStatus(t, s -> s.contains("\"name\":\"dir1\"") && s.contains("\"announced\":[\"192.0.2.200\"]")
            && s.contains("\"current\":true"), p);
        assertThat(ns.run("nft", "list", "table", "inet", "lbkit")).contains("198.51.100.61");

        assertThat(lbctl.run("put", "--etcd", e, "--key", key(t),
            file("b.conf", CONF.replace("198.51.100.61", "198.51.100.62")).toString())).isZero();
        long rev = Long.parseLong(lbctl.out().strip().replaceAll(".* ", ""));
        awaitStatus(t, s -> s.contains("\"appliedRevision\":" + rev), p);
        String table = ns.run("nft", "list", "table", "inet", "lbkit");
        assertThat(table).contains("198.51.100.62").doesNotContain("198.51.100.61");
      } finally {
        p.destroyForcibly(); // SIGKILL: no withdraw, no revoke
        p.waitFor(10, TimeUnit.SECONDS);
      }
      awaitStatus(t, s -> s.contains("\"directors\":[]"), null);
    }
  }

  /** Polls lbctl fleet status --json (60 s at most: a cold JVM on a loaded 2-core host) until it matches. */
  void awaitStatus(TestInfo t, Predicate<String> p, Process director) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      if (lbctl.run("fleet", "status", "--etcd", etcd.endpoint().toString(), "--key", key(t), "--json") == 0) {
        last = lbctl.out();
        if (p.test(last)) {
          return;
        }
      }
      if (director != null && !director.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fleet status did not match within 60 s: " + last + "\nlbctl run said: "
        + Files.readString(dir.resolve("run.out")));
  }
}
