package io.lbkit.harness.kernel;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fixtures for {@link TaggedTestRunnerTest}: a pass, a failure and an abort. Their tag
 * is excluded from the normal surefire run (see the pom), so only the runner test runs them.
 */
@Tag("runner-fixture")
class RunnerFixtures {

  @Test
  void passes() {
    Assertions.assertNotNull(System.getProperty("java.version"));
  }

  @Test
  void fails() {
    throw new AssertionError("expected failure from the fixture");
  }

  @Test
  void aborts() {
    Assumptions.abort("expected abort from the fixture");
  }
}
