package io.lbkit.config.keepalived;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParseMemoTest {
  /** The lines as the lexer cuts them ({@code split("\r?\n", -1)}), each hashed from the String. */
  private static long[] lineByLine(String text) {
    List<Long> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      out.add(ParseMemo.lineHash(text, pos, nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : end));
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void lineHashes_readInWindows_sameAsLineByLine() {
    Random r = new Random(7);
    String[] pieces = {"\n", "\r\n", "\r", "a", "bc", " ", "\t", "é", "\u2003", "real_server 10.0.0.1 80 {"};
    List<String> texts = new ArrayList<>(List.of("", "\n", "\r\n", "\r", "\n\n", "x", "x\n", "x\r\n\r\n", "\r\r\n"));
    for (int k = 0; k < 3000; k++) {
      StringBuilder sb = new StringBuilder();
      int parts = r.nextInt(30);
      for (int i = 0; i < parts; i++) {
        sb.append(pieces[r.nextInt(pieces.length)]);
      }
      texts.add(sb.toString());
    }
    for (String t : texts) {
      long[] expected = lineByLine(t);
      for (int window : new int[] {1, 2, 3, 5, 8, 64, 1 << 15}) {
        assertArrayEquals(expected, ParseMemo.lineHashes(t, window), () -> "window " + window + ": " + t);
      }
    }
  }
}
