package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.NoSuchDestinationException;
import io.lbkit.api.kernel.NoSuchServiceException;
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.FakeKernel;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NetlinkIpvs's own logic over the byte-level fake kernel: family lookup, errno subjects, batches. */
class NetlinkIpvsTest {
  private static final int IPVS_ID = 0x2a;
  private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);

  /** Answers CTRL_CMD_GETFAMILY for IPVS, and hands IPVS requests to {@code ipvs}. */
  static FakeKernel kernel(boolean hasIpvs, FakeKernel.Responder ipvs) {
    return new FakeKernel(77, (r, out) -> {
      if (r.type() == Nl.GENL_ID_CTRL) {
        if (!hasIpvs) {
          out.error(Errno.ENOENT, null);
          return;
        }
        NlWriter w = new NlWriter(32);
        w.putU16(Nl.CTRL_ATTR_FAMILY_ID, IPVS_ID).putString(Nl.CTRL_ATTR_FAMILY_NAME, "IPVS")
            .putU32(Nl.CTRL_ATTR_VERSION, 1);
        ByteBuffer b = w.flip();
        byte[] payload = new byte[4 + b.remaining()];
        payload[0] = 1; // CTRL_CMD_NEWFAMILY
        b.get(payload, 4, payload.length - 4);
        out.data(Nl.GENL_ID_CTRL, 0, payload);
        out.ack();
      } else {
        assertThat(r.type()).isEqualTo(IPVS_ID);
        ipvs.answer(r, out);
      }
    });
  }

  @Test
  void open_kernelWithoutIpvs_saysSoAndHowToFixIt() {
    assertThatThrownBy(() -> NetlinkIpvs.over(NetlinkSocket.over(kernel(false, null), 50)))
        .isInstanceOfSatisfying(IpvsUnavailableException.class, e -> {
          assertThat(e.errno()).isEqualTo(Errno.ENOENT);
          assertThat(e.extAck()).as("only what the kernel sent (nothing here)").isNull();
        })
        .hasMessage("resolve generic netlink family IPVS: ENOENT (No such file or directory); "
            + NetlinkIpvs.NOT_AVAILABLE)
        .hasMessageContaining("modprobe ip_vs");
  }

  @Test
  void addService_enoent_isUnknownSchedulerNamingTheService() throws Exception {
    FakeKernel k = kernel(true, (r, out) -> out.error(Errno.ENOENT, null));
    try (NetlinkIpvs ipvs = NetlinkIpvs.over(NetlinkSocket.over(k, 50))) {
      assertThatThrownBy(() -> ipvs.addService(IpvsService.of(WEB, Scheduler.TWOS)))
          .isInstanceOf(UnknownSchedulerException.class).hasMessageContaining("IPVS add service TCP 192.0.2.200:80")
          .hasMessageEndingWith(": scheduler twos is not available (kernel module ip_vs_twos)");
    }
  }

  @Test
  void apply_sendsOneDatagram_andAttributesEachErrnoWithItsSubject() throws Exception {
    int[] n = {0};
    FakeKernel k = kernel(true, (r, out) -> {
      switch (n[0]++) {
        case 1 -> out.error(Errno.ENOENT, "no dest");  // delete dest: no such destination
        case 2 -> out.error(Errno.ESRCH, null);        // add dest: no such service
        default -> out.ack();
      }
    });
    IpvsDest d = IpvsDest.of(Inet.parse("198.51.100.1"), 80, Forwarding.DR, 1);
    List<IpvsOp> ops = List.of(new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.RR)),
        new IpvsOp.DeleteDest(WEB, d.key()), new IpvsOp.AddDest(WEB, d), new IpvsOp.UpdateDest(WEB, d));
    try (NetlinkIpvs ipvs = NetlinkIpvs.over(NetlinkSocket.over(k, 50))) {
      int before = k.sends;
      BatchException e = org.junit.jupiter.api.Assertions.assertThrows(BatchException.class, () -> ipvs.apply(ops));
      assertThat(k.sends - before).isEqualTo(1);
      assertThat(e.failures()).extracting(BatchException.Failure::index).containsExactly(1, 2);
      assertThat(e.failures().get(0).error()).isInstanceOf(NoSuchDestinationException.class)
          .hasMessageContaining("-d -t 192.0.2.200:80 -r 198.51.100.1:80").hasMessageContaining("no dest");
      assertThat(e.failures().get(1).error()).isInstanceOf(NoSuchServiceException.class);
      assertThat(e.total()).isEqualTo(4);
    }
  }

  @Test
  void apply_empty_sendsNothing() throws Exception {
    FakeKernel k = kernel(true, (r, out) -> out.ack());
    try (NetlinkIpvs ipvs = NetlinkIpvs.over(NetlinkSocket.over(k, 50))) {
      int before = k.sends;
      ipvs.apply(List.of());
      assertThat(k.sends).isEqualTo(before);
    }
  }
}
