package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import io.lbkit.api.kernel.Errno;
import org.junit.jupiter.api.Test;

/** The one EINTR policy every native retry loop asks. */
class SyscallsRetryTest {
  @Test
  void retryable_eintr_retriedUpToTheBoundThenReported() {
    LastErrorException eintr = new LastErrorException(Errno.EINTR);
    assertThat(Syscalls.retryable(eintr, 0)).isTrue();
    assertThat(Syscalls.retryable(eintr, Syscalls.EINTR_RETRIES - 1)).isTrue();
    assertThat(Syscalls.retryable(eintr, Syscalls.EINTR_RETRIES)).isFalse();
  }

  @Test
  void retryable_otherErrno_reportedAtOnce() {
    assertThat(Syscalls.retryable(new LastErrorException(Errno.EAGAIN), 0)).isFalse();
    assertThat(Syscalls.retryable(new LastErrorException(Errno.EPERM), 0)).isFalse();
  }
}
