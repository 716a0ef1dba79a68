package io.lbkit.runtime;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keepalived.conf side of a {@link LoadBalancerRuntime}: a file read into a spec (its
 * warnings logged, its errors thrown), and the last file read, so that a reload of it
 * re-reads only what changed.
 */
final class KeepalivedFiles {
  // the runtime's logger, as before this class was split out of it: users' logging configurations name it
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerRuntime.class);

  /** The last keepalived.conf read; null before one. */
  private volatile KeepalivedConfig last;

  /** Makes {@code c} the last file read (once a start with it succeeded). */
  void started(KeepalivedConfig c) {
    last = c;
  }

  /**
   * Re-reads a file, reusing what it has in common with the last one read; it becomes the
   * last one read even if it has errors.
   *
   * @throws ConfigException if it has errors
   * @throws IOException if it cannot be read
   */
  LoadBalancerSpec reread(Path file) throws IOException {
    KeepalivedConfig c = KeepalivedConfig.parse(file, KeepalivedConfig.Options.defaults(), last);
    last = c;
    return checked(c);
  }

  /** The spec of a read file, its warnings logged; its errors thrown. */
  static LoadBalancerSpec checked(KeepalivedConfig config) throws ConfigException {
    if (config.hasErrors()) {
      throw ConfigException.of(config.diagnostics());
    }
    for (Diagnostic d : config.diagnostics()) {
      LOG.warn("{}", d.format());
    }
    return config.spec();
  }
}
