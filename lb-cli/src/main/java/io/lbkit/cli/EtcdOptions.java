package io.lbkit.cli;

import io.lbkit.fleet.FleetStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --etcd URL[,URL...] --key KEY}: where a fleet's configuration is stored (put, run, fleet status). */
final class EtcdOptions {
  @Option(names = "--etcd", paramLabel = "URL[,URL...]", required = true, split = ",",
      description = "etcd v3 endpoints, http://HOST:PORT (comma-separated).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--key", paramLabel = "KEY", required = true,
      description = "The etcd key holding the keepalived.conf text; directors register under KEY/directors/.")
  String key;

  /** The store; IllegalArgumentException (a usage error) for a malformed endpoint or key. */
  FleetStore open() {
    List<URI> uris = new ArrayList<>();
    for (String e : endpoints) {
      try {
        uris.add(URI.create(e.strip()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("--etcd: not a URL: " + e);
      }
    }
    return FleetStore.connect(uris, key);
  }
}
