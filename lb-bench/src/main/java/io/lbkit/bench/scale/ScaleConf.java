package io.lbkit.bench.scale;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A plain keepalived.conf of {@code services} NAT virtual servers with {@code perService}
 * real servers each, every real server with an HTTP_GET check (delay_loop 6 s, warmup
 * 6 s so the first round is spread as later rounds are). Addresses: virtual server i is
 * 10.0.i/250.(i%250+1):80, real server g (global index) 10.(128+g/64516).(g/254%254).(g%254+1):8080.
 * With {@code backends}, each check connects (connect_ip/connect_port) to backend
 * {@code g % backends.size()}: many real servers, fewer local listeners, the same work per check.
 */
final class ScaleConf {
  private ScaleConf() {}

  static String vip(int i) {
    return "10.0." + (i / 250) + "." + (i % 250 + 1);
  }

  static String real(int g) {
    return "10." + (128 + g / 64516) + "." + (g / 254 % 254) + "." + (g % 254 + 1);
  }

  /** Services per included file: a file stays well below the parser's 16 MiB cap. */
  static final int PER_FILE = 1000;

  /**
   * Writes {@code NAME.conf} (global_defs and one {@code include} per part) and its parts
   * {@code NAME-K.conf} of at most {@link #PER_FILE} services; real server {@code changed}
   * (global index, or -1) gets weight 2, the rest 1. Parts equal to the ones already written
   * under {@code shared} are included from there instead.
   */
  static Path write(Path dir, String name, int services, int perService, List<InetSocketAddress> backends,
      int changed, String shared) throws IOException {
    StringBuilder main = new StringBuilder("global_defs {\n  router_id scale\n}\n");
    for (int from = 0; from < services; from += PER_FILE) {
      int to = Math.min(services, from + PER_FILE);
      boolean mine = shared == null || (changed >= from * perService && changed < to * perService);
      Path part = dir.resolve((mine ? name : shared) + "-" + from / PER_FILE + ".conf");
      if (mine) {
        Files.writeString(part, text(from, to, perService, backends, changed));
      }
      main.append("include ").append(part.getFileName()).append('\n');
    }
    return Files.writeString(dir.resolve(name + ".conf"), main);
  }

  /** Virtual servers {@code from} to {@code to - 1}; real server {@code changed} has weight 2. */
  static String text(int from, int to, int perService, List<InetSocketAddress> backends, int changed) {
    StringBuilder b = new StringBuilder((to - from) * perService * 240);
    for (int i = from; i < to; i++) {
      b.append("virtual_server ").append(vip(i)).append(" 80 {\n  delay_loop 6\n  lvs_sched rr\n  lvs_method NAT\n")
          .append("  protocol TCP\n");
      for (int j = 0; j < perService; j++) {
        int g = i * perService + j;
        b.append("  real_server ").append(real(g)).append(" 8080 {\n    weight ").append(g == changed ? 2 : 1)
            .append("\n    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n")
            .append("      connect_timeout 2\n      retry 1\n      delay_before_retry 1\n      warmup 6\n");
        if (!backends.isEmpty()) {
          InetSocketAddress a = backends.get(g % backends.size());
          b.append("      connect_ip ").append(a.getAddress().getHostAddress()).append("\n      connect_port ")
              .append(a.getPort()).append('\n');
        }
        b.append("    }\n  }\n");
      }
      b.append("}\n");
    }
    return b.toString();
  }
}
