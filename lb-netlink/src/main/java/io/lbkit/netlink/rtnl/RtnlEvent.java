package io.lbkit.netlink.rtnl;

/**
 * A change the kernel announced on an rtnetlink multicast group: a link appeared, changed
 * or went away, an address was added or removed, or events were lost.
 */
public sealed interface RtnlEvent {

  /**
   * RTM_NEWLINK (created or changed: up/down, carrier, MTU) or RTM_DELLINK.
   *
   * @param removed true for RTM_DELLINK
   * @param link the link's state after the change
   */
  record LinkEvent(boolean removed, Link link) implements RtnlEvent {}

  /**
   * RTM_NEWADDR or RTM_DELADDR (an address removed by hand, or with its interface).
   *
   * @param removed true for RTM_DELADDR
   * @param address the address
   */
  record AddressEvent(boolean removed, Address address) implements RtnlEvent {}

  /**
   * The kernel dropped events because the receiver fell behind (ENOBUFS): the listener must
   * re-read the state it tracks.
   */
  record Overrun() implements RtnlEvent {}
}
