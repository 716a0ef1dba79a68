package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadBalancerStatusJsonTest {
  @Test
  void jsonString_escapesQuotesBackslashesAndControlCharacters() {
    assertThat(LoadBalancerStatus.jsonString("a\"b\\c\nd\re\tf\u0001g"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"");
  }

  @Test
  void jsonString_keepsOtherTextAsIs() {
    assertThat(LoadBalancerStatus.jsonString("VI_1 é ✓")).isEqualTo("\"VI_1 é ✓\"");
  }
}
