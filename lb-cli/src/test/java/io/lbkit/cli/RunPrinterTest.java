package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.net.Inet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lbctl run's printed lines for dataplane writes: each write with its cause, and the count since start. */
class RunPrinterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final RunPrinter printer = new RunPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> { });
  private static final IpvsOp WEIGHT_0 = new IpvsOp.UpdateDest(ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.1"), 80),
      new IpvsDest(RealServerKey.of("198.51.100.1", 80), Forwarding.DR, 0, 0, 0));

  private List<String> lines() {
    // without the leading timestamp
    return bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
  }

  @Test
  void startWithNothingToWrite_saysZeroWrites() {
    printer.reconciled("apply", Reconciliation.NONE);
    assertThat(lines()).containsExactly("IPVS apply: 0 writes (0 refused); 0 since start");
  }

  @Test
  void healthWrite_printedWithItsCause_andCountedSinceStart() {
    printer.reconciled("apply", Reconciliation.NONE);
    printer.reconciled("resync", Reconciliation.NONE); // a resync with nothing to repair is silent
    printer.reconciled("health", new Reconciliation(List.of(WEIGHT_0), List.of()));
    assertThat(lines()).containsExactly("IPVS apply: 0 writes (0 refused); 0 since start",
        "IPVS ipvsadm -e -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 0 (health)",
        "IPVS health: 1 write (0 refused); 1 since start");
  }
}
