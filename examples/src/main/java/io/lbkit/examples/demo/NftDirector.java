package io.lbkit.examples.demo;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.examples.ImportAndRun;
import io.lbkit.runtime.Dataplane;
import io.lbkit.runtime.LoadBalancerRuntime;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The nftables demo's director process, started by {@link NftablesDemo} inside the
 * director's namespace ({@code ip netns exec NS java ... NftDirector CONF}) so that its
 * VRRP, table and health checks all live there: {@link ImportAndRun} on the nftables
 * dataplane, printing what happens. It stops gracefully when its standard input ends
 * (the demo closed it, or died) or on SIGTERM/SIGINT, so it never outlives the demo.
 */
final class NftDirector {
  private NftDirector() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: NftDirector KEEPALIVED.CONF");
      System.exit(2);
    }
    LoadBalancerSpec spec = ImportAndRun.importFile(Path.of(args[0]), System.err);
    if (spec == null) {
      System.exit(1);
    }
    LoadBalancerRuntime lb;
    try {
      lb = ImportAndRun.run(spec, LoadBalancerRuntime.builder().dataplane(Dataplane.NFTABLES), System.out);
    } catch (IOException e) {
      System.out.println("cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Thread hook = new Thread(() -> stop(lb), "nft-director-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("running on the nftables dataplane; stops when its standard input ends");
    System.out.flush();
    while (System.in.read() >= 0) {
      // the demo writes nothing: this waits for end of input
    }
    stop(lb);
    System.exit(0);
  }

  private static synchronized void stop(LoadBalancerRuntime lb) {
    try {
      lb.close();
    } catch (IOException e) {
      System.err.println("stopping: " + e.getMessage());
    }
  }
}
