/**
 * What users' unit tests need, with no root and no kernel: fakes of lbkit's ports with the
 * kernel's semantics and errnos ({@link io.lbkit.testing.FakeIpvs},
 * {@link io.lbkit.testing.FakeNftables} for the nftables dataplane,
 * {@link io.lbkit.testing.FakeAddressManager}, {@link io.lbkit.testing.FakeRouteManager},
 * {@link io.lbkit.testing.FakeSysctl},
 * {@link io.lbkit.testing.FakeFailover}, {@link io.lbkit.testing.ScriptedHealthChecking}),
 * an injected clock ({@link io.lbkit.testing.ManualClock}), and the abstract contract tests
 * that each fake and each real adapter pass ({@link io.lbkit.testing.IpvsContract},
 * {@link io.lbkit.testing.NftablesContract},
 * {@link io.lbkit.testing.AddressManagerContract}, {@link io.lbkit.testing.RouteManagerContract},
 * {@link io.lbkit.testing.SysctlContract}, {@link io.lbkit.testing.FailoverContract}).
 *
 * <p>The contract tests are JUnit 5 classes; this artifact declares JUnit's API as
 * {@code provided}, so it brings no test framework to a consumer's classpath: a project
 * that subclasses a contract uses its own JUnit 5.
 */
package io.lbkit.testing;
