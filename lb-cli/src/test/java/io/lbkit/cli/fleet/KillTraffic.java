package io.lbkit.cli.fleet;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The client of {@link FleetKillNetnsTest}, run as its own process inside the client namespace:
 * {@code KillTraffic VIP PORT N FIRST_SRC SECONDS NEW_FLOW_MS}. N long-lived connections to an echo service,
 * one from each of the addresses FIRST_SRC..+N-1, each sending 8 bytes every 100 ms and reading the echo
 * (10 s read deadline); and, from the namespace's main address, one new connection every NEW_FLOW_MS (1 s
 * connect and read deadlines; started on schedule, concurrently). Prints {@code OPEN}, {@code NEW epoch_ms ok|fail} per new connection, then
 * {@code CONN addr kept|lost max_gap_ms reason} per long-lived connection and {@code DONE}.
 */
public final class KillTraffic {
  private KillTraffic() {}

  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    int n = Integer.parseInt(a[2]);
    byte[] first = InetAddress.getByName(a[3]).getAddress();
    long end = System.currentTimeMillis() + Long.parseLong(a[4]) * 1000;
    long newFlowMs = Long.parseLong(a[5]);
    PrintStream out = new PrintStream(System.out, true);
    List<Socket> socks = new ArrayList<>();
    List<String> addrs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = first.clone();
      b[3] = (byte) ((b[3] & 0xff) + i);
      Socket s = new Socket();
      s.bind(new InetSocketAddress(InetAddress.getByAddress(b), 0));
      s.connect(vip, 5000);
      s.setSoTimeout(10_000);
      s.setTcpNoDelay(true);
      socks.add(s);
      addrs.add(s.getLocalAddress().getHostAddress()); // a closed socket reports the wildcard address
    }
    out.println("OPEN " + n);
    String[] results = new String[n];
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int k = i;
      Thread t = new Thread(() -> {
        results[k] = longLived(socks.get(k), end);
        done.countDown();
      });
      t.setDaemon(true);
      t.start();
    }
    // each new flow starts on schedule whether or not the earlier ones have finished (a loop waiting for each
    // would start none while one hangs for its 1 s deadline, and so hide the failure window); 2 s at most each
    ExecutorService flows = Executors.newFixedThreadPool((int) Math.min(500, 2000 / Math.max(1, newFlowMs) + 8), r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    for (long next = System.currentTimeMillis(); next < end; next += newFlowMs) {
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      long t = System.currentTimeMillis();
      flows.execute(() -> out.println("NEW " + t + " " + (newFlow(vip, t) ? "ok" : "fail")));
    }
    flows.shutdown();
    flows.awaitTermination(10, TimeUnit.SECONDS);
    done.await();
    for (int i = 0; i < n; i++) {
      out.println("CONN " + addrs.get(i) + " " + results[i]);
    }
    out.println("DONE");
  }

  private static boolean newFlow(InetSocketAddress vip, long seq) {
    try (Socket s = new Socket()) {
      s.connect(vip, 1000);
      s.setSoTimeout(1000);
      s.getOutputStream().write(ByteBuffer.allocate(8).putLong(seq).array());
      return ByteBuffer.wrap(s.getInputStream().readNBytes(8)).getLong() == seq;
    } catch (Exception e) {
      return false;
    }
  }

  private static String longLived(Socket s, long end) {
    long last = System.currentTimeMillis();
    long maxGap = 0;
    try (s) {
      OutputStream o = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (long seq = 1, next = last; next < end; seq++, next += 100) {
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        o.write(ByteBuffer.allocate(8).putLong(seq).array());
        byte[] r = in.readNBytes(8);
        if (r.length < 8 || ByteBuffer.wrap(r).getLong() != seq) {
          return "lost " + maxGap + " bad-echo";
        }
        long now = System.currentTimeMillis();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }
      return "kept " + maxGap + " -";
    } catch (Exception e) {
      return "lost " + maxGap + " " + e.getClass().getSimpleName();
    }
  }
}
