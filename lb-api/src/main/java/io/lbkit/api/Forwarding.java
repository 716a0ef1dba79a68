package io.lbkit.api;

/**
 * How IPVS forwards packets to a real server (IP_VS_CONN_F_FWD_MASK), with the
 * tunnel parameters for {@link Method#TUNNEL}.
 *
 * <pre>{@code
 * Forwarding.DR; Forwarding.NAT; Forwarding.TUN;
 * Forwarding.gue(6080).withCsum(Forwarding.TunnelCsum.CSUM)
 * }</pre>
 *
 * @param method the forwarding method
 * @param tunnelType tunnel encapsulation; {@link TunnelType#IPIP} unless method is TUNNEL
 * @param tunnelPort destination port for GUE, 0 otherwise
 * @param csum tunnel checksum mode (GUE and GRE)
 */
public record Forwarding(Method method, TunnelType tunnelType, int tunnelPort, TunnelCsum csum) {

  /** Forwarding methods, with the kernel's IP_VS_CONN_F_* values. */
  public enum Method {
    /** NAT / masquerading ({@code -m}, keepalived {@code NAT}). */
    MASQ(0, "Masq"),
    /** Local node. */
    LOCAL(1, "Local"),
    /** IP tunnelling ({@code -i}, keepalived {@code TUN}). */
    TUNNEL(2, "Tunnel"),
    /** Direct routing / gatewaying ({@code -g}, keepalived {@code DR}). */
    DROUTE(3, "Route"),
    /** Bypass (used by the kernel for non-virtual traffic). */
    BYPASS(4, "Bypass");

    private final int code;
    private final String ipvsadmName;

    Method(int code, String ipvsadmName) {
      this.code = code;
      this.ipvsadmName = ipvsadmName;
    }

    /** The IP_VS_CONN_F_* value. */
    public int code() {
      return code;
    }

    /** The word ipvsadm -L prints in its Forward column. */
    public String ipvsadmName() {
      return ipvsadmName;
    }

    /**
     * The method of a kernel value.
     *
     * @throws IllegalArgumentException for values above 4
     */
    public static Method ofCode(int code) {
      for (Method m : values()) {
        if (m.code == code) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown forwarding method: " + code);
    }
  }

  /** Tunnel encapsulation (IP_VS_CONN_F_TUNNEL_TYPE_*). */
  public enum TunnelType {
    /** IP in IP, the classic LVS-TUN. */
    IPIP(0),
    /** Generic UDP encapsulation, needs a port. */
    GUE(1),
    /** GRE. */
    GRE(2);

    private final int code;

    TunnelType(int code) {
      this.code = code;
    }

    /** The kernel value. */
    public int code() {
      return code;
    }

    /** The type of a kernel value. @throws IllegalArgumentException if unknown */
    public static TunnelType ofCode(int code) {
      for (TunnelType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown tunnel type: " + code);
    }
  }

  /** Tunnel checksum flags (IP_VS_TUNNEL_ENCAP_FLAG_*). */
  public enum TunnelCsum {
    /** No checksum (the default). */
    NOCSUM(0),
    /** Checksum. */
    CSUM(1),
    /** Remote checksum offload. */
    REMCSUM(2);

    private final int code;

    TunnelCsum(int code) {
      this.code = code;
    }

    /** The kernel value. */
    public int code() {
      return code;
    }

    /** The mode of a kernel flags value. */
    public static TunnelCsum ofCode(int flags) {
      if ((flags & 2) != 0) {
        return REMCSUM;
      }
      return (flags & 1) != 0 ? CSUM : NOCSUM;
    }
  }

  /** Direct routing (LVS-DR). */
  public static final Forwarding DR = new Forwarding(Method.DROUTE, TunnelType.IPIP, 0, TunnelCsum.NOCSUM);
  /** NAT (masquerading). */
  public static final Forwarding NAT = new Forwarding(Method.MASQ, TunnelType.IPIP, 0, TunnelCsum.NOCSUM);
  /** IP-in-IP tunnelling (LVS-TUN). */
  public static final Forwarding TUN = new Forwarding(Method.TUNNEL, TunnelType.IPIP, 0, TunnelCsum.NOCSUM);
  /** Local node. */
  public static final Forwarding LOCAL = new Forwarding(Method.LOCAL, TunnelType.IPIP, 0, TunnelCsum.NOCSUM);

  /** Validates the combination. */
  public Forwarding {
    if (method == null || tunnelType == null || csum == null) {
      throw new NullPointerException("forwarding method, tunnel type and csum are required");
    }
    if (tunnelPort < 0 || tunnelPort > 65535) {
      throw new IllegalArgumentException("tunnel port out of range 0-65535: " + tunnelPort);
    }
    if (method != Method.TUNNEL && (tunnelType != TunnelType.IPIP || tunnelPort != 0 || csum != TunnelCsum.NOCSUM)) {
      throw new IllegalArgumentException("tunnel parameters need the TUNNEL method, not " + method);
    }
    if (tunnelType == TunnelType.GUE && tunnelPort == 0) {
      throw new IllegalArgumentException("a GUE tunnel needs a tunnel port (1-65535)");
    }
    if (tunnelType != TunnelType.GUE && tunnelPort != 0) {
      throw new IllegalArgumentException("only a GUE tunnel takes a port, not " + tunnelType);
    }
  }

  /** GUE tunnelling to this UDP port. */
  public static Forwarding gue(int port) {
    if (port <= 0) {
      throw new IllegalArgumentException("GUE tunnel port out of range 1-65535: " + port);
    }
    return new Forwarding(Method.TUNNEL, TunnelType.GUE, port, TunnelCsum.NOCSUM);
  }

  /** GRE tunnelling. */
  public static Forwarding gre() {
    return new Forwarding(Method.TUNNEL, TunnelType.GRE, 0, TunnelCsum.NOCSUM);
  }

  /** The same tunnel with another checksum mode. */
  public Forwarding withCsum(TunnelCsum c) {
    return new Forwarding(method, tunnelType, tunnelPort, c);
  }

  /** A forwarding of the kernel's fields as a dump returns them. */
  public static Forwarding ofKernel(int method, int tunType, int tunPort, int tunFlags) {
    Method m = Method.ofCode(method & 0x7);
    if (m != Method.TUNNEL) {
      return new Forwarding(m, TunnelType.IPIP, 0, TunnelCsum.NOCSUM);
    }
    TunnelType t = TunnelType.ofCode(tunType);
    return new Forwarding(m, t, t == TunnelType.GUE ? tunPort : 0, TunnelCsum.ofCode(tunFlags));
  }
}
