package io.lbkit.api.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPVS connection synchronisation daemon: how several directors share
 * connection state (keepalived's lvs_sync_daemon, ipvsadm --start-daemon).
 *
 * @param role master (sends) or backup (receives)
 * @param interfaceName multicast interface
 * @param syncId sync id 0-255
 * @param maxPacketLength largest sync packet, 0 = kernel default
 * @param group multicast group, null = kernel default (224.0.0.81)
 * @param port UDP port, 0 = kernel default (8848)
 * @param ttl multicast TTL, 0 = kernel default (1)
 */
public record SyncDaemon(Role role, String interfaceName, int syncId, int maxPacketLength, InetAddress group,
    int port, int ttl) {

  /** Which side of the sync. */
  public enum Role {
    /** Sends connection updates (IP_VS_STATE_MASTER = 1). */
    MASTER(1),
    /** Receives them (IP_VS_STATE_BACKUP = 2). */
    BACKUP(2);

    private final int state;

    Role(int state) {
      this.state = state;
    }

    /** The kernel's IP_VS_STATE_* value. */
    public int state() {
      return state;
    }

    /** The role of a kernel value. */
    public static Role ofState(int state) {
      return state == 2 ? BACKUP : MASTER;
    }
  }

  /** Validates. */
  public SyncDaemon {
    Objects.requireNonNull(role, "role");
    if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() > 15) {
      throw new IllegalArgumentException("invalid sync daemon interface: \"" + interfaceName + "\"");
    }
    if (syncId < 0 || syncId > 255) {
      throw new IllegalArgumentException("sync id out of range 0-255: " + syncId);
    }
    if (port < 0 || port > 65535 || ttl < 0 || ttl > 255 || maxPacketLength < 0) {
      throw new IllegalArgumentException("invalid sync daemon port/ttl/length: " + port + "/" + ttl + "/"
          + maxPacketLength);
    }
  }

  /** A daemon with the kernel's defaults for group, port, TTL and packet length. */
  public static SyncDaemon of(Role role, String interfaceName, int syncId) {
    return new SyncDaemon(role, interfaceName, syncId, 0, null, 0, 0);
  }

  /**
   * This daemon as the kernel lists it once started on a link of this MTU (Linux
   * net/netfilter/ipvs/ip_vs_sync.c, start_sync_thread): no group is 224.0.0.81, no port
   * 8848, no TTL 1; a packet length given is clamped to 1-65535 less the IP and UDP headers
   * (28 bytes with an IPv4 group, 48 with IPv6), a backup's to at least 1024; none is
   * 1500 less the headers for a master (1472 with IPv4) and, for a backup, the link's MTU
   * within 1500-65535 less the headers (1472 on Ethernet, 65507 on the loopback's 65536).
   *
   * <pre>{@code
   * SyncDaemon.of(Role.MASTER, "eth1", 7).withKernelDefaults(1500)
   *     // = new SyncDaemon(MASTER, "eth1", 7, 1472, 224.0.0.81, 8848, 1)
   * }</pre>
   *
   * @param linkMtu the MTU of {@link #interfaceName()} (only a backup without a packet length uses it)
   * @return the daemon with every default filled in
   */
  public SyncDaemon withKernelDefaults(int linkMtu) {
    InetAddress g = group != null ? group : DEFAULT_GROUP;
    int headers = g instanceof Inet6Address ? 48 : 28; // IPv6 or IPv4 header + UDP header
    int len;
    if (maxPacketLength != 0) {
      len = Math.max(role == Role.BACKUP ? 1024 : 1, Math.min(maxPacketLength, 65535 - headers));
    } else {
      len = (role == Role.BACKUP ? Math.max(1500, Math.min(linkMtu, 65535)) : 1500) - headers;
    }
    return new SyncDaemon(role, interfaceName, syncId, len, g, port != 0 ? port : 8848, ttl != 0 ? ttl : 1);
  }

  /** IP_VS_SYNC_GROUP, 224.0.0.81. */
  private static final InetAddress DEFAULT_GROUP;

  static {
    try {
      DEFAULT_GROUP = InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, 81});
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
