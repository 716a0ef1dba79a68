package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import org.junit.jupiter.api.Test;

/** Forwarding.Method is an open enum: codes a newer kernel sends are kept, not refused. */
class ForwardingMethodTest {

  @Test
  void ofCode_knownCode_isTheNamedConstant() {
    for (Forwarding.Method m : Forwarding.Method.known()) {
      assertThat(Forwarding.Method.ofCode(m.code())).isSameAs(m);
      assertThat(m.isKnown()).isTrue();
    }
    assertThat(Forwarding.Method.values()).containsExactly(Forwarding.Method.MASQ, Forwarding.Method.LOCAL,
        Forwarding.Method.TUNNEL, Forwarding.Method.DROUTE, Forwarding.Method.BYPASS);
    assertThat(Forwarding.Method.DROUTE).hasToString("DROUTE");
  }

  @Test
  void ofCode_unknownCode_isKeptWithItsCode() {
    Forwarding.Method m = Forwarding.Method.ofCode(5);
    assertThat(m.isKnown()).isFalse();
    assertThat(m.code()).isEqualTo(5);
    assertThat(m.name()).isEqualTo("METHOD_5");
    assertThat(m.ipvsadmName()).isEqualTo("Unknown");
    assertThat(m).isEqualTo(Forwarding.Method.ofCode(5)).hasSameHashCodeAs(Forwarding.Method.ofCode(5))
        .isNotEqualTo(Forwarding.Method.BYPASS);
  }

  @Test
  void ofKernel_unknownMethod_givesAForwardingInsteadOfFailing() {
    Forwarding f = Forwarding.ofKernel(6, 0, 0, 0);
    assertThat(f.method().code()).isEqualTo(6);
    IpvsDest d = new IpvsDest(RealServerKey.of("198.51.100.1", 80), f, 1, 0, 0);
    assertThat(new IpvsOp.AddDest(ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.0.2.1"), 80), d))
        .hasToString("-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 1");
  }

  @Test
  void ofCode_outsideTheMask_isRejectedWithTheValue() {
    assertThatThrownBy(() -> Forwarding.Method.ofCode(8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwarding method out of range 0-7: 8");
  }
}
