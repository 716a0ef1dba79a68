package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;

/**
 * The protocol half of a stream check (HTTP, SMTP, plain TCP): pure logic over
 * plaintext, so it is tested without sockets. {@link StreamSession} does the I/O.
 */
interface Dialog {
  /** The connection is open (after the TLS handshake): bytes to send first, or null. */
  ByteBuffer onOpen();

  /**
   * Plaintext arrived ({@code data} in read mode). The dialog consumes all of it (it
   * copies what it keeps): the buffer is shared and reused at once.
   *
   * @return a verdict, or null to keep the conversation going
   */
  CheckResult onData(ByteBuffer data);

  /** Bytes the dialog wants sent now (after {@link #onData}), or null. */
  ByteBuffer pendingOutput();

  /** The peer closed the connection: the verdict. */
  CheckResult onEof();

  /** What the dialog is waiting for, for timeout messages ("waiting for the status line"). */
  String phase();
}
