/**
 * The port to the kernel's IPVS table: {@link io.lbkit.api.ipvs.Ipvs} (implemented by
 * lb-netlink's {@code NetlinkIpvs}, faked by lb-testing's {@code FakeIpvs}), the rows it reads
 * and writes ({@link io.lbkit.api.ipvs.IpvsService}, {@link io.lbkit.api.ipvs.IpvsDest},
 * {@link io.lbkit.api.ipvs.ServiceSnapshot}, {@link io.lbkit.api.ipvs.IpvsStats},
 * {@link io.lbkit.api.ipvs.IpvsInfo}, {@link io.lbkit.api.ipvs.IpvsTimeouts},
 * {@link io.lbkit.api.ipvs.SyncDaemon}), the changes the Director issues
 * ({@link io.lbkit.api.ipvs.IpvsOp}, reported in a {@link io.lbkit.api.ipvs.Reconciliation})
 * and their {@code ipvsadm -R} syntax ({@link io.lbkit.api.ipvs.IpvsRules}).
 */
package io.lbkit.api.ipvs;
