package io.lbkit.micrometer;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.vrrp.TrackingStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The VRRP tracking meters: each vrrp_script's status and state and each track_file's
 * value (label {@code name}, as the keepalived exporters' {@code keepalived_script_status}),
 * and per instance each tracked script's status and each tracked interface's link.
 * Values come from the owner's last refresh. Only names: no command, argument or path.
 */
final class TrackMeters {
  private final MeterRegistry registry;
  private final Runnable refresh;
  private volatile TrackingStatus last = TrackingStatus.EMPTY;
  // what the registered meters were made for, and the meters: re-registered when it changes
  private List<Object> shape = List.of();
  private final List<Meter> meters = new ArrayList<>();

  TrackMeters(MeterRegistry registry, Runnable refresh) {
    this.registry = registry;
    this.refresh = refresh;
  }

  /** Meters for exactly these scripts, track files and instances' tracked objects. */
  synchronized void sync(Set<String> scripts, Set<String> files, List<VrrpInstanceSpec> specs) {
    Map<String, Object> perInstance = new HashMap<>();
    for (VrrpInstanceSpec s : specs) {
      perInstance.put(s.name(), List.of(s.interfaceName(), s.vrid(), new TreeSet<>(s.trackScripts().keySet()),
          new TreeSet<>(s.trackInterfaces().keySet())));
    }
    List<Object> next = List.of(new TreeSet<>(scripts), new TreeSet<>(files), perInstance);
    if (next.equals(shape)) {
      return;
    }
    meters.forEach(registry::remove);
    meters.clear();
    shape = next;
    for (String name : new TreeSet<>(scripts)) {
      Tags t = Tags.of("name", name);
      gauge("lbkit.vrrp.script.status", t, s -> status(s, name),
          "vrrp_script result: 1 good, 0 bad, -1 unknown (not run yet, not tracked, or refused) (keepalived_script_status)");
      gauge("lbkit.vrrp.script.state", t, s -> {
        TrackingStatus.Script x = s.scripts().get(name);
        return x != null && x.running() ? 1 : 0;
      }, "vrrp_script run state: 0 idle, 1 running (keepalived_script_state)");
    }
    for (String name : new TreeSet<>(files)) {
      gauge("lbkit.vrrp.track.file.value", Tags.of("name", name), s -> s.files().getOrDefault(name, 0L),
          "the number a track_file holds (0 when missing or not a number, as keepalived reads it)");
    }
    for (VrrpInstanceSpec spec : specs) {
      Tags vi = Tags.of("iname", spec.name(), "intf", spec.interfaceName(), "vrid", Integer.toString(spec.vrid()));
      for (String name : new TreeSet<>(spec.trackScripts().keySet())) {
        gauge("lbkit.vrrp.track.script.status", vi.and("name", name), s -> status(s, name),
            "status of a script this instance tracks: 1 good, 0 bad, -1 unknown");
      }
      for (String intf : new TreeSet<>(spec.trackInterfaces().keySet())) {
        gauge("lbkit.vrrp.track.interface.up", vi.and("track_interface", intf), s -> {
          Boolean up = s.interfaces().getOrDefault(spec.name(), Map.of()).get(intf);
          return up == null ? -1 : up ? 1 : 0;
        }, "link of an interface this instance tracks: 1 up, 0 down");
      }
    }
  }

  /** Takes a refresh's values. */
  void update(TrackingStatus status) {
    last = status;
  }

  private static double status(TrackingStatus s, String name) {
    TrackingStatus.Script x = s.scripts().get(name);
    if (x == null) {
      return -1;
    }
    return switch (x.result()) {
      case GOOD -> 1;
      case BAD -> 0;
      case UNKNOWN -> -1;
    };
  }

  private void gauge(String metric, Tags tags, ToDoubleFunction<TrackingStatus> value, String description) {
    meters.add(Gauge.builder(metric, this, m -> {
      refresh.run();
      return value.applyAsDouble(m.last);
    }).tags(tags).description(description).register(registry));
  }
}
