/**
 * VRRP v2/v3 (RFC 3768, RFC 5798): packet codec, a pure state machine on an injected
 * clock, and transports (raw sockets from lb-netlink, or an in-memory network for tests).
 */
package io.lbkit.vrrp;
