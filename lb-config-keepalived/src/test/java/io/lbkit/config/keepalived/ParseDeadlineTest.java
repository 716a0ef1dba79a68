package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parse deadline is checked often enough that one config line cannot carry the parse far past it. */
class ParseDeadlineTest {
  @Test
  void deadline_isCheckedWhileAGroupsMembersAreBuilt() {
    // one virtual_server line that becomes 200 services (fuzzing found a group like this running
    // 21 s past a 2 s deadline): with a deadline already passed, the parse stops inside it
    String text = "virtual_server_group G {\n 10.0.0.1-200 80\n}\n"
        + "virtual_server group G {\n lvs_sched rr\n lvs_method NAT\n real_server 10.0.1.9 80 {\n }\n}\n";
    KeepalivedConfig c = KeepalivedConfig.parse(text, "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId("x").withTimeout(Duration.ofNanos(1)));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 4
        && d.message().contains("parse time limit exceeded"));
    assertThat(c.spec().virtualServices()).hasSizeLessThan(200);
  }
}
