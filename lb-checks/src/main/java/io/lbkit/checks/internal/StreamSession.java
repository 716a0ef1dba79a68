package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * One non-blocking TCP (optionally TLS) connection running a {@link Dialog} on the
 * {@link NioEngine} loop: connect, handshake, talk, verdict, close — all before one
 * deadline (connect_timeout). Reports exactly once.
 */
final class StreamSession implements NioEngine.Handler, Runnable {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final NioEngine engine;
  private final InetSocketAddress remote;
  private final InetSocketAddress bind;
  private final SSLEngine tls;
  private final Dialog dialog;
  private final long timeoutNanos;
  private final Consumer<CheckResult> done;

  private SocketChannel ch;
  private SelectionKey key;
  private NioEngine.Deadline deadline;
  private boolean connected;
  private boolean open;
  private boolean finished;
  private long received;
  private ByteBuffer netIn;
  private ByteBuffer netOut;
  private ByteBuffer appIn;
  private ByteBuffer appOut = EMPTY;

  StreamSession(NioEngine engine, InetSocketAddress remote, InetSocketAddress bind, SSLEngine tls, Dialog dialog,
      long timeoutNanos, Consumer<CheckResult> done) {
    this.engine = engine;
    this.remote = remote;
    this.bind = bind;
    this.tls = tls;
    this.dialog = dialog;
    this.timeoutNanos = timeoutNanos;
    this.done = done;
  }

  /** Starts connecting (loop thread). */
  void start() {
    deadline = engine.deadline(timeoutNanos, this); // run(): no method reference to allocate per attempt
    try {
      // a socket of the target's own family: an IPv4 check needs no dual-stack socket
      ch = SocketChannel.open(remote.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET
          : StandardProtocolFamily.INET6);
      ch.configureBlocking(false);
      if (bind != null) {
        ch.bind(bind);
      }
      // on loopback and fast links the handshake is done by the time connect returns:
      // finishing it now saves a selector round trip (and a refusal is known at once)
      if (ch.connect(remote) || ch.finishConnect()) {
        onConnected();
      } else {
        interest(SelectionKey.OP_CONNECT);
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void onReady(SelectionKey k) {
    if (finished) {
      return;
    }
    try {
      if (!connected) {
        if (ch.finishConnect()) {
          onConnected();
        }
        return;
      }
      if (tls == null) {
        pumpPlain();
      } else {
        pump();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Exception e) {
    finish(CheckResult.down(e instanceof SSLException ? "TLS handshake failed: " + e.getMessage()
        : describe(e, connected ? "read" : "connect")));
  }

  private void onConnected() throws IOException {
    connected = true;
    if (tls == null) {
      open();
      if (finished) {
        return;
      }
      // send the request (if the dialog speaks first) and wait for the answer; reading
      // now would only find nothing yet
      if (appOut.hasRemaining()) {
        ch.write(appOut);
      }
      interest(appOut.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
      return;
    }
    netIn = ByteBuffer.allocate(tls.getSession().getPacketBufferSize());
    netOut = ByteBuffer.allocate(tls.getSession().getPacketBufferSize());
    netOut.flip();
    appIn = ByteBuffer.allocate(tls.getSession().getApplicationBufferSize());
    tls.beginHandshake();
    pump();
  }

  private void open() {
    open = true;
    if (dialog == null) { // TCP_CHECK: the connection is the answer
      finish(CheckResult.up(tls == null ? "connected" : "connected, TLS handshake done"));
      return;
    }
    ByteBuffer first = dialog.onOpen();
    if (first != null) {
      appOut = first;
    }
  }

  private void interest(int ops) throws IOException {
    if (key == null) {
      key = engine.register(ch, ops, this);
    } else if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  /**
   * Plaintext: flush what the dialog wants sent, then read into the loop's shared
   * buffers (native, copied to the heap one the dialog parses in place) until the dialog has a verdict or nothing more is there; one read when the
   * whole answer fits.
   */
  private void pumpPlain() throws IOException {
    ByteBuffer in = engine.readBuffer();
    ByteBuffer raw = engine.nativeReadBuffer();
    for (int round = 0; round < 1000; round++) {
      if (appOut.hasRemaining() && ch.write(appOut) >= 0 && appOut.hasRemaining()) {
        interest(SelectionKey.OP_WRITE);
        return;
      }
      raw.clear();
      int n = ch.read(raw);
      if (n < 0) {
        finish(dialog.onEof());
        return;
      }
      if (n == 0) {
        break;
      }
      received += n;
      raw.get(0, in.array(), in.arrayOffset(), n);
      in.clear().limit(n);
      CheckResult r = dialog.onData(in); // consumes all of it (the Dialog contract)
      if (r != null) {
        finish(r);
        return;
      }
      takeOutput();
    }
    interest(appOut.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  /** TLS: moves bytes until nothing more can move now; then waits for readiness. */
  private void pump() throws IOException {
    boolean eof = false;
    for (int round = 0; round < 1000 && !finished; round++) {
      boolean progress = false;
      progress |= tlsStep();
      if (finished) {
        return;
      }
      if (netOut.hasRemaining()) {
        progress |= ch.write(netOut) > 0;
      }
      if (!netOut.hasRemaining() && !eof) {
        int n = ch.read(netIn);
        if (n < 0) {
          eof = true;
          progress = true;
        } else if (n > 0) {
          received += n;
          progress = true;
        }
      }
      if (eof && (netIn.position() == 0 || !progress)) {
        finish(open ? dialog.onEof() : CheckResult.down("connection closed during TLS handshake"));
        return;
      }
      if (!progress) {
        break;
      }
    }
    interest(netOut.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  private void takeOutput() {
    ByteBuffer more = dialog.pendingOutput();
    if (more != null) {
      appOut = more;
    }
  }

  /** One TLS step; true if it moved anything. */
  private boolean tlsStep() throws IOException {
    if (netOut.hasRemaining()) {
      return false; // flush first
    }
    SSLEngineResult.HandshakeStatus hs = tls.getHandshakeStatus();
    switch (hs) {
      case NEED_TASK -> {
        Runnable t;
        while ((t = tls.getDelegatedTask()) != null) {
          t.run();
        }
        return true;
      }
      case NEED_WRAP -> {
        return wrap(EMPTY);
      }
      case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
        return unwrap();
      }
      default -> {
        if (!open) {
          open();
          if (finished) {
            return true;
          }
        }
        boolean moved = false;
        if (appOut.hasRemaining()) {
          moved = wrap(appOut);
        }
        return unwrap() || moved;
      }
    }
  }

  private boolean wrap(ByteBuffer src) throws SSLException {
    netOut.clear();
    SSLEngineResult r = tls.wrap(src, netOut);
    netOut.flip();
    if (r.getStatus() == SSLEngineResult.Status.CLOSED && !open) {
      throw new SSLException("peer closed the TLS session");
    }
    return r.bytesProduced() > 0 || r.bytesConsumed() > 0;
  }

  private boolean unwrap() throws IOException {
    if (netIn.position() == 0) {
      return false;
    }
    netIn.flip();
    SSLEngineResult r = tls.unwrap(netIn, appIn);
    netIn.compact();
    if (r.getStatus() == SSLEngineResult.Status.CLOSED && !open) {
      throw new SSLException("peer closed the connection during the handshake");
    }
    if (open && appIn.position() > 0) {
      appIn.flip();
      CheckResult v = dialog.onData(appIn);
      appIn.compact();
      if (v != null) {
        finish(v);
        return true;
      }
      takeOutput();
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED && open) {
      finish(dialog.onEof());
      return true;
    }
    return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
  }

  private String phase() {
    return dialog == null ? "connected" : dialog.phase();
  }

  /** The deadline: connect_timeout passed before a verdict. */
  @Override
  public void run() {
    finish(CheckResult.down("timeout after " + timeoutNanos / 1_000_000 + " ms ("
        + (!connected ? "connecting" : !open ? "TLS handshake" : phase()) + ")"));
  }

  private void finish(CheckResult r) {
    if (finished) {
      return;
    }
    finished = true;
    if (deadline != null) {
      deadline.cancel();
    }
    if (ch != null) {
      try {
        if (connected && (engine.resetOnClose() || !r.up())) {
          // RST: no FIN exchange and no TIME_WAIT on either side (see HealthMonitor.Builder.closeWithReset)
          ch.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        }
      } catch (IOException e) {
        // the socket is already broken; closing below is all that is left
      }
      engine.closeAfterSelect(key, ch);
    }
    done.accept(r);
  }

  private String describe(Exception e, String op) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof SocketException && m.contains("reset")) {
      return "connection reset after " + received + " bytes (" + phase() + ")";
    }
    return op + " failed: " + m;
  }
}
