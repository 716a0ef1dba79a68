package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.gobgp.GobgpProcess;
import io.lbkit.harness.netns.NetNs;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: a real {@code lbctl run --etcd ... --bgp gobgp --gobgp 'ip netns exec NS gobgp -p PORT'} process puts
 * its VIP into the namespace's gobgpd (started by the test), and SIGTERM takes it out before the process exits.
 */
class GobgpRunEtcdTest {
  @TempDir Path dir;

  @Test
  void run_bgpGobgp_announcesIntoGobgpd_sigtermWithdraws() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("gobgpd");
    Tiers.requireProgram("gobgp");
    try (EtcdProcess etcd = EtcdProcess.launch(); NetNs ns = NetNs.create();
        GobgpProcess gobgpd = GobgpProcess.start(ns, dir.resolve("gobgpd"),
            GobgpProcess.config(65001, "10.255.0.2", "10.255.0.1", 65000), 50081)) {
      String e = etcd.endpoint().toString();
      Path conf = Files.writeString(dir.resolve("a.conf"), FleetCommandsEtcdTest.CONF);
      assertThat(Lbctl.run(new String[] {"put", "--etcd", e, "--key", "/gobgp-run", conf.toString()},
          new PrintStream(PrintStream.nullOutputStream()), new PrintStream(PrintStream.nullOutputStream())))
          .isZero();
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Lbctl.class.getName(), "run", "--etcd", e, "--key", "/gobgp-run",
          "--name", "dir1", "--netns", ns.name(), "--dataplane", "nftables", "--bgp", "gobgp",
          "--gobgp", String.join(" ", gobgpd.gobgp()))
          .redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
      try {
        awaitRib(gobgpd, p);
        p.destroy(); // SIGTERM: withdraw, deregister, stop
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("lbctl run exits after SIGTERM").isTrue();
        assertThat(p.exitValue()).as("lbctl run's status after SIGTERM (0, as keepalived's)").isZero();
        assertThat(gobgpd.show("global", "rib", "-a", "ipv4")).as("gobgpd's RIB after the stop; lbctl run said: %s",
            Files.readString(dir.resolve("run.out"))).doesNotContain("192.0.2.200/32");
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Polls the RIB (60 s at most: a cold JVM on a loaded host) until it has the VIP. */
  void awaitRib(GobgpProcess gobgpd, Process director) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String rib = "";
    while (System.nanoTime() < deadline && director.isAlive()) {
      rib = gobgpd.show("global", "rib", "-a", "ipv4");
      if (rib.contains("192.0.2.200/32")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gobgpd's RIB did not get 192.0.2.200/32 within 60 s: " + rib
        + "\nlbctl run said: " + Files.readString(dir.resolve("run.out")));
  }
}
