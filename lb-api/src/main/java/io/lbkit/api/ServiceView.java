package io.lbkit.api;

import java.util.List;

/**
 * The Director's view of one virtual service: quorum state and each real server's
 * health and weight in the kernel.
 *
 * @param key the service
 * @param quorumUp whether the live weight meets the quorum
 * @param liveWeight total weight of the real servers that are up
 * @param sorryServerActive whether the sorry server is serving
 * @param reals the real servers, in configuration order
 */
public record ServiceView(ServiceKey key, boolean quorumUp, int liveWeight, boolean sorryServerActive,
    List<RealView> reals) {

  /** Copies. */
  public ServiceView {
    reals = List.copyOf(reals);
  }

  /**
   * One real server.
   *
   * @param key the server
   * @param up its health
   * @param weight its weight in the kernel table, or -1 if it is not in the table
   * @param reason the last health reason
   */
  public record RealView(RealServerKey key, boolean up, int weight, String reason) {}
}
