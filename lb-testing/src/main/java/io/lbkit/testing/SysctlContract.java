package io.lbkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.net.Sysctl;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Sysctl} does, as {@code /proc/sys} does it: run against lb-testing's
 * {@code FakeSysctl} and against lb-netlink's {@code ProcSysctl} in a network namespace the
 * test made, so the fake cannot drift from the kernel. The implementation must hold
 * {@link #PARAMETER} (an integer, as on every Linux host) and nothing named
 * {@code ...lbtnosuch0...}:
 *
 * <pre>{@code
 * class FakeSysctlContractTest extends SysctlContract {
 *   protected Sysctl sysctl() { return new FakeSysctl().define(PARAMETER, "0"); }
 * }
 * }</pre>
 */
public abstract class SysctlContract {
  /** An integer parameter of every network namespace. */
  protected static final String PARAMETER = "net.ipv4.conf.all.arp_ignore";
  private static final String MISSING = "net.ipv4.conf.lbtnosuch0.arp_ignore";

  /** For subclasses. */
  protected SysctlContract() {}

  /** The implementation under test, fresh for each test (writes must not reach the host). */
  protected abstract Sysctl sysctl() throws IOException;

  @Test
  void read_integerParameter_isItsValueWithoutNewline() throws IOException {
    String v = sysctl().read(PARAMETER);
    assertTrue(v.matches("-?[0-9]+"), () -> "not a trimmed integer: '" + v + "'");
  }

  @Test
  void write_thenRead_givesTheValue() throws IOException {
    Sysctl s = sysctl();
    String want = s.read(PARAMETER).equals("1") ? "2" : "1";
    s.write(PARAMETER, want);
    assertEquals(want, s.read(PARAMETER));
  }

  @Test
  void read_unknownParameter_throwsNoSuchFileNamingItsPath() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> sysctl().read(MISSING));
    assertEquals("/proc/sys/net/ipv4/conf/lbtnosuch0/arp_ignore", e.getFile());
  }

  @Test
  void write_unknownParameter_throwsNoSuchFile_andCreatesNothing() throws IOException {
    Sysctl s = sysctl();
    assertThrows(NoSuchFileException.class, () -> s.write(MISSING, "1"));
    assertThrows(NoSuchFileException.class, () -> s.write("net.ipv4.lbtnosuch0", "1"));
    assertThrows(NoSuchFileException.class, () -> s.read("net.ipv4.lbtnosuch0"));
  }

  @Test
  void write_nonIntegerToIntegerParameter_throwsIOException_andKeepsTheValue() throws IOException {
    Sysctl s = sysctl();
    String before = s.read(PARAMETER);
    assertThrows(IOException.class, () -> s.write(PARAMETER, "lots"));
    assertEquals(before, s.read(PARAMETER));
  }

  @Test
  void badNameOrValue_isRejectedBeforeTouchingAnything() throws IOException {
    Sysctl s = sysctl();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.read("../../etc/passwd"));
    assertTrue(e.getMessage().contains("invalid sysctl name"), e::getMessage);
    assertThrows(IllegalArgumentException.class, () -> s.write("net/ipv4/ip_forward", "1"));
    e = assertThrows(IllegalArgumentException.class, () -> s.write(PARAMETER, "1\n2"));
    assertTrue(e.getMessage().contains("one line"), e::getMessage);
  }
}
