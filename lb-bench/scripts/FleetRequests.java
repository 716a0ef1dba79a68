import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fleet-faults.sh's and fleet-kill.sh's request loop (run with {@code java FleetRequests.java VIP PORT SECONDS
 * INTERVAL_MS [DEADLINE_MS]} inside the client namespace): for SECONDS, one HTTP/1.0 GET every INTERVAL_MS on a
 * new connection (connect and read deadlines DEADLINE_MS each, default 1000), each started on schedule whether or not the earlier ones have finished
 * (a loop that waited for each would start no request while one hangs for its deadline, and so hide a
 * failure window); prints {@code REQ start_epoch_ms ok} or {@code REQ start_epoch_ms fail reason} per request
 * as it finishes (not in start order), then a summary line.
 */
public class FleetRequests {
  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    long end = System.currentTimeMillis() + Long.parseLong(a[2]) * 1000;
    long interval = Long.parseLong(a[3]);
    int deadline = a.length > 4 ? Integer.parseInt(a[4]) : 1000;
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    // at most 2 deadlines a request (connect + read): this many are ever in flight at once
    int inFlight = (int) Math.min(1000, 2L * deadline / Math.max(1, interval) + 8);
    ExecutorService pool = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    for (long next = System.currentTimeMillis(); next < end; next += interval) {
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      long t = System.currentTimeMillis();
      pool.execute(() -> {
        String result = request(vip, deadline);
        (result.equals("ok") ? ok : failed).incrementAndGet();
        synchronized (System.out) {
          System.out.println("REQ " + t + " " + result);
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(2L * deadline + 10_000, TimeUnit.MILLISECONDS); // every request ends by its deadlines
    synchronized (System.out) {
      System.out.println("REQUESTS ok=" + ok + " failed=" + failed);
    }
  }

  static String request(InetSocketAddress vip, int deadline) {
    try (Socket s = new Socket()) {
      s.connect(vip, deadline);
      s.setSoTimeout(deadline);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(7);
      while (in.read() >= 0) {
        // the whole response, up to the server's close
      }
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.") ? "ok" : "fail bad-response";
    } catch (Exception e) {
      return "fail " + e.getClass().getSimpleName() + ":" + String.valueOf(e.getMessage()).replace(' ', '_');
    }
  }
}
