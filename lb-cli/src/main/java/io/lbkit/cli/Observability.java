package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.micrometer.LbkitMetrics;
import io.lbkit.micrometer.RealServerCollector;
import io.lbkit.micrometer.ScrapeText;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code lbctl run} adds for watching it: the event stream (always: the events socket
 * uses it), and with {@code --http} the metrics in a Prometheus registry and the HTTP
 * endpoint. Listeners are given to the runtime's builder before it starts; the endpoint
 * opens once it runs.
 */
final class Observability implements AutoCloseable {
  final EventHub hub = new EventHub(Instant::now);
  final PrometheusMeterRegistry registry;
  final LbkitMetrics metrics;
  private final ScrapeText text;
  private HttpEndpoint http;
  private volatile int lastMetricsSize = 1 << 16;
  private final AtomicReference<Buffer> spare = new AtomicReference<>();

  /**
   * With metrics, the real servers' series are rendered in bulk by a {@link RealServerCollector}
   * in the registry (as meters, 10,000 real servers cost a scrape about a second of CPU).
   */
  Observability(boolean withMetrics, boolean realServerDetail) {
    registry = withMetrics ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    metrics = withMetrics
        ? LbkitMetrics.builder(registry).realServerMeters(false).realServerDetail(realServerDetail).build() : null;
    if (withMetrics) {
      registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
    }
    text = withMetrics ? ScrapeText.of(registry.getPrometheusRegistry()) : null;
  }

  /** Serves the runtime on {@code address} ({@link HttpEndpoint#start}). */
  HttpEndpoint serve(InetSocketAddress address, boolean allowRemote, LoadBalancerRuntime lb) throws IOException {
    http = HttpEndpoint.start(address, allowRemote, hub, new HttpEndpoint.Sources(
        this::scrape,
        () -> lb.status().toJson(),
        () -> {
          try {
            return TableJson.of(lb.dataplaneSnapshot());
          } catch (IOException e) {
            return "{\"services\":[],\"error\":" + LoadBalancerStatus.jsonString(e.getMessage()) + "}";
          }
        }));
    return http;
  }

  /**
   * One scrape: the runtime read once, the text written as bytes (no String of a few MB in
   * between) into the buffer of the last scrape, sent from it without a copy, then handed
   * back for the next (a concurrent scrape gets a new one). Sized as the last text, it never
   * grows by copies; allocating a few MB per scrape instead cost the SerialGC of
   * {@code lbctl run} old-generation collections (an array that large does not fit its young one).
   * The text is the registry's scrape as client_java writes it, families whose snapshot did not
   * change copied from the last scrape ({@link ScrapeText}).
   */
  private HttpEndpoint.Body scrape() {
    metrics.refresh(); // one read of the runtime per scrape
    Buffer body = spare.getAndSet(null);
    if (body == null) {
      body = new Buffer(lastMetricsSize + (lastMetricsSize >> 3));
    } else {
      body.reset();
    }
    try {
      text.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    lastMetricsSize = body.size();
    Buffer sent = body;
    return new HttpEndpoint.Body(sent.array(), sent.size(), () -> {
      if (sent.array().length <= 2 * lastMetricsSize + (1 << 16)) { // kept unless the text has shrunk a lot
        spare.set(sent);
      }
    });
  }

  /** A byte buffer whose array is sent as it is. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  /**
   * {@code ADDR:PORT} ({@code 127.0.0.1:9100}, {@code [::1]:9100}, {@code localhost:0}) as a socket address.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  static InetSocketAddress parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("--http " + s + ": expected ADDR:PORT, e.g. 127.0.0.1:9100");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--http " + s + ": port must be 0-65535");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--http " + s + ": unknown host " + host);
    }
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
  }
}
