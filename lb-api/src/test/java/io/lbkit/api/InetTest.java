package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InetTest {

  @ParameterizedTest
  @CsvSource({
    "192.168.0.200, 192.168.0.200",
    "2001:db8::1, 2001:db8::1",
    "[2001:db8::1], 2001:db8::1",
    "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:0:0:0:0:1, 2001:db8::1",
    "::, ::",
    "::1, ::1",
    "fe80::, fe80::",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "::ffff:10.0.0.1, ::ffff:10.0.0.1",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
  })
  void parse_thenFormat_isInetNtopText(String in, String expected) {
    assertThat(Inet.format(Inet.parse(in))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "192.168.0", "192.168.0.256", "1.2.3.4.5", "1:2:3:4:5:6:7:8:9",
      "1::2::3", "12345::1", "g::1", "192.168.0.-1", "fe80::1%eth0", "01234.1.1.1"})
  void parse_nonLiteral_isRejectedWithTheText(String bad) {
    assertThatThrownBy(() -> Inet.parse(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + bad + "\"");
  }

  @Property
  void format_roundTripsEveryIpv6Address(@ForAll byte[] raw) {
    byte[] b = new byte[16];
    System.arraycopy(raw, 0, b, 0, Math.min(16, raw.length));
    java.net.InetAddress a = Inet.of(b);
    assertThat(Inet.parse(Inet.format(a))).isEqualTo(a);
  }

  @Test
  void format_ipv4_isDottedQuad() {
    assertThat(Inet.format(Inet.of(new byte[] {(byte) 192, (byte) 168, 0, (byte) 200}))).isEqualTo("192.168.0.200");
  }

  @ParameterizedTest
  @CsvSource({
      "10.0.0.2, 10.0.0.10, -1",
      "10.0.0.200, 10.0.0.2, 1", // unsigned: byte 200 is not negative
      "128.0.0.1, 127.255.255.255, 1",
      "10.0.0.1, 10.0.0.1, 0",
      "255.255.255.255, ::, -1", // every IPv4 address before every IPv6 one
      "2001:db8::ff, 2001:db8::1:0, -1",
      "fe80::1, 2001:db8::1, 1"})
  void compare_unsignedBigEndian_ipv4First(String a, String b, int sign) {
    assertThat(Integer.signum(Inet.compare(Inet.parse(a), Inet.parse(b)))).isEqualTo(sign);
    assertThat(Integer.signum(Inet.compare(Inet.parse(b), Inet.parse(a)))).isEqualTo(-sign);
  }

  @Test
  void hostName_isTheKernelsName_asUnameGivesIt() throws Exception {
    Process p = new ProcessBuilder("uname", "-n").redirectErrorStream(true).start();
    String uname = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(Inet.hostName()).isEqualTo(uname).isNotBlank();
  }
}
