package io.lbkit.netlink.raw;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.netlink.internal.LibC;
import io.lbkit.netlink.internal.Netns;
import io.lbkit.netlink.internal.Syscalls;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: recvmmsg(2) through RawBatch's headers for IPv6 (UDP on ::1 inside a namespace the test
 * makes): each slot has its own source name and its own ancillary data (packet info, hop limit, time).
 */
class RawBatchNetnsTest {
  private String ns;
  private final RawBatch batch = new RawBatch();

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void createNamespace() throws Exception {
    Tiers.requireRoot("creates a network namespace");
    Tiers.requireProgram("ip");
    ns = "lbt-rawb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    run("ip", "netns", "add", ns);
    run("ip", "-n", ns, "link", "set", "lo", "up");
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (ns != null) {
      run("ip", "netns", "del", ns);
    }
  }

  @Test
  void ipv6_eachSlotHasItsOwnNameAndAncillaryData() throws Exception {
    int[] fds = Netns.call(ns, () -> new int[] {Syscalls.socket(Syscalls.AF_INET6, Syscalls.SOCK_DGRAM, 0),
        Syscalls.socket(Syscalls.AF_INET6, Syscalls.SOCK_DGRAM, 0)});
    int fd = fds[0];
    try {
      Syscalls.setsockopt(fd, RawIpSocket.IPPROTO_IPV6, RawIpSocket.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
      Syscalls.setsockopt(fd, RawIpSocket.IPPROTO_IPV6, RawIpSocket.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
      Syscalls.setsockopt(fd, RawMsg.SOL_SOCKET, RawMsg.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
      LibC.SockaddrIn6 lo = new LibC.SockaddrIn6();
      lo.sin6_addr[15] = 1;
      Syscalls.bind(fd, lo);
      LibC.SockaddrIn6 me = new LibC.SockaddrIn6();
      Syscalls.getsockname(fd, me);
      for (int i = 0; i < 3; i++) {
        Syscalls.sendto(fds[1], ByteBuffer.allocateDirect(10 + i), 0, me);
      }
      assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(batch.length(i)).isEqualTo(10 + i);
        assertThat(batch.block.getShort(RawBatch.nameOffset(i))).isEqualTo((short) Syscalls.AF_INET6);
        assertThat(batch.block.get(RawBatch.nameOffset(i) + 8 + 15)).isEqualTo((byte) 1); // from ::1
        assertThat(types(i)).contains(RawIpSocket.IPV6_PKTINFO, RawIpSocket.IPV6_HOPLIMIT);
        assertThat(RawMsg.timestamp(batch.block, RawBatch.controlOffset(i), batch.controlLength(i)))
            .isNotEqualTo(Long.MIN_VALUE);
      }
    } finally {
      Syscalls.close(fds[0]);
      Syscalls.close(fds[1]);
    }
  }

  /** The IPPROTO_IPV6 control message types in slot {@code i}'s ancillary data. */
  private List<Integer> types(int i) {
    List<Integer> out = new ArrayList<>();
    long end = batch.controlLength(i);
    for (long off = 0; off + 16 <= end; ) {
      int at = RawBatch.controlOffset(i) + (int) off;
      long len = batch.block.getLong(at);
      if (len < 16) {
        break;
      }
      if (batch.block.getInt(at + 8) == RawIpSocket.IPPROTO_IPV6) {
        out.add(batch.block.getInt(at + 12));
      }
      off += (len + 7) & ~7L;
    }
    return out;
  }
}
