package io.lbkit.netlink.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lbkit.api.Family;
import io.lbkit.netlink.rtnl.RouteCodec;
import io.lbkit.netlink.rtnl.RtnlCodec;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Coverage-guided fuzzing of the netlink reply decoders: whatever the bytes (one whole
 * message, native byte order), each decoder returns a value or throws its documented
 * {@link ProtocolException}; nothing else escapes, nothing hangs. A normal build replays
 * the committed inputs under {@code NetlinkDecodeFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (lb-bench/scripts/fuzz.sh).
 */
class NetlinkDecodeFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void ipvs_anyBytes_decodesOrThrowsProtocolException(byte[] input) {
    ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.nativeOrder());
    int len = input.length;
    decodes(() -> IpvsDecoder.service(b, 0, len));
    decodes(() -> IpvsDecoder.dest(b, 0, len, Family.INET));
    decodes(() -> IpvsDecoder.dest(b, 0, len, Family.INET6));
    decodes(() -> IpvsDecoder.info(b, 0, len));
    decodes(() -> IpvsDecoder.timeouts(b, 0, len));
    decodes(() -> IpvsDecoder.daemon(b, 0, len));
  }

  @FuzzTest(maxDuration = "60s")
  void rtnl_anyBytes_decodesOrThrowsProtocolException(byte[] input) {
    ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.nativeOrder());
    int len = input.length;
    decodes(() -> RtnlCodec.decodeLink(b, 0, len));
    decodes(() -> RtnlCodec.decodeAddress(b, 0, len));
    decodes(() -> RouteCodec.decode(b, 0, len));
  }

  private interface Decode {
    Object run() throws ProtocolException;
  }

  /** The decoder's value must be non-null; ProtocolException is its documented refusal. */
  private static void decodes(Decode d) {
    try {
      if (d.run() == null) {
        throw new AssertionError("a decoder returned null");
      }
    } catch (ProtocolException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("a ProtocolException without a message", expected);
      }
    }
  }
}
