package io.lbkit.vrrp.internal;

/** Why a received VRRP packet was dropped; one counter each (keepalived's vrrp stats). */
public enum DropReason {
  /** IPv4 TTL or IPv6 hop limit not 255 (RFC 5798 5.1.1.3). */
  TTL,
  /** Version field not the instance's (2 or 3). */
  VERSION,
  /** Type field not 1 (ADVERTISEMENT). */
  TYPE,
  /** Packet shorter than its header, or shorter/longer than its address count says. */
  LENGTH,
  /** Internet checksum wrong (in every accepted form). */
  CHECKSUM,
  /** VRID not one this interface runs. */
  VRID,
  /** VRRPv2 advert interval differs from ours (RFC 3768 7.1: MUST drop). */
  INTERVAL,
  /** v2 authentication type or password differs from ours. */
  AUTH,
  /** v2 IP Authentication Header (type 2): not supported, as RFC 3768 removed it. */
  AUTH_AH_UNSUPPORTED,
  /** The address list differs from ours and the sender is not the owner (v2 drops, v3 only counts). */
  ADDRESS_LIST,
  /** Sent by ourselves (our own multicast looped back, or a duplicate primary address). */
  OWN_PACKET
}
