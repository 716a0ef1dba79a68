/**
 * A real GoBGP for the fleet tests. Entry: {@link io.lbkit.harness.gobgp.GobgpProcess} (Debian's
 * {@code gobgpd} in a namespace the test created, with its own configuration, gRPC port and log in
 * a directory of the test; stopped through the process it started, never by name).
 */
package io.lbkit.harness.gobgp;
