import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * fleet-faults.sh's flow generator for a hash of the client address (run with
 * {@code java FleetSources.java VIP PORT N FIRST_SRC_ADDR} inside the client namespace, which holds
 * the N addresses FIRST_SRC_ADDR..+N-1): one SYN to VIP:PORT from each address (non-blocking
 * connects, all closed after 300 ms, before any SYN retransmission).
 */
public class FleetSources {
  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    int n = Integer.parseInt(a[2]);
    byte[] b = InetAddress.getByName(a[3]).getAddress();
    int first = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    List<SocketChannel> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int x = first + i;
      InetAddress src = InetAddress.getByAddress(new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
      SocketChannel c = SocketChannel.open();
      c.configureBlocking(false);
      c.bind(new InetSocketAddress(src, 0));
      c.connect(vip);
      open.add(c);
    }
    Thread.sleep(300);
    for (SocketChannel c : open) {
      c.close();
    }
    System.out.println("SOURCES sent=" + n);
  }
}
