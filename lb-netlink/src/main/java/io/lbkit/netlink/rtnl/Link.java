package io.lbkit.netlink.rtnl;

import java.util.Objects;

/**
 * A network interface as RTM_NEWLINK describes it.
 *
 * @param index the ifindex (positive)
 * @param name its name ({@code eth0})
 * @param flags IFF_* bits ({@link Rtnl#IFF_UP}, {@link Rtnl#IFF_RUNNING}, ...)
 * @param operState IF_OPER_* (6 up, 2 down; 0 unknown)
 * @param mtu the MTU, or 0 if the kernel did not say
 * @param mac the link-layer address as {@code aa:bb:cc:dd:ee:ff}, or null
 * @param master the ifindex of its bridge or bond, or 0
 */
public record Link(int index, String name, int flags, int operState, int mtu, String mac, int master) {

  /** Validates. */
  public Link {
    Objects.requireNonNull(name, "name");
    if (index <= 0) {
      throw new IllegalArgumentException("interface index must be positive: " + index + " (" + name + ")");
    }
  }

  /** Administratively up (IFF_UP). */
  public boolean isUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }

  /** Up and carrying traffic (IFF_UP and IFF_RUNNING), which is what tracking an interface means. */
  public boolean isRunning() {
    return isUp() && (flags & Rtnl.IFF_RUNNING) != 0;
  }

  /** {@code 3: eth0 <UP,RUNNING> mtu 1500 aa:bb:cc:dd:ee:ff}. */
  @Override
  public String toString() {
    return index + ": " + name + " <" + (isUp() ? "UP" : "DOWN") + (isRunning() ? ",RUNNING" : "") + "> mtu " + mtu
        + (mac != null ? " " + mac : "");
  }
}
