package io.lbkit.examples.demo;

import io.lbkit.api.TimerService;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpTransport;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the demo's two directors live: the link between them (their VRRP transport)
 * and the interface their VIP goes on (their address manager). {@link #close()}
 * releases everything, whatever state the demo is in.
 */
interface DemoDirectors extends AutoCloseable {
  /** The interface the VIP goes on. */
  String IFACE = "eth0";

  /** One line saying where the directors are. */
  String describe();

  /** Director {@code i}'s (0 or 1) VRRP transport. */
  VrrpTransport transport(int i) throws IOException;

  /** Director {@code i}'s address port. */
  AddressManager addresses(int i) throws IOException;

  /** Director {@code i}'s own address. */
  String address(int i);

  /** The heading of director {@code i}'s addresses: the command a shell user would type, or what they are. */
  String showCommand(int i);

  /** What director {@code i}'s interface holds, one {@code inet ADDRESS/LEN} a line. */
  List<String> show(int i);

  /** The IPVS the Director programs: the fake, or the kernel's in director-1's namespace. */
  Ipvs ipvs() throws IOException;

  /** Which IPVS {@link #ipvs()} is, for the timeline. */
  String ipvsDescription();

  /** What {@link #close()} removed, for the timeline's last line. */
  String cleanedUp();

  @Override
  void close();

  /** Two in-process directors: an in-memory link, fake interfaces. */
  static DemoDirectors inProcess(TimerService timers) {
    InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(timers, Duration.ZERO);
    FakeAddressManager[] fakes = {new FakeAddressManager(IFACE), new FakeAddressManager(IFACE)};
    return new DemoDirectors() {
      @Override
      public String describe() {
        return "two VrrpRouters on an in-memory link (InMemoryVrrpNetwork), each with a fake eth0";
      }

      @Override
      public VrrpTransport transport(int i) {
        return net.host(Inet.parse(address(i)));
      }

      @Override
      public AddressManager addresses(int i) {
        return fakes[i];
      }

      @Override
      public String address(int i) {
        return "192.168.0." + (i + 1);
      }

      @Override
      public String showCommand(int i) {
        return "eth0 (a FakeAddressManager, plus the director's own address):";
      }

      @Override
      public List<String> show(int i) {
        try {
          List<String> l = new ArrayList<>();
          l.add("inet " + address(i) + "/24");
          fakes[i].addresses(IFACE).forEach(a -> l.add("inet " + a));
          return l;
        } catch (IOException e) {
          return List.of(e.getMessage());
        }
      }

      @Override
      public Ipvs ipvs() {
        return new FakeIpvs();
      }

      @Override
      public String ipvsDescription() {
        return "FakeIpvs, lbkit's in-memory kernel";
      }

      @Override
      public String cleanedUp() {
        return "routers stopped, VIPs removed from the fake interfaces";
      }

      @Override
      public void close() {
        // nothing outside this JVM: the routers (closed by the demo) removed the VIPs
      }
    };
  }

  /**
   * Two directors in network namespaces this creates ({@link DemoNamespaces}), VRRP on
   * raw sockets, VIPs by netlink; needs root. With {@code kernelIpvs} the Director
   * programs the kernel's IPVS in director-1's namespace (needs ip_vs), else the fake.
   */
  static DemoDirectors netns(boolean kernelIpvs) {
    DemoNamespaces lan = DemoNamespaces.create();
    List<Closeable> opened = new ArrayList<>();
    return new DemoDirectors() {
      @Override
      public String describe() {
        return "two network namespaces joined by a veth pair: " + lan.name(0) + " (eth0 " + address(0) + "/24), "
            + lan.name(1) + " (eth0 " + address(1) + "/24)";
      }

      @Override
      public VrrpTransport transport(int i) {
        return RawVrrpTransport.open(lan.name(i));
      }

      @Override
      public synchronized AddressManager addresses(int i) throws IOException {
        NetlinkAddressManager m = NetlinkAddressManager.open(lan.name(i));
        opened.add(m);
        return m;
      }

      @Override
      public String address(int i) {
        return lan.address(i);
      }

      @Override
      public String showCommand(int i) {
        return "$ ip -n " + lan.name(i) + " -o addr show dev " + IFACE;
      }

      @Override
      public List<String> show(int i) {
        List<String> l = new ArrayList<>();
        for (String line : lan.addressLines(i)) {
          String[] w = line.trim().split("\\s+");
          for (int k = 0; k + 1 < w.length; k++) {
            if (w[k].equals("inet")) {
              l.add(w[k] + " " + w[k + 1]);
            }
          }
        }
        return l;
      }

      @Override
      public synchronized Ipvs ipvs() throws IOException {
        if (!kernelIpvs) {
          return new FakeIpvs();
        }
        NetlinkIpvs ipvs = NetlinkIpvs.open(lan.name(0));
        opened.add(ipvs);
        return ipvs;
      }

      @Override
      public String ipvsDescription() {
        return kernelIpvs ? "the kernel's IPVS in " + lan.name(0) + ", over generic netlink"
            : "FakeIpvs: this kernel has no IPVS";
      }

      @Override
      public String cleanedUp() {
        return "namespaces " + String.join(" ", lan.names()) + " deleted";
      }

      @Override
      public synchronized void close() {
        for (Closeable m : opened) {
          try {
            m.close();
          } catch (IOException e) {
            System.err.println("lbctl demo: closing netlink socket: " + e.getMessage());
          }
        }
        opened.clear();
        lan.close();
      }
    };
  }
}
