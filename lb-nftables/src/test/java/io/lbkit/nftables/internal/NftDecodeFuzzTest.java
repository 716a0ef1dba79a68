package io.lbkit.nftables.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Coverage-guided fuzzing of {@link NftDecoder}: whatever the bytes (one whole nf_tables
 * message, native byte order), {@code genId}, {@code elems} and {@code rule} return a
 * value or throw their documented {@link ProtocolException}; nothing else escapes,
 * nothing hangs. A normal build replays the committed inputs under
 * {@code NftDecodeFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes
 * (lb-bench/scripts/fuzz.sh).
 */
class NftDecodeFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode_anyBytes_decodesOrThrowsProtocolException(byte[] input) {
    ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.nativeOrder());
    int len = input.length;
    try {
      NftDecoder.genId(b, 0, len);
    } catch (ProtocolException expected) {
      named(expected);
    }
    try {
      if (NftDecoder.elems(b, 0, len) == null) {
        throw new AssertionError("elems returned null");
      }
    } catch (ProtocolException expected) {
      named(expected);
    }
    try {
      if (NftDecoder.rule(b, 0, len) == null) {
        throw new AssertionError("rule returned null");
      }
    } catch (ProtocolException expected) {
      named(expected);
    }
  }

  private static void named(ProtocolException e) {
    if (e.getMessage() == null || e.getMessage().isBlank()) {
      throw new AssertionError("a ProtocolException without a message", e);
    }
  }
}
