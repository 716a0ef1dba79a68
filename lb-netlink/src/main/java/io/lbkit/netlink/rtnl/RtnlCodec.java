package io.lbkit.netlink.rtnl;

import io.lbkit.api.Family;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlAttrs;
import io.lbkit.netlink.internal.NlWriter;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * rtnetlink link and address messages as pure {@link ByteBuffer} code: requests are
 * built into an {@link NlWriter} (sequence number and port id left 0 for the socket to
 * stamp), replies and events are decoded from one whole netlink message. Layouts are the
 * uapi structs {@code ifinfomsg} and {@code ifaddrmsg}, host byte order. Routes are in
 * {@link RouteCodec}.
 *
 * <p>Decoding never trusts a length: a message shorter than its fixed header, or an
 * attribute running past its message, is a {@link ProtocolException} naming what was
 * short; unknown attributes are skipped.
 */
public final class RtnlCodec {
  private RtnlCodec() {}

  /** RTM_GETLINK for one interface by name (the kernel answers ENODEV if there is none). */
  public static void getLink(NlWriter w, String name) {
    int m = w.beginMessage(Rtnl.RTM_GETLINK, Nl.NLM_F_REQUEST);
    ifinfomsg(w, 0, 0);
    w.putString(Rtnl.IFLA_IFNAME, checkIfName(name));
    w.endMessage(m);
  }

  /** RTM_GETLINK for one interface by index. */
  public static void getLink(NlWriter w, int index) {
    if (index <= 0) {
      throw new IllegalArgumentException("interface index must be positive: " + index);
    }
    int m = w.beginMessage(Rtnl.RTM_GETLINK, Nl.NLM_F_REQUEST);
    ifinfomsg(w, index, 0);
    w.endMessage(m);
  }

  /** RTM_GETLINK dump of every interface. */
  public static void dumpLinks(NlWriter w) {
    int m = w.beginMessage(Rtnl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
    ifinfomsg(w, 0, 0);
    w.endMessage(m);
  }

  /** RTM_NEWLINK changing only IFF_UP of interface {@code index} (ip link set up/down). */
  public static void setLinkUp(NlWriter w, int index, boolean up) {
    int m = w.beginMessage(Rtnl.RTM_NEWLINK, Nl.NLM_F_REQUEST);
    w.putRaw(ifinfo(index, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP));
    w.endMessage(m);
  }

  /**
   * RTM_NEWADDR with NLM_F_CREATE | NLM_F_EXCL (EEXIST if present), as {@code ip addr add}:
   * IFA_LOCAL and IFA_ADDRESS, IFA_FLAGS (NODAD for IPv6 VIPs), IPv4 IFA_LABEL and IFA_BROADCAST.
   */
  public static void newAddress(NlWriter w, int index, IfAddress a) {
    address(w, Rtnl.RTM_NEWADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, index, a);
  }

  /** RTM_DELADDR (EADDRNOTAVAIL if absent), matched by address, prefix and (IPv4) label. */
  public static void deleteAddress(NlWriter w, int index, IfAddress a) {
    address(w, Rtnl.RTM_DELADDR, Nl.NLM_F_REQUEST, index, a);
  }

  /** RTM_GETADDR dump of every address of {@code family} (null: both). */
  public static void dumpAddresses(NlWriter w, Family family) {
    int m = w.beginMessage(Rtnl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
    w.putRaw(new byte[] {(byte) (family == null ? 0 : family.number()), 0, 0, 0, 0, 0, 0, 0});
    w.endMessage(m);
  }

  private static void address(NlWriter w, int type, int flags, int index, IfAddress a) {
    if (index <= 0) {
      throw new IllegalArgumentException("interface index must be positive: " + index);
    }
    boolean v6 = a.family() == Family.INET6;
    int ifaFlags = v6 && a.noDad() ? Rtnl.IFA_F_NODAD : 0;
    int m = w.beginMessage(type, flags);
    ByteBuffer h = ByteBuffer.allocate(Rtnl.IFADDRMSG_LEN).order(ByteOrder.nativeOrder());
    h.put((byte) a.family().number()).put((byte) a.prefixLength()).put((byte) ifaFlags).put((byte) a.scope())
        .putInt(index);
    w.putRaw(h.array());
    byte[] bytes = a.address().getAddress();
    w.putBytes(Rtnl.IFA_LOCAL, bytes);
    w.putBytes(Rtnl.IFA_ADDRESS, bytes);
    if (type == Rtnl.RTM_NEWADDR) {
      w.putU32(Rtnl.IFA_FLAGS, ifaFlags);
    }
    if (!v6 && a.label() != null) {
      w.putString(Rtnl.IFA_LABEL, a.label());
    }
    if (!v6 && a.broadcast() != null && type == Rtnl.RTM_NEWADDR) {
      w.putBytes(Rtnl.IFA_BROADCAST, a.broadcast().getAddress());
    }
    w.endMessage(m);
  }

  /**
   * Decodes RTM_NEWLINK / RTM_DELLINK at {@code off} (the whole message, header included).
   *
   * @throws ProtocolException if it is not a link message, is truncated or malformed
   */
  public static Link decodeLink(ByteBuffer b, int off, int len) throws ProtocolException {
    int type = check(b, off, len, Rtnl.IFINFOMSG_LEN, "RTM_NEWLINK");
    if (type != Rtnl.RTM_NEWLINK && type != Rtnl.RTM_DELLINK) {
      throw new ProtocolException("not a link message: type " + type);
    }
    ByteBuffer n = b.duplicate().order(ByteOrder.nativeOrder());
    int h = off + Nl.NLMSG_HDRLEN;
    int index = n.getInt(h + 4);
    int flags = n.getInt(h + 8);
    NlAttrs a = NlAttrs.parse(n, h + Rtnl.IFINFOMSG_LEN, off + len, Rtnl.IFLA_MAX_KNOWN);
    String name = a.string(Rtnl.IFLA_IFNAME);
    if (name == null) {
      throw new ProtocolException("RTM_NEWLINK for index " + index + " has no IFLA_IFNAME");
    }
    if (index <= 0) {
      throw new ProtocolException("RTM_NEWLINK for " + name + " has index " + index);
    }
    String mac = a.has(Rtnl.IFLA_ADDRESS) ? mac(a.bytes(Rtnl.IFLA_ADDRESS, 0)) : null;
    return new Link(index, name, flags, a.has(Rtnl.IFLA_OPERSTATE) ? a.u8(Rtnl.IFLA_OPERSTATE) : 0,
        a.u32(Rtnl.IFLA_MTU, 0), mac, a.u32(Rtnl.IFLA_MASTER, 0));
  }

  /**
   * Decodes RTM_NEWADDR / RTM_DELADDR at {@code off}. The address is IFA_LOCAL when present
   * (IFA_ADDRESS is the peer on point-to-point links), else IFA_ADDRESS.
   *
   * @throws ProtocolException if it is not an address message, is truncated or malformed
   */
  public static Address decodeAddress(ByteBuffer b, int off, int len) throws ProtocolException {
    int type = check(b, off, len, Rtnl.IFADDRMSG_LEN, "RTM_NEWADDR");
    if (type != Rtnl.RTM_NEWADDR && type != Rtnl.RTM_DELADDR) {
      throw new ProtocolException("not an address message: type " + type);
    }
    ByteBuffer n = b.duplicate().order(ByteOrder.nativeOrder());
    int h = off + Nl.NLMSG_HDRLEN;
    int family = n.get(h) & 0xff;
    int prefix = n.get(h + 1) & 0xff;
    int scope = n.get(h + 3) & 0xff;
    int index = n.getInt(h + 4);
    Family f;
    try {
      f = Family.ofNumber(family);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("address message of family " + family + " (not AF_INET/AF_INET6)");
    }
    int size = f.bits() / 8;
    NlAttrs a = NlAttrs.parse(n, h + Rtnl.IFADDRMSG_LEN, off + len, Rtnl.IFA_MAX_KNOWN);
    int which = a.has(Rtnl.IFA_LOCAL) ? Rtnl.IFA_LOCAL : Rtnl.IFA_ADDRESS;
    InetAddress addr = inet(a, which, size, "IFA_LOCAL/IFA_ADDRESS");
    if (addr == null) {
      throw new ProtocolException("address message for index " + index + " has neither IFA_LOCAL nor IFA_ADDRESS");
    }
    if (prefix > f.bits()) {
      throw new ProtocolException("address " + Inet.format(addr) + " has prefix length " + prefix);
    }
    int flags = a.has(Rtnl.IFA_FLAGS) ? a.u32(Rtnl.IFA_FLAGS) : n.get(h + 2) & 0xff;
    String label = f == Family.INET ? a.string(Rtnl.IFA_LABEL) : null;
    if (label != null && (label.isEmpty() || label.length() > 15)) {
      label = null;
    }
    InetAddress brd = f == Family.INET ? inet(a, Rtnl.IFA_BROADCAST, size, "IFA_BROADCAST") : null;
    long preferred = -1;
    long valid = -1;
    if (a.has(Rtnl.IFA_CACHEINFO)) {
      int p = a.offset(Rtnl.IFA_CACHEINFO);
      if (a.length(Rtnl.IFA_CACHEINFO) < Rtnl.IFA_CACHEINFO_LEN) {
        throw new ProtocolException("IFA_CACHEINFO of " + a.length(Rtnl.IFA_CACHEINFO) + " bytes, need 16");
      }
      preferred = lifetime(n.getInt(p));
      valid = lifetime(n.getInt(p + 4));
    }
    IfAddress ifa = new IfAddress(addr, prefix, label, scope, brd, (flags & Rtnl.IFA_F_NODAD) != 0);
    return new Address(index, ifa, flags, preferred, valid);
  }

  /** The message type at {@code off}, after checking it holds a fixed header of {@code fixed} bytes. */
  static int check(ByteBuffer b, int off, int len, int fixed, String what) throws ProtocolException {
    if (len < Nl.NLMSG_HDRLEN + fixed || off + len > b.limit()) {
      throw new ProtocolException(what + " truncated: " + len + " bytes, need " + (Nl.NLMSG_HDRLEN + fixed));
    }
    int declared = b.duplicate().order(ByteOrder.nativeOrder()).getInt(off);
    if (declared != len) {
      throw new ProtocolException(what + " length field " + declared + " does not match " + len);
    }
    return b.duplicate().order(ByteOrder.nativeOrder()).getShort(off + 4) & 0xffff;
  }

  /** An address attribute of exactly {@code size} bytes, or null when absent. */
  static InetAddress inet(NlAttrs a, int type, int size, String what) throws ProtocolException {
    if (!a.has(type)) {
      return null;
    }
    if (a.length(type) != size) {
      throw new ProtocolException(what + " of " + a.length(type) + " bytes, need " + size);
    }
    return Inet.of(a.bytes(type, size));
  }

  private static long lifetime(int v) {
    return v == -1 ? -1 : v & 0xffffffffL;
  }

  private static void ifinfomsg(NlWriter w, int index, int flags) {
    w.putRaw(ifinfo(index, flags, 0));
  }

  private static byte[] ifinfo(int index, int flags, int change) {
    ByteBuffer h = ByteBuffer.allocate(Rtnl.IFINFOMSG_LEN).order(ByteOrder.nativeOrder());
    h.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
    return h.array();
  }

  static String checkIfName(String name) {
    if (name == null || name.isEmpty() || name.length() > 15 || name.contains("/") || name.chars().anyMatch(
        c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("not an interface name (1-15 printable characters): \"" + name + "\"");
    }
    return name;
  }

  private static String mac(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      if (s.length() > 0) {
        s.append(':');
      }
      s.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return s.toString();
  }
}
