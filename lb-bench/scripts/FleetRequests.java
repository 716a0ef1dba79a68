import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * fleet-faults.sh's request loop (run with {@code java FleetRequests.java VIP PORT SECONDS INTERVAL_MS}
 * inside the client namespace): for SECONDS, one HTTP/1.0 GET every INTERVAL_MS on a new connection
 * (connect and read deadlines 1 s each); prints {@code REQ epoch_ms ok} or {@code REQ epoch_ms fail reason}
 * per request, then a summary line.
 */
public class FleetRequests {
  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    long end = System.currentTimeMillis() + Long.parseLong(a[2]) * 1000;
    long interval = Long.parseLong(a[3]);
    int ok = 0;
    int failed = 0;
    for (long next = System.currentTimeMillis(); next < end; next += interval) {
      long wait = next - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      long t = System.currentTimeMillis();
      String result;
      try (Socket s = new Socket()) {
        s.connect(vip, 1000);
        s.setSoTimeout(1000);
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(7);
        while (in.read() >= 0) {
          // the whole response, up to the server's close
        }
        result = new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.") ? "ok" : "fail bad-response";
      } catch (Exception e) {
        result = "fail " + e.getClass().getSimpleName() + ":" + String.valueOf(e.getMessage()).replace(' ', '_');
      }
      if (result.equals("ok")) {
        ok++;
      } else {
        failed++;
      }
      System.out.println("REQ " + t + " " + result);
    }
    System.out.println("REQUESTS ok=" + ok + " failed=" + failed);
  }
}
