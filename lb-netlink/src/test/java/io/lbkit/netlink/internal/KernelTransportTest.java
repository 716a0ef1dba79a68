package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The native layer against this machine's kernel, unprivileged: the generic netlink
 * controller answers for every user, so these run in the unit tier.
 */
class KernelTransportTest {

  @Test
  void resolve_nlctrl_returnsTheControllersOwnId() throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
      assertThat(s.portId()).isNotZero();
      GenlFamily f = GenlFamily.resolve(s, "nlctrl");
      assertThat(f.id()).isEqualTo(Nl.GENL_ID_CTRL);
      assertThat(f.name()).isEqualTo("nlctrl");
    }
  }

  @Test
  void resolve_unknownFamily_isEnoentNamingTheFamily() throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
      assertThatThrownBy(() -> GenlFamily.resolve(s, "lbkit-nofam"))
          .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
          .hasMessageContaining("lbkit-nofam");
    }
  }

  @Test
  void resolve_nameLongerThanGenlNamsiz_isEinvalWithTheKernelsExtAckText() throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
      assertThatThrownBy(() -> GenlFamily.resolve(s, "lbkit-name-longer-than-15"))
          .isInstanceOfSatisfying(KernelException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.extAck()).isNotBlank();
          });
    }
  }

  @Test
  void dump_allFamilies_containsNlctrl() throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
      NlWriter w = new NlWriter(32);
      int m = w.beginMessage(Nl.GENL_ID_CTRL, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
      w.genl(Nl.CTRL_CMD_GETFAMILY, 1);
      w.endMessage(m);
      var names = s.dump(w.flip(), "dump families", (b, off, len) ->
          NlAttrs.parse(b, off + Nl.NLMSG_HDRLEN + Nl.GENL_HDRLEN, off + len, Nl.CTRL_ATTR_FAMILY_NAME)
              .string(Nl.CTRL_ATTR_FAMILY_NAME));
      assertThat(names).contains("nlctrl");
    }
  }

  @Test
  void batch_ofControllerRequests_getsOneAckEachWithErrorsInPlace() throws IOException {
    try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
      NlWriter w = new NlWriter(64);
      for (String name : new String[] {"nlctrl", "lbkit-nope", "nlctrl"}) {
        int m = w.beginMessage(Nl.GENL_ID_CTRL, Nl.NLM_F_REQUEST);
        w.genl(Nl.CTRL_CMD_GETFAMILY, 1).putString(Nl.CTRL_ATTR_FAMILY_NAME, name);
        w.endMessage(m);
      }
      var acks = s.batch(w.flip());
      assertThat(acks).extracting(NetlinkSocket.Ack::errno).containsExactly(0, Errno.ENOENT, 0);
    }
  }

  @Test
  void ifNameToIndex_loopbackAndUnknown() throws IOException {
    assertThat(Syscalls.ifNameToIndex("lo")).isPositive();
    assertThat(Syscalls.ifIndexToName(Syscalls.ifNameToIndex("lo"))).isEqualTo("lo");
    assertThatThrownBy(() -> Syscalls.ifNameToIndex("lbkit-nope0")).isInstanceOf(KernelException.class)
        .hasMessageContaining("lbkit-nope0");
  }

  @Test
  void netns_invalidName_isRejectedBeforeAnySyscall() {
    assertThatThrownBy(() -> NetlinkSocket.open(Nl.NETLINK_GENERIC, "../x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../x");
  }
}
