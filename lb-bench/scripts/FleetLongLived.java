import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * fleet-kill.sh's long-lived connections (run with
 * {@code java FleetLongLived.java VIP PORT N FIRST_SRC_ADDR SECONDS INTERVAL_MS STALL_MS} inside the client
 * namespace, which holds the N addresses FIRST_SRC_ADDR..+N-1): N TCP connections to an echo service, one from
 * each address (DR mh hashes the client address, so they spread over the real servers; the router's L4 hash
 * spreads them over the directors). For SECONDS each sends an 8-byte request every INTERVAL_MS (one in flight
 * at a time) and reads its echo; a connect that fails is tried again for 10 s. Printed: {@code OPEN epoch_ms n}, then per connection
 * {@code CONN addr port kept|lost max_gap_ms stalls last_reply_ms reason} (a gap is the time between two
 * replies; a stall is a gap over STALL_MS; lost = reset, closed, a wrong echo, or no reply in the last 2 s),
 * {@code STALL addr from_ms to_ms} per stall, and a {@code LONGLIVED} summary.
 */
public class FleetLongLived {
  static final class Conn {
    final String addr;
    SocketChannel ch;
    int retries;
    final ByteBuffer in = ByteBuffer.allocate(8);
    long seq;
    long nextSend;
    boolean waiting;
    long lastReply;
    long maxGap;
    int stalls;
    String failure;
    int port;

    Conn(String addr, SocketChannel ch) {
      this.addr = addr;
      this.ch = ch;
    }
  }

  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    int n = Integer.parseInt(a[2]);
    byte[] b = InetAddress.getByName(a[3]).getAddress();
    long seconds = Long.parseLong(a[4]);
    long interval = Long.parseLong(a[5]);
    long stallMs = Long.parseLong(a[6]);
    int first = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    Selector sel = Selector.open();
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int x = first + i;
      InetAddress src = InetAddress.getByAddress(new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
      SocketChannel c = SocketChannel.open();
      c.configureBlocking(false);
      c.bind(new InetSocketAddress(src, 0));
      c.connect(vip);
      Conn k = new Conn(src.getHostAddress(), c);
      c.register(sel, SelectionKey.OP_CONNECT, k);
      conns.add(k);
    }
    long openDeadline = System.currentTimeMillis() + 10_000;
    int open = 0;
    while (open + failed(conns) < n && System.currentTimeMillis() < openDeadline) {
      sel.select(100);
      for (SelectionKey key : sel.selectedKeys()) {
        Conn k = (Conn) key.attachment();
        try {
          if (k.ch.finishConnect()) {
            open++;
            k.port = ((InetSocketAddress) k.ch.getLocalAddress()).getPort();
            key.interestOps(SelectionKey.OP_READ);
          }
        } catch (IOException e) { // e.g. no route during a BGP flap: a new attempt, until the deadline
          key.cancel();
          k.ch.close();
          k.retries++;
          SocketChannel c = SocketChannel.open();
          c.configureBlocking(false);
          c.bind(new InetSocketAddress(InetAddress.getByName(k.addr), 0));
          Thread.sleep(20);
          c.connect(vip);
          k.ch = c;
          c.register(sel, SelectionKey.OP_CONNECT, k);
        }
      }
      sel.selectedKeys().clear();
    }
    long start = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      Conn k = conns.get(i);
      if (k.failure == null && k.port == 0) {
        k.failure = "connect:timeout";
      }
      k.nextSend = start + i * interval / n;
      k.lastReply = start;
    }
    int retried = 0;
    for (Conn k : conns) {
      retried += k.retries > 0 ? 1 : 0;
    }
    System.out.println("OPEN " + start + " " + open + " (" + retried + " needed more than one attempt)");
    System.out.flush();
    long end = start + seconds * 1000;
    ByteBuffer out = ByteBuffer.allocate(8);
    for (long now = start; now < end; now = System.currentTimeMillis()) {
      for (Conn k : conns) {
        if (k.failure == null && !k.waiting && k.nextSend <= now) {
          out.clear();
          out.putLong(++k.seq).flip();
          try {
            if (k.ch.write(out) != 8) {
              k.failure = "short-write";
            }
          } catch (IOException e) {
            fail(k, e);
          }
          k.waiting = true;
          k.nextSend = Math.max(k.nextSend + interval, now);
        }
      }
      sel.select(5);
      long t = System.currentTimeMillis();
      for (SelectionKey key : sel.selectedKeys()) {
        Conn k = (Conn) key.attachment();
        try {
          if (k.ch.read(k.in) < 0) {
            k.failure = "closed-by-peer";
          } else if (!k.in.hasRemaining()) {
            k.in.flip();
            long echoed = k.in.getLong();
            k.in.clear();
            if (echoed != k.seq) {
              k.failure = "wrong-echo";
            }
            long gap = t - k.lastReply;
            if (gap > k.maxGap) {
              k.maxGap = gap;
            }
            if (gap > stallMs) {
              k.stalls++;
              System.out.println("STALL " + k.addr + " " + k.lastReply + " " + t);
            }
            k.lastReply = t;
            k.waiting = false;
          }
        } catch (IOException e) {
          fail(k, e);
        }
        if (k.failure != null) {
          key.cancel();
        }
      }
      sel.selectedKeys().clear();
    }
    long now = System.currentTimeMillis();
    int kept = 0;
    int stalled = 0;
    long maxGap = 0;
    for (Conn k : conns) {
      if (k.failure == null && now - k.lastReply > 2000) {
        k.failure = "no-reply-for-" + (now - k.lastReply) + "ms";
      }
      boolean ok = k.failure == null;
      kept += ok ? 1 : 0;
      stalled += k.stalls > 0 ? 1 : 0;
      maxGap = Math.max(maxGap, k.maxGap);
      System.out.println("CONN " + k.addr + " " + k.port + " " + (ok ? "kept" : "lost") + " " + k.maxGap + " " + k.stalls
          + " " + k.lastReply + " " + (ok ? "-" : k.failure));
      k.ch.close();
    }
    System.out.println("LONGLIVED n=" + n + " opened=" + open + " kept=" + kept + " lost=" + (n - kept)
        + " stalled=" + stalled + " max_gap_ms=" + maxGap);
  }

  static int failed(List<Conn> conns) {
    int f = 0;
    for (Conn k : conns) {
      f += k.failure != null ? 1 : 0;
    }
    return f;
  }

  static void fail(Conn k, IOException e) {
    k.failure = e.getClass().getSimpleName() + ":" + String.valueOf(e.getMessage()).replace(' ', '_');
  }
}
