package io.lbkit.vrrp.internal;

import io.lbkit.api.Family;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * One VRRP advertisement, decoded. {@code advertCentis} is the interval in
 * centiseconds in both versions (VRRPv2 carries whole seconds: {@code seconds * 100}).
 *
 * @param version 2 or 3
 * @param vrid virtual router id 1-255
 * @param priority 0 (master stopping) .. 255 (owner)
 * @param advertCentis advertisement interval, centiseconds
 * @param addresses the virtual addresses, all of one family
 * @param authType v2 authentication type (0 none, 1 simple text); 0 for v3
 * @param authData v2 authentication data (8 bytes), empty for v3
 */
public record VrrpPacket(int version, int vrid, int priority, int advertCentis, List<InetAddress> addresses,
    int authType, byte[] authData) {

  /** v2 "no authentication". */
  public static final int AUTH_NONE = 0;
  /** v2 simple text password (keepalived's auth_type PASS). */
  public static final int AUTH_PASS = 1;
  /** v2 IP Authentication Header (refused). */
  public static final int AUTH_AH = 2;

  /** Validates the fields an encoder relies on. */
  public VrrpPacket {
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("VRRP version must be 2 or 3: " + version);
    }
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("VRID out of range 1-255: " + vrid);
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority out of range 0-255: " + priority);
    }
    int max = version == 2 ? 255 * 100 : 4095;
    if (advertCentis < 1 || advertCentis > max || (version == 2 && advertCentis % 100 != 0)) {
      throw new IllegalArgumentException("advert interval out of range for VRRPv" + version + ": "
          + advertCentis + " cs");
    }
    addresses = List.copyOf(addresses);
    if (addresses.size() > 255) {
      throw new IllegalArgumentException("at most 255 addresses per advert: " + addresses.size());
    }
    if (!addresses.isEmpty()) {
      Family f = Family.of(addresses.get(0));
      for (InetAddress a : addresses) {
        if (Family.of(a) != f) {
          throw new IllegalArgumentException("addresses of one advert must share a family: " + addresses);
        }
      }
    }
    authData = authData == null ? new byte[0] : authData.clone();
    if (version == 2 && authData.length != 8) {
      throw new IllegalArgumentException("VRRPv2 authentication data is 8 bytes: " + authData.length);
    }
  }

  /** The 8-byte v2 authentication data for keepalived's auth_pass: truncated or zero-padded. */
  public static byte[] passwordData(String password) {
    byte[] out = new byte[8];
    if (password != null) {
      byte[] p = password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      System.arraycopy(p, 0, out, 0, Math.min(8, p.length));
    }
    return out;
  }

  @Override
  public byte[] authData() {
    return authData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VrrpPacket p && p.version == version && p.vrid == vrid && p.priority == priority
        && p.advertCentis == advertCentis && p.addresses.equals(addresses) && p.authType == authType
        && Arrays.equals(p.authData, authData);
  }

  @Override
  public int hashCode() {
    return ((version * 31 + vrid) * 31 + priority) * 31 + addresses.hashCode();
  }

  @Override
  public String toString() {
    return "VRRPv" + version + " vrid " + vrid + " prio " + priority + " int " + advertCentis + "cs " + addresses;
  }
}
