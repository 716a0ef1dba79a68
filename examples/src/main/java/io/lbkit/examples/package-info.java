/**
 * Example mains, each runnable from the lbctl jar
 * ({@code java -cp lbctl.jar io.lbkit.examples.NAME}) and tested against lbkit's fakes:
 * {@link io.lbkit.examples.SeedDirector} (the seed's director in fluent Java),
 * {@link io.lbkit.examples.ImportAndRun} (an existing keepalived.conf run by an
 * application), {@link io.lbkit.examples.MasterOnlyWork} (work that runs only on the
 * VRRP master) and {@link io.lbkit.examples.RedisPingChecker} (a custom health checker).
 */
package io.lbkit.examples;
