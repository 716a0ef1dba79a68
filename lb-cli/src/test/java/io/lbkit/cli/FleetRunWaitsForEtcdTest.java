package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lbctl run --etcd} started while etcd is down (a director booting during an etcd outage), or before the
 * key's first {@code lbctl put}: it waits, warning with the endpoint or the key, and comes up once etcd answers
 * with the key, then follows it; SIGTERM during the wait ends it at once with 0.
 * Real etcd (Debian's etcd-server on 127.0.0.1), lbctl as its own process.
 */
class FleetRunWaitsForEtcdTest {
  /** What lbctl run says when its graceful stop ran out of its 10 s (the wait was not interrupted). */
  private static final String STOP_DEADLINE_MISSED = "did not close within 10 s";

  @TempDir Path dir;

  @Test
  void run_etcdDownAtStart_waitsAndWarns_thenStartsOnceEtcdAnswers_appliesTheConfig() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("nft");
    String key = "/lbkit-cli-test/waits";
    try (EtcdProcess etcd = EtcdProcess.launch(); NetNs ns = NetNs.create()) {
      String e = etcd.endpoint().toString();
      Path conf = Files.writeString(dir.resolve("a.conf"), FleetCommandsEtcdTest.CONF);
      assertThat(lbctl("put", "--etcd", e, "--key", key, conf.toString())).isZero();
      etcd.stop();
      Process p = start("run", "--etcd", e, "--key", key, "--name", "dir1", "--netns", ns.name(),
          "--dataplane", "nftables", "--lease-ttl", "1");
      try {
        String waiting = awaitOutput(p, s -> s.contains("waiting for etcd"));
        assertThat(waiting).contains("dir1: etcd [" + e + "]: get " + key);
        assertThat(p.isAlive()).as("it waits, it does not exit").isTrue();
        Thread.sleep(1500);
        assertThat(p.isAlive()).isTrue();
        etcd.start();
        awaitOutput(p, s -> s.contains("FLEET applied ") && s.contains("announces 192.0.2.200"));
        assertThat(ns.run("nft", "list", "table", "inet", "lbkit")).contains("198.51.100.61");
        assertThat(output()).contains("answers after");
        stopsGracefully(p);
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void run_sigtermWhileWaitingForEtcd_exitsAtOnceWithStatus0() throws Exception {
    String none;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      none = "http://127.0.0.1:" + s.getLocalPort(); // nothing listens there once closed
    }
    Process p = start("run", "--etcd", none, "--key", "/lbkit-cli-test/sigterm", "--name", "dir1",
        "--dataplane", "nftables");
    try {
      awaitOutput(p, s -> s.contains("waiting for etcd"));
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(p.exitValue()).as(output()).isZero();
      assertThat(output()).as("the wait was interrupted, not the stop's 10 s deadline run out")
          .doesNotContain(STOP_DEADLINE_MISSED).doesNotContain("Exception");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void run_keyNotStoredYet_waitsAndWarnsNamingTheKey_thenAppliesTheFirstPut_andFollowsTheKey() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("nft");
    String key = "/lbkit-cli-test/keyLater";
    try (EtcdProcess etcd = EtcdProcess.launch(); NetNs ns = NetNs.create()) {
      String e = etcd.endpoint().toString();
      Process p = start("run", "--etcd", e, "--key", key, "--name", "dir1", "--netns", ns.name(),
          "--dataplane", "nftables", "--lease-ttl", "1");
      try {
        String waiting = awaitOutput(p, s -> s.contains("waiting for the first put"));
        assertThat(waiting).contains("dir1: etcd key " + key + " does not exist");
        Thread.sleep(1500);
        assertThat(p.isAlive()).as("it waits, it does not exit: %s", output()).isTrue();
        assertThat(ns.run("nft", "list", "tables")).as("nothing started while waiting").doesNotContain("lbkit");
        long first = put(e, key, FleetCommandsEtcdTest.CONF);
        awaitOutput(p, s -> s.contains("FLEET applied " + first + " ") && s.contains("announces 192.0.2.200"));
        assertThat(ns.run("nft", "list", "table", "inet", "lbkit")).contains("198.51.100.61");
        assertThat(output()).contains("at revision " + first + "; SIGTERM stops");
        long second = put(e, key, FleetCommandsEtcdTest.CONF.replace("198.51.100.61", "198.51.100.62"));
        awaitOutput(p, s -> s.contains("FLEET applied " + second + " "));
        assertThat(ns.run("nft", "list", "table", "inet", "lbkit")).as("the watch followed the second put")
            .contains("198.51.100.62").doesNotContain("198.51.100.61");
        stopsGracefully(p);
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void run_sigtermWhileWaitingForTheKey_warnsEvery10s_exitsPromptlyWithStatus0() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.launch()) {
      Process p = start("run", "--etcd", etcd.endpoint().toString(), "--key", "/lbkit-cli-test/never", "--name",
          "dir1", "--dataplane", "nftables");
      try {
        String two = awaitOutput(p, s -> s.split("does not exist", -1).length - 1 >= 2); // the first, 10 s later again
        assertThat(two).contains("etcd key /lbkit-cli-test/never does not exist");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("waiting for the first put \\((\\d+) s so far")
            .matcher(two);
        List<Integer> at = new ArrayList<>();
        while (m.find()) {
          at.add(Integer.parseInt(m.group(1)));
        }
        assertThat(at).as(two).hasSizeGreaterThanOrEqualTo(2);
        assertThat(at.get(1) - at.get(0)).as("the second warning 10 s after the first: %s", two).isBetween(10, 30);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(p.exitValue()).as(output()).isZero();
        assertThat(output()).as("the wait was interrupted, not the stop's 10 s deadline run out")
            .doesNotContain(STOP_DEADLINE_MISSED).doesNotContain("Exception");
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** SIGTERM, the graceful stop: it exits 0 within 30 s. */
  private void stopsGracefully(Process p) throws InterruptedException, IOException {
    p.destroy();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output()).isZero();
  }

  /** lbctl put (in this JVM, 3 tries: a cold etcd on a loaded host may miss a deadline); the new revision. */
  private long put(String etcd, String key, String conf) throws IOException {
    Path f = Files.writeString(Files.createTempFile(dir, "c", ".conf"), conf);
    String out = "";
    for (int i = 0; i < 3; i++) {
      InProcessLbctl lbctl = InProcessLbctl.merged();
      int rc = lbctl.run("put", "--etcd", etcd, "--key", key, f.toString());
      out = lbctl.out();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("at revision (\\d+)").matcher(out);
      if (rc == 0 && m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    throw new AssertionError("lbctl put failed: " + out);
  }

  private int lbctl(String... args) {
    return InProcessLbctl.merged().run(args);
  }

  /** lbctl as its own process (so that SIGTERM is its own), output and errors to run.out. */
  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Lbctl.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
  }

  private String output() throws IOException {
    return Files.readString(dir.resolve("run.out"));
  }

  /** Waits (120 s at most: a cold JVM and a 10 s try on a loaded 2-core host) until the output matches. */
  private String awaitOutput(Process p, Predicate<String> match) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String s = output();
      if (match.test(s)) {
        return s;
      }
      if (!p.isAlive()) {
        throw new AssertionError("lbctl run exited " + p.exitValue() + ": " + s);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("lbctl run's output did not match within 120 s: " + output());
  }
}
