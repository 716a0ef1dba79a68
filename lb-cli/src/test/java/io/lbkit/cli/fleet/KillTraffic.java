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
 * {@code KillTraffic VIP PORT N FIRST_SRC MAX_SECONDS NEW_FLOW_MS STOP_FILE}. N long-lived connections to an echo
 * service, one from each of the addresses FIRST_SRC..+N-1 (opened before the kill: tried again for 60 s, a
 * loaded host's flap is not the failure looked for), each sending 8 bytes every 100 ms and reading the echo
 * (10 s read deadline); and, from the namespace's main address, one new connection every NEW_FLOW_MS (30 s connect
 * deadline, 10 s read deadline: at load 63 on 2 cores a 1 s connect deadline failed new flows while every director
 * was alive; a SYN sent to the dead director is sent again, and gets through once the router dropped it;
 * started on schedule, concurrently). The traffic runs until STOP_FILE exists (the test creates it once what it
 * looks at is over, however long a loaded host took to get there), MAX_SECONDS at most. Prints {@code OPEN},
 * {@code NEW start_ms end_ms ok|fail} per new connection (epoch ms as its connect started and as it ended),
 * then {@code CONN addr kept|lost max_gap_ms reason} per long-lived connection and {@code DONE}.
 */
public final class KillTraffic {
  private static volatile long end;

  private KillTraffic() {}

  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    int n = Integer.parseInt(a[2]);
    byte[] first = InetAddress.getByName(a[3]).getAddress();
    end = System.currentTimeMillis() + Long.parseLong(a[4]) * 1000;
    long newFlowMs = Long.parseLong(a[5]);
    java.nio.file.Path stop = java.nio.file.Path.of(a[6]);
    PrintStream out = new PrintStream(System.out, true);
    List<Socket> socks = new ArrayList<>();
    List<String> addrs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = first.clone();
      b[3] = (byte) ((b[3] & 0xff) + i);
      Socket s = open(new InetSocketAddress(InetAddress.getByAddress(b), 0), vip);
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
        results[k] = longLived(socks.get(k));
        done.countDown();
      });
      t.setDaemon(true);
      t.start();
    }
    // each new flow starts on schedule whether or not the earlier ones have finished (a loop waiting for each
    // would start none while one hangs for its deadline, and so hide the failure window); 40 s at most each
    ExecutorService flows = Executors.newFixedThreadPool((int) Math.min(500, 40_000 / Math.max(1, newFlowMs) + 8), r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    for (long next = System.currentTimeMillis(); next < end; next += newFlowMs) {
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      if (java.nio.file.Files.exists(stop)) {
        end = System.currentTimeMillis();
        break;
      }
      flows.execute(() -> {
        long t = System.currentTimeMillis(); // as the connect starts: a busy pool may start it late
        boolean ok = newFlow(vip, t);
        out.println("NEW " + t + " " + System.currentTimeMillis() + " " + (ok ? "ok" : "fail"));
      });
    }
    flows.shutdown();
    flows.awaitTermination(60, TimeUnit.SECONDS);
    done.await();
    for (int i = 0; i < n; i++) {
      out.println("CONN " + addrs.get(i) + " " + results[i]);
    }
    out.println("DONE");
  }

  /**
   * A long-lived connection, tried again (60 s at most) while it cannot open: that is the set-up, before the
   * director dies (a BGP or BFD flap on a loaded host can leave the router without a route for a moment).
   */
  private static Socket open(InetSocketAddress from, InetSocketAddress vip) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      Socket s = new Socket();
      try {
        s.bind(from);
        s.connect(vip, 10_000);
        return s;
      } catch (java.io.IOException e) {
        s.close();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static boolean newFlow(InetSocketAddress vip, long seq) {
    try (Socket s = new Socket()) {
      s.connect(vip, 30_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(ByteBuffer.allocate(8).putLong(seq).array());
      return ByteBuffer.wrap(s.getInputStream().readNBytes(8)).getLong() == seq;
    } catch (Exception e) {
      return false;
    }
  }

  private static String longLived(Socket s) {
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
