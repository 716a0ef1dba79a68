package io.lbkit.bench.nft;

import io.lbkit.netlink.internal.KernelTransport;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Netns;
import io.lbkit.nftables.NftablesIpvs;
import java.io.IOException;

/** lbkit's side: an {@link NftablesIpvs} in the namespace over a {@link CountingTransport}. */
final class Lbkit implements AutoCloseable {
  static final int NETLINK_NETFILTER = 12;

  final NftablesIpvs ipvs;
  final CountingTransport counter;

  private Lbkit(NftablesIpvs ipvs, CountingTransport counter) {
    this.ipvs = ipvs;
    this.counter = counter;
  }

  /** Opens (and creates lbkit's table in) namespace {@code ns}. */
  static Lbkit open(String ns) throws IOException {
    CountingTransport c = new CountingTransport(Netns.call(ns, () -> KernelTransport.open(NETLINK_NETFILTER)));
    NetlinkSocket s = NetlinkSocket.over(c, NetlinkSocket.DEFAULT_TIMEOUT_MILLIS);
    try {
      return new Lbkit(NftablesIpvs.over(s), c);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    ipvs.close();
  }
}
