package io.lbkit.nftables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.netlink.internal.NlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the golden batches of src/test/resources/golden and compares messages with their sequence numbers masked. */
final class Golden {
  private Golden() {}

  /** The messages of {@code golden/NAME.hex}, as hex with the sequence number zeroed. */
  static List<String> messages(String name) throws IOException {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".hex")) {
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!line.isBlank()) {
          out.add(maskSeq(line.trim().split("\\s+")[3]));
        }
      }
      return out;
    }
  }

  /** The messages a writer holds, as hex. */
  static List<String> messages(NlWriter w) {
    ByteBuffer b = w.flip().order(ByteOrder.nativeOrder());
    List<String> out = new ArrayList<>();
    for (int p = 0; p < b.limit(); p += (b.getInt(p) + 3) & ~3) {
      byte[] m = new byte[b.getInt(p)];
      b.get(p, m);
      out.add(maskSeq(HexFormat.of().formatHex(m)));
    }
    return out;
  }

  static String maskSeq(String hex) {
    return hex.substring(0, 16) + "00000000" + hex.substring(24);
  }

  static void assertSame(List<String> actual, List<String> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("message %d", i).isEqualTo(expected.get(i));
    }
  }
}
