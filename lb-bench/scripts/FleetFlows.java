import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * fleet-measure.sh's flow generator (run with {@code java FleetFlows.java VIP PORT N FIRST_SRC_PORT}
 * inside the client namespace): N new TCP flows to VIP:PORT from source ports FIRST_SRC_PORT..+N-1,
 * one SYN each (non-blocking connects, all closed after 300 ms, before any SYN retransmission).
 */
public class FleetFlows {
  public static void main(String[] a) throws Exception {
    InetSocketAddress vip = new InetSocketAddress(a[0], Integer.parseInt(a[1]));
    int n = Integer.parseInt(a[2]);
    int first = Integer.parseInt(a[3]);
    List<SocketChannel> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open();
      c.configureBlocking(false);
      c.bind(new InetSocketAddress(first + i));
      c.connect(vip);
      open.add(c);
    }
    Thread.sleep(300);
    for (SocketChannel c : open) {
      c.close();
    }
    System.out.println("FLOWS sent=" + n);
  }
}
