package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.util.function.Consumer;

/**
 * One check bound to its target: each {@link #run} is one attempt that reports exactly
 * once, on any thread, within its timeout. The scheduler knows nothing else about it.
 */
public interface Probe {
  /** Starts one attempt. */
  void run(Consumer<CheckResult> done);
}
