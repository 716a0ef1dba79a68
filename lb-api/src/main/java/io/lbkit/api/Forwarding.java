package io.lbkit.api;

import java.util.List;

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

  /**
   * A forwarding method (IP_VS_CONN_F_FWD_MASK), as an open enum like {@link Scheduler}:
   * the named constants are every method Linux defines, and {@link #ofCode} keeps a code
   * the kernel reports that lbkit does not know (a newer kernel's) instead of failing.
   * Compare with {@code ==} or {@code equals}; it is not a Java enum, so {@code switch}
   * on it with {@code if} chains.
   */
  public static final class Method {
    /** NAT / masquerading ({@code -m}, keepalived {@code NAT}). */
    public static final Method MASQ = new Method(0, "MASQ", "Masq");
    /** Local node. */
    public static final Method LOCAL = new Method(1, "LOCAL", "Local");
    /** IP tunnelling ({@code -i}, keepalived {@code TUN}). */
    public static final Method TUNNEL = new Method(2, "TUNNEL", "Tunnel");
    /** Direct routing / gatewaying ({@code -g}, keepalived {@code DR}). */
    public static final Method DROUTE = new Method(3, "DROUTE", "Route");
    /** Bypass (used by the kernel for non-virtual traffic). */
    public static final Method BYPASS = new Method(4, "BYPASS", "Bypass");

    private static final Method[] KNOWN = {MASQ, LOCAL, TUNNEL, DROUTE, BYPASS};

    private final int code;
    private final String name;
    private final String ipvsadmName;

    private Method(int code, String name, String ipvsadmName) {
      this.code = code;
      this.name = name;
      this.ipvsadmName = ipvsadmName;
    }

    /** The IP_VS_CONN_F_* value. */
    public int code() {
      return code;
    }

    /** The constant's name ({@code DROUTE}), or {@code METHOD_5} for a code lbkit does not know. */
    public String name() {
      return name;
    }

    /** The word ipvsadm -L prints in its Forward column ({@code Unknown} for a code lbkit does not know). */
    public String ipvsadmName() {
      return ipvsadmName;
    }

    /** True if this is one of the named constants. */
    public boolean isKnown() {
      return code < KNOWN.length;
    }

    /** The named methods, in code order. */
    public static List<Method> known() {
      return List.of(KNOWN);
    }

    /** The named methods, in code order (as a Java enum's {@code values()}). */
    public static Method[] values() {
      return KNOWN.clone();
    }

    /**
     * The method of a kernel value: a named constant, or an unknown method keeping the
     * code.
     *
     * @throws IllegalArgumentException for values outside IP_VS_CONN_F_FWD_MASK (0-7)
     */
    public static Method ofCode(int code) {
      if (code < 0 || code > 7) {
        throw new IllegalArgumentException("forwarding method out of range 0-7: " + code);
      }
      return code < KNOWN.length ? KNOWN[code] : new Method(code, "METHOD_" + code, "Unknown");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Method m && m.code == code;
    }

    @Override
    public int hashCode() {
      return code;
    }

    /** The name, e.g. {@code DROUTE}. */
    @Override
    public String toString() {
      return name;
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
