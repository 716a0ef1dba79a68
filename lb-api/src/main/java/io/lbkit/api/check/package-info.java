/**
 * Health-check specifications (values only; lb-checks runs them), all of them
 * {@link io.lbkit.api.check.CheckSpec}s: one record per
 * keepalived checker ({@link io.lbkit.api.check.TcpCheck}, {@link io.lbkit.api.check.HttpCheck},
 * {@link io.lbkit.api.check.SmtpCheck}, {@link io.lbkit.api.check.DnsCheck},
 * {@link io.lbkit.api.check.UdpCheck}, {@link io.lbkit.api.check.PingCheck},
 * {@link io.lbkit.api.check.MiscCheck}, {@link io.lbkit.api.check.FileCheck}) and
 * {@link io.lbkit.api.check.CustomCheck} for plug-ins, with shared
 * {@link io.lbkit.api.check.CheckTiming} and {@link io.lbkit.api.check.CheckTarget}; the health-checking port
 * {@link io.lbkit.api.check.HealthChecking} and the verdicts it reports, {@link io.lbkit.api.check.HealthEvent}.
 */
package io.lbkit.api.check;
