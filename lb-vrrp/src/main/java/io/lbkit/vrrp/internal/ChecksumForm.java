package io.lbkit.vrrp.internal;

/** Which Internet checksum a VRRP packet carries. */
public enum ChecksumForm {
  /** Over the VRRP message only: VRRPv2, and keepalived's old_unicast_checksum for v3 IPv4. */
  PLAIN,
  /** Over an IPv4/IPv6 pseudo-header plus the message: RFC 5798 5.2.8, keepalived's default for v3. */
  PSEUDO_HEADER
}
