/**
 * INTERNAL, not an API: lb-netlink's native layer and netlink codec. Public only because the
 * sibling packages {@code io.lbkit.netlink.rtnl} and {@code io.lbkit.netlink.raw} build on it;
 * it may change without notice. Entries: {@link io.lbkit.netlink.internal.LibC} (the one JNA
 * binding), {@link io.lbkit.netlink.internal.Syscalls} (EINTR retried, errno translated),
 * {@link io.lbkit.netlink.internal.NetlinkSocket} (requests, dumps, batches, events),
 * {@link io.lbkit.netlink.internal.NlWriter} / {@link io.lbkit.netlink.internal.NlAttrs}
 * (framing and attributes as pure ByteBuffer code) and {@link io.lbkit.netlink.internal.Netns}.
 */
package io.lbkit.netlink.internal;
