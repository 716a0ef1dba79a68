package io.lbkit.fleet;

import static io.lbkit.api.LoadBalancerStatus.jsonString;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What one director of a fleet reports: locally ({@link FleetDirector#status()}) and in
 * etcd under {@code KEY/directors/NAME}, written under the director's lease so that it
 * disappears when the director dies ({@link FleetStore#directors()}, {@code lbctl fleet status}).
 *
 * @param name the director's name (unique in the fleet)
 * @param appliedRevision the revision of the configuration its dataplane holds (0: none yet)
 * @param latestRevision the newest revision of the key it has seen (a rejected one included)
 * @param etcdReachable false while etcd cannot be reached (the director keeps serving what it applied)
 * @param etcdProblem why etcd is unreachable, since when ("" when reachable)
 * @param configError why the newest revision was not applied, or only partly ("" when it was), e.g.
 *     {@code FILE:LINE: error: ...} or the dataplane changes the kernel refused
 * @param announced the VIPs it announces by BGP now, sorted
 * @param health each real server as this director's checks see it: {@code "TCP 10.0.0.1:80 10.1.0.1:80" -> "up"} or
 *     {@code "down: REASON"}
 */
public record DirectorStatus(String name, long appliedRevision, long latestRevision, boolean etcdReachable,
    String etcdProblem, String configError, List<String> announced, Map<String, String> health) {
  /** Copies; checks the name. */
  public DirectorStatus {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/") || name.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("director name must be non-empty, without '/' or blanks: '" + name + "'");
    }
    Objects.requireNonNull(etcdProblem, "etcdProblem");
    Objects.requireNonNull(configError, "configError");
    announced = announced.stream().sorted().toList();
    health = java.util.Collections.unmodifiableMap(new TreeMap<>(health));
  }

  /** True if the dataplane holds the newest revision that could be applied and etcd is reachable. */
  public boolean current() {
    return etcdReachable && configError.isEmpty() && appliedRevision == latestRevision;
  }

  /** The form stored in etcd: java.util.Properties text. */
  String encode() {
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("appliedRevision", Long.toString(appliedRevision));
    p.setProperty("latestRevision", Long.toString(latestRevision));
    p.setProperty("etcdReachable", Boolean.toString(etcdReachable));
    p.setProperty("etcdProblem", etcdProblem);
    p.setProperty("configError", configError);
    p.setProperty("announced", String.join(",", announced));
    health.forEach((k, v) -> p.setProperty("health." + k, v));
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /**
   * Reads {@link #encode()}'s form.
   *
   * @throws IllegalArgumentException naming the field if the text is not a director's status
   */
  static DirectorStatus decode(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a director status: " + e.getMessage(), e);
    }
    Map<String, String> health = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("health.")) {
        health.put(k.substring("health.".length()), p.getProperty(k));
      }
    }
    String a = p.getProperty("announced", "");
    return new DirectorStatus(required(p, "name"), number(p, "appliedRevision"), number(p, "latestRevision"),
        Boolean.parseBoolean(required(p, "etcdReachable")), p.getProperty("etcdProblem", ""),
        p.getProperty("configError", ""), a.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(a.split(","))),
        health);
  }

  private static String required(Properties p, String k) {
    String v = p.getProperty(k);
    if (v == null) {
      throw new IllegalArgumentException("not a director status: no " + k);
    }
    return v;
  }

  private static long number(Properties p, String k) {
    try {
      return Long.parseLong(required(p, k));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a director status: " + k + " is not a number: " + p.getProperty(k), e);
    }
  }

  /** JSON, keys in a stable order ({@code lbctl fleet status --json}). */
  public String toJson() {
    StringBuilder sb = new StringBuilder(256).append("{\"name\":").append(jsonString(name))
        .append(",\"appliedRevision\":").append(appliedRevision).append(",\"latestRevision\":").append(latestRevision)
        .append(",\"current\":").append(current()).append(",\"etcdReachable\":").append(etcdReachable)
        .append(",\"etcdProblem\":").append(jsonString(etcdProblem)).append(",\"configError\":")
        .append(jsonString(configError)).append(",\"announced\":[");
    String sep = "";
    for (String v : announced) {
      sb.append(sep).append(jsonString(v));
      sep = ",";
    }
    sb.append("],\"health\":{");
    sep = "";
    for (Map.Entry<String, String> e : health.entrySet()) {
      sb.append(sep).append(jsonString(e.getKey())).append(':').append(jsonString(e.getValue()));
      sep = ",";
    }
    return sb.append("}}").toString();
  }
}
