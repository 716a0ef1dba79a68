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

  /**
   * This reconciliation if every change succeeded; otherwise throws the failures.
   *
   * <pre>{@code
   * director.setServices(services).orThrow();
   * }</pre>
   *
   * @return this, when {@link #isClean()}
   * @throws BatchException naming each failed change and its error, out of
   *     {@code applied().size() + failed().size()} changes
   */
  public Reconciliation orThrow() throws BatchException {
    BatchException.Builder b = new BatchException.Builder(applied.size() + failed.size());
    for (BatchException.Failure f : failed) {
      b.add(f.index(), f.op(), f.error());
    }
    b.throwIfAny();
    return this;
  }
}
