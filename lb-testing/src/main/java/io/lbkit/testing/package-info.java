/**
 * Fakes of every lbkit port for users' unit tests ({@code FakeIpvs},
 * {@code FakeAddressManager}, {@code ManualClock}) and abstract contract tests
 * ({@code IpvsContract}) that fakes and real adapters both pass.
 */
package io.lbkit.testing;
