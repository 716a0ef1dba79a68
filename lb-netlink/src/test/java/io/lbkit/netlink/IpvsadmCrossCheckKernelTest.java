package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inside the kernel VM: lbkit and ipvsadm must see the same kernel state both ways. Rules
 * lbkit makes are listed by {@code ipvsadm -S -n} / {@code -L -n} exactly as lbkit renders
 * its own dump; rules ipvsadm makes are read back by lbkit exactly.
 */
@Tag("kernel")
class IpvsadmCrossCheckKernelTest {
  private static final Duration T = Duration.ofSeconds(60);
  private NetlinkIpvs ipvs;

  @BeforeEach
  void open() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireProgram("ipvsadm");
    ipvs = NetlinkIpvs.open();
    ipvs.flush();
  }

  @AfterEach
  void flush() throws Exception {
    if (ipvs != null) {
      try {
        ipvs.flush();
      } finally {
        ipvs.close();
      }
    }
  }

  private static String ipvsadm(String... args) {
    List<String> argv = new ArrayList<>(List.of("ipvsadm"));
    argv.addAll(List.of(args));
    return Exec.run(T, argv).orThrow().stdout();
  }

  /** Schedulers whose module this kernel has loaded (twos is missing on Debian 6.1). */
  static List<Scheduler> loadedSchedulers() throws Exception {
    String modules = Files.readString(Path.of("/proc/modules"));
    List<Scheduler> out = new ArrayList<>();
    for (Scheduler s : Scheduler.known()) {
      if (modules.contains("ip_vs_" + s.name() + " ")) {
        out.add(s);
      }
    }
    return out;
  }

  static ServiceKey tcp(String addr, int port) {
    return ServiceKey.of(Protocol.TCP, Inet.parse(addr), port);
  }

  /** A table with every kind of service and destination lbkit can express. */
  static List<IpvsOp> everyKind() throws Exception {
    List<IpvsOp> ops = new ArrayList<>();
    int i = 1;
    for (Scheduler s : loadedSchedulers()) {
      ServiceKey k = tcp("192.0.2." + i, 80);
      Set<SchedulerFlag> flags = s.equals(Scheduler.SH) ? Set.of(SchedulerFlag.SH_PORT, SchedulerFlag.SH_FALLBACK)
          : s.equals(Scheduler.MH) ? Set.of(SchedulerFlag.MH_FALLBACK) : Set.of();
      ops.add(new IpvsOp.AddService(new IpvsService(k, s, flags, null, false)));
      ops.add(new IpvsOp.AddDest(k, IpvsDest.of(Inet.parse("198.51.100." + i), 8080, Forwarding.NAT, i)));
      i++;
    }
    ServiceKey dr = tcp("192.0.2.100", 443);
    ops.add(new IpvsOp.AddService(new IpvsService(dr, Scheduler.WLC, Set.of(),
        Persistence.of(600).withGranularity(24), false)));
    ops.add(new IpvsOp.AddDest(dr, new IpvsDest(RealServerKey.of("198.51.100.61", 443), Forwarding.DR, 3, 1000, 10)));
    ops.add(new IpvsOp.AddDest(dr, IpvsDest.of(Inet.parse("198.51.100.62"), 443, Forwarding.TUN, 1)));
    ops.add(new IpvsOp.AddDest(dr, IpvsDest.of(Inet.parse("198.51.100.63"), 443,
        Forwarding.gue(6080).withCsum(Forwarding.TunnelCsum.REMCSUM), 1)));
    // ipvsadm refuses tun-remcsum with gre (the kernel takes it); csum is the gre case both accept
    ops.add(new IpvsOp.AddDest(dr, IpvsDest.of(Inet.parse("198.51.100.64"), 443,
        Forwarding.gre().withCsum(Forwarding.TunnelCsum.CSUM), 0)));
    ops.add(new IpvsOp.AddDest(dr, IpvsDest.of(Inet.parse("2001:db8::64"), 443, Forwarding.TUN, 2)));
    ServiceKey udp = ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.101"), 53);
    ops.add(new IpvsOp.AddService(new IpvsService(udp, Scheduler.RR, Set.of(), null, true)));
    ops.add(new IpvsOp.AddDest(udp, IpvsDest.of(Inet.parse("198.51.100.70"), 53, Forwarding.DR, 1)));
    ServiceKey sctp = ServiceKey.of(Protocol.SCTP, Inet.parse("192.0.2.102"), 3868);
    ops.add(new IpvsOp.AddService(IpvsService.of(sctp, Scheduler.RR)));
    ServiceKey allPorts = tcp("192.0.2.103", 0);
    ops.add(new IpvsOp.AddService(new IpvsService(allPorts, Scheduler.WLC, Set.of(), Persistence.of(360), false)));
    ops.add(new IpvsOp.AddDest(allPorts, IpvsDest.of(Inet.parse("198.51.100.71"), 0, Forwarding.DR, 1)));
    ServiceKey fwm = ServiceKey.fwmark(7, Family.INET);
    ops.add(new IpvsOp.AddService(new IpvsService(fwm, Scheduler.WRR, Set.of(), Persistence.of(120), false)));
    ops.add(new IpvsOp.AddDest(fwm, IpvsDest.of(Inet.parse("198.51.100.72"), 0, Forwarding.DR, 5)));
    ServiceKey fwm6 = ServiceKey.fwmark(8, Family.INET6);
    ops.add(new IpvsOp.AddService(new IpvsService(fwm6, Scheduler.RR, Set.of(),
        Persistence.of(100).withGranularity(64), false)));
    ServiceKey v6 = ServiceKey.of(Protocol.TCP, Inet.parse("2001:db8::1"), 80);
    ops.add(new IpvsOp.AddService(new IpvsService(v6, Scheduler.WRR, Set.of(),
        Persistence.of(30).withGranularity(96), false)));
    ops.add(new IpvsOp.AddDest(v6, IpvsDest.of(Inet.parse("2001:db8::61"), 80, Forwarding.NAT, 2)));
    ops.add(new IpvsOp.AddDest(v6, new IpvsDest(RealServerKey.of("2001:db8::62", 80), Forwarding.DR, 4, 50, 5)));
    return ops;
  }

  @Test
  void rulesMadeByLbkit_areListedByIpvsadmExactlyAsLbkitRendersThem() throws Exception {
    ipvs.apply(everyKind());
    List<ServiceSnapshot> mine = ipvs.services();
    assertThat(IpvsadmFormat.save(mine, true)).isEqualTo(ipvsadm("-S", "-n"));
    assertThat(IpvsadmFormat.list(ipvs.info(), mine, IpvsadmFormat.View.DEFAULT, true)).isEqualTo(ipvsadm("-L", "-n"));
    assertThat(IpvsadmFormat.list(ipvs.info(), mine, IpvsadmFormat.View.THRESHOLDS, true))
        .isEqualTo(ipvsadm("-L", "-n", "--thresholds"));
    assertThat(IpvsadmFormat.list(ipvs.info(), mine, IpvsadmFormat.View.TUN_INFO, true))
        .isEqualTo(ipvsadm("-L", "-n", "--tun-info"));
  }

  @Test
  void rulesMadeByIpvsadm_areReadBackExactly() throws Exception {
    StringBuilder rules = new StringBuilder();
    for (IpvsOp op : everyKind()) {
      rules.append(op).append('\n');
    }
    Path file = Files.createTempFile("lbkit-rules", ".txt");
    try {
      Files.writeString(file, rules);
      Exec.run(T, "sh", "-c", "ipvsadm -R < " + file).orThrow();
    } finally {
      Files.deleteIfExists(file);
    }
    List<ServiceSnapshot> read = ipvs.services();
    // every op's object is there, with exactly its settings
    for (IpvsOp op : everyKind()) {
      ServiceSnapshot s = read.stream().filter(x -> x.key().equals(op.serviceKey())).findFirst().orElseThrow(
          () -> new AssertionError(op.serviceKey() + " not read back"));
      if (op instanceof IpvsOp.AddService a) {
        assertThat(s.service()).as(op.toString()).isEqualTo(a.service());
      } else if (op instanceof IpvsOp.AddDest a) {
        assertThat(s.dests()).extracting(ServiceSnapshot.DestSnapshot::dest).as(op.toString()).contains(a.dest());
      }
    }
    assertThat(IpvsadmFormat.save(read, true)).isEqualTo(ipvsadm("-S", "-n"));
  }

  @Test
  void destinations_areListedNewestFirstLikeTheKernelKeepsThem() throws Exception {
    ServiceKey k = tcp("192.0.2.50", 80);
    ipvsadm("-A", "-t", "192.0.2.50:80", "-s", "rr");
    for (int i = 1; i <= 3; i++) {
      ipvsadm("-a", "-t", "192.0.2.50:80", "-r", "198.51.100." + i + ":80", "-g");
    }
    List<ServiceSnapshot> read = ipvs.services();
    assertThat(read.get(0).dests()).extracting(d -> d.dest().key())
        .containsExactly(RealServerKey.of("198.51.100.3", 80), RealServerKey.of("198.51.100.2", 80),
            RealServerKey.of("198.51.100.1", 80));
    assertThat(read.get(0).key()).isEqualTo(k);
  }

  @Test
  void timeouts_matchIpvsadmBothWays() throws Exception {
    var before = ipvs.timeouts();
    try {
      ipvsadm("--set", "901", "121", "301");
      assertThat(IpvsadmFormat.timeouts(ipvs.timeouts())).isEqualTo(ipvsadm("-L", "--timeout"));
      ipvs.setTimeouts(new io.lbkit.api.ipvs.IpvsTimeouts(902, 122, 302));
      assertThat(ipvsadm("-L", "--timeout")).isEqualTo("Timeout (tcp tcpfin udp): 902 122 302\n");
    } finally {
      ipvs.setTimeouts(before);
    }
  }
}
