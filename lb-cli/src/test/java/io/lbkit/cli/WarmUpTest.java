package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** lbctl run's start-up warm-up thread: what it names exists, and it runs for run only. */
class WarmUpTest {
  @Test
  void classes_allExistUnderTheirNames() throws ClassNotFoundException {
    // a renamed class would silently end the warm-up (ClassNotFoundException): the start would be slower, not wrong
    for (String c : WarmUp.CLASSES) {
      assertThat(Class.forName(c, false, WarmUp.class.getClassLoader()).getName()).isEqualTo(c);
    }
  }

  @Test
  void otherCommands_startNoThread() {
    assertThat(WarmUp.start(new String[] {"check", "x.conf"})).isNull();
    assertThat(WarmUp.start(new String[] {"--help"})).isNull();
    assertThat(WarmUp.start(new String[0])).isNull();
  }

  @Test
  void run_startsADaemonThreadThatEnds() throws InterruptedException {
    Thread t = WarmUp.start(new String[] {"run", "x.conf"});
    assertThat(t).isNotNull();
    assertThat(t.isDaemon()).isTrue();
    assertThat(t.getName()).isEqualTo("lbctl-warm-up");
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
  }
}
