package io.lbkit.api.kernel;

import io.lbkit.api.ipvs.IpvsOp;
import java.util.ArrayList;
import java.util.List;

/** Some changes of a batch failed; the others were applied. */
public final class BatchException extends KernelException {
  private static final long serialVersionUID = 1L;

  /**
   * A failed change.
   *
   * @param index its position in the batch
   * @param op the change
   * @param error why it failed
   */
  public record Failure(int index, IpvsOp op, KernelException error) {}

  private final transient List<Failure> failures;
  private final int total;

  private BatchException(List<Failure> failures, int total) {
    super(failures.get(0).error().operation(), failures.get(0).error().errno(), failures.get(0).error().extAck(),
        failures.size() + " of " + total + " IPVS changes failed; first: " + failures.get(0).error().getMessage());
    this.failures = List.copyOf(failures);
    this.total = total;
    for (Failure f : failures) {
      addSuppressed(f.error());
    }
  }

  /** Each failed change, in batch order. */
  public List<Failure> failures() {
    return failures;
  }

  /** How many changes the batch had. */
  public int total() {
    return total;
  }

  /** Collects failures of a batch. */
  public static final class Builder {
    private final List<Failure> failures = new ArrayList<>();
    private final int total;

    /** @param total the batch size */
    public Builder(int total) {
      this.total = total;
    }

    /** Records a failure. */
    public void add(int index, IpvsOp op, KernelException e) {
      failures.add(new Failure(index, op, e));
    }

    /** Throws a BatchException if any change failed. */
    public void throwIfAny() throws BatchException {
      if (!failures.isEmpty()) {
        throw new BatchException(failures, total);
      }
    }
  }
}
