package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.NotPermittedException;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Route;
import io.lbkit.netlink.internal.FakeKernel;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.rtnl.Rtnl;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Unit tier: the address and route managers against the byte-level fake kernel. Interface
 * {@code vip0} has index 7; changes fail with {@link #errno} (0: succeed).
 */
class RtnlManagersFakeKernelTest {
  private int errno;
  private String extAck;

  private final FakeKernel kernel = new FakeKernel(4242, (r, out) -> {
    if (r.type() == Rtnl.RTM_GETLINK) {
      String name;
      try {
        name = r.attrs(Rtnl.IFINFOMSG_LEN, Rtnl.IFLA_IFNAME).string(Rtnl.IFLA_IFNAME);
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
      if ("vip0".equals(name)) {
        out.data(Rtnl.RTM_NEWLINK, 0, link(7, "vip0"));
        out.ack();
      } else {
        out.error(Errno.ENODEV, null);
      }
    } else {
      out.error(errno, extAck);
    }
  });
  private final NetlinkAddressManager addrs = NetlinkAddressManager.over(NetlinkSocket.over(kernel, 1000));
  private final NetlinkRouteManager routes = NetlinkRouteManager.over(NetlinkSocket.over(kernel, 1000));

  /** ifinfomsg for {@code index}, up, with IFLA_IFNAME. */
  private static byte[] link(int index, String name) {
    ByteBuffer b = ByteBuffer.allocate(Rtnl.IFINFOMSG_LEN + 20).order(ByteOrder.nativeOrder());
    b.putInt(0).putInt(index).putInt(Rtnl.IFF_UP).putInt(0);
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    b.putShort((short) (4 + n.length + 1)).putShort((short) Rtnl.IFLA_IFNAME).put(n).put((byte) 0);
    return java.util.Arrays.copyOf(b.array(), Nl.align(b.position()));
  }

  private FakeKernel.Request last() {
    return kernel.requests.get(kernel.requests.size() - 1);
  }

  @Test
  void add_kernelAcks_sendsNewaddrCreateExclOnResolvedIndex() throws Exception {
    assertThat(addrs.add("vip0", IfAddress.parse("192.0.2.1"))).isEqualTo(Change.DONE);
    FakeKernel.Request r = last();
    assertThat(r.type()).isEqualTo(Rtnl.RTM_NEWADDR);
    assertThat(r.flags() & (Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ACK))
        .isEqualTo(Nl.NLM_F_CREATE | Nl.NLM_F_EXCL | Nl.NLM_F_ACK);
    assertThat(r.message().getInt(Nl.NLMSG_HDRLEN + 4)).as("ifa_index").isEqualTo(7);
  }

  @Test
  void add_kernelSaysEexist_returnsAlready() throws Exception {
    errno = Errno.EEXIST;
    assertThat(addrs.add("vip0", IfAddress.parse("2001:db8::1"))).isEqualTo(Change.ALREADY);
  }

  @Test
  void remove_kernelSaysEaddrnotavail_returnsAlready() throws Exception {
    errno = Errno.EADDRNOTAVAIL;
    assertThat(addrs.remove("vip0", IfAddress.parse("192.0.2.1"))).isEqualTo(Change.ALREADY);
    assertThat(last().type()).isEqualTo(Rtnl.RTM_DELADDR);
  }

  @Test
  void remove_kernelSaysEexist_isNotMistakenForAlready() {
    errno = Errno.EEXIST;
    assertThatThrownBy(() -> addrs.remove("vip0", IfAddress.parse("192.0.2.1")))
        .isInstanceOf(KernelException.class).hasMessageContaining("EEXIST");
  }

  @Test
  void add_kernelSaysEpermWithExtAck_throwsNotPermittedNamingOperationAndText() {
    errno = Errno.EPERM;
    extAck = "no CAP_NET_ADMIN";
    assertThatThrownBy(() -> addrs.add("vip0", IfAddress.parse("192.0.2.1")))
        .isInstanceOf(NotPermittedException.class)
        .hasMessageStartingWith("rtnetlink add address 192.0.2.1/32 on vip0: EPERM")
        .hasMessageContaining("no CAP_NET_ADMIN");
  }

  @Test
  void add_unknownInterface_throwsEnodevBeforeAnyChange() {
    assertThatThrownBy(() -> addrs.add("eth9", IfAddress.parse("192.0.2.1")))
        .isInstanceOf(KernelException.class).hasMessageStartingWith("rtnetlink get link eth9: ENODEV");
    assertThat(kernel.requests).extracting(FakeKernel.Request::type).containsOnly(Rtnl.RTM_GETLINK);
  }

  @Test
  void routeRemove_kernelSaysEsrch_returnsAlready() throws Exception {
    errno = Errno.ESRCH;
    assertThat(routes.remove(Route.dev("10.9.0.0/16", "vip0"))).isEqualTo(Change.ALREADY);
    assertThat(last().type()).isEqualTo(Rtnl.RTM_DELROUTE);
  }

  @Test
  void routeAdd_kernelSaysEnetunreach_throwsNamingRoute() {
    errno = Errno.ENETUNREACH;
    assertThatThrownBy(() -> routes.add(Route.via("10.9.0.0/16", "172.31.0.1")))
        .isInstanceOf(KernelException.class)
        .hasMessageStartingWith("rtnetlink add route 10.9.0.0/16 via 172.31.0.1: ENETUNREACH");
  }
}
