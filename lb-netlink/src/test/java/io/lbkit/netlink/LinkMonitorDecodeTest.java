package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.netlink.rtnl.RtnlEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Event messages to typed events, by bytes (unit tier). */
class LinkMonitorDecodeTest {

  private static ByteBuffer le(String hex) {
    byte[] a = HexFormat.of().parseHex(hex.replace(" ", ""));
    return ByteBuffer.allocate(a.length).order(ByteOrder.nativeOrder()).put(a).flip();
  }

  @Test
  void decode_delAddr_isRemovedAddressEvent() throws Exception {
    ByteBuffer b = le("28000000 1500 0000 00000000 00000000 02200000 03000000 08000100 c0000201 08000200 c0000201");
    RtnlEvent e = LinkMonitor.decode(b, 0, b.limit());
    assertThat(e).isInstanceOfSatisfying(RtnlEvent.AddressEvent.class, a -> {
      assertThat(a.removed()).isTrue();
      assertThat(a.address().ifIndex()).isEqualTo(3);
      assertThat(a.address().address().toString()).isEqualTo("192.0.2.1/32");
    });
  }

  @Test
  void decode_delLink_isRemovedLinkEvent() throws Exception {
    ByteBuffer b = le("2c000000 1100 0000 00000000 00000000 00000100 04000000 00100000 00000000"
        + "09000300 76697030 00000000");
    RtnlEvent e = LinkMonitor.decode(b, 0, b.limit());
    assertThat(e).isInstanceOfSatisfying(RtnlEvent.LinkEvent.class, l -> {
      assertThat(l.removed()).isTrue();
      assertThat(l.link().name()).isEqualTo("vip0");
      assertThat(l.link().isUp()).isFalse();
    });
  }

  @Test
  void decode_routeMessage_isIgnored() throws Exception {
    ByteBuffer b = le("1c000000 1800 0000 00000000 00000000 02000000 fe030001 00000000");
    assertThat(LinkMonitor.decode(b, 0, b.limit())).isNull();
  }
}
