/**
 * lbkit's metrics through Micrometer, for applications that ship metrics to a backend
 * of their own (those without Micrometer leave this module out).
 *
 * <p>Entry type: {@link io.lbkit.micrometer.LbkitMetrics} (a {@code RuntimeListener}
 * given to {@code LoadBalancerRuntime.builder().listener(...)}) and its
 * {@link io.lbkit.micrometer.LbkitMetrics.Builder}; for a Prometheus registry with many real
 * servers, {@link io.lbkit.micrometer.RealServerCollector} (their series in bulk) and
 * {@link io.lbkit.micrometer.ScrapeText} (the scrape's text, unchanged families' bytes reused).
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder()
 *     .listener(LbkitMetrics.create(registry)).start(path)) {
 *   String text = registry.scrape();   // lbkit_vrrp_state{iname="VI_1",...} 2.0 ...
 * }
 * }</pre>
 */
package io.lbkit.micrometer;
