package io.lbkit.api.vrrp;

/** States of a VRRP instance (RFC 5798 plus keepalived's FAULT and STOP). */
public enum VrrpState {
  /** Not started. */
  INIT,
  /** Listening for the master's adverts. */
  BACKUP,
  /** Holding the virtual addresses and sending adverts. */
  MASTER,
  /** A tracked object failed: neither master nor candidate. */
  FAULT,
  /** Stopped (after sending priority 0 if it was master). */
  STOP
}
