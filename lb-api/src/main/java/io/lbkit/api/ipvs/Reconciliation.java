package io.lbkit.api.ipvs;

import io.lbkit.api.kernel.BatchException;
import java.util.List;

/**
 * What one reconciliation did: the changes applied to the kernel, and those that
 * failed with their errors (after one re-read of the kernel and one retry).
 *
 * @param applied changes that succeeded, in order
 * @param failed changes that still failed
 */
public record Reconciliation(List<IpvsOp> applied, List<BatchException.Failure> failed) {
  /** Nothing to do. */
  public static final Reconciliation NONE = new Reconciliation(List.of(), List.of());

  /** Copies. */
  public Reconciliation {
    applied = List.copyOf(applied);
    failed = List.copyOf(failed);
  }

  /** True if every change succeeded. */
  public boolean isClean() {
    return failed.isEmpty();
  }
}
