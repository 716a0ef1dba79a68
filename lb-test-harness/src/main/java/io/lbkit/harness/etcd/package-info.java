/**
 * A real etcd for the fleet tests. Entry: {@link io.lbkit.harness.etcd.EtcdProcess} (Debian's
 * {@code etcd} on 127.0.0.1 with free ports and a temporary data directory, started, stopped,
 * restarted and deleted by the test; never stopped by name) and
 * {@link io.lbkit.harness.etcd.TcpCutter} (a 127.0.0.1 TCP relay a test cuts to partition one
 * client from etcd while others still reach it).
 */
package io.lbkit.harness.etcd;
