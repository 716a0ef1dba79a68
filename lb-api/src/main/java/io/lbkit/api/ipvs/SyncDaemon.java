package io.lbkit.api.ipvs;

import java.net.InetAddress;
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
}
