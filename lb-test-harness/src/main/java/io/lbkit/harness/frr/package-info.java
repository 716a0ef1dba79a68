/**
 * A real FRR for the fleet tests. Entry: {@link io.lbkit.harness.frr.FrrProcess} (Debian's
 * {@code frr} daemons in a namespace the test created, with their own config, vty, zserv and
 * pid files in a directory of the test; stopped through the processes it started, never by
 * name).
 */
package io.lbkit.harness.frr;
