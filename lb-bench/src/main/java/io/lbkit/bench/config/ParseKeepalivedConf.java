package io.lbkit.bench.config;

import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Parses one keepalived.conf with lbkit and prints a summary: the lbkit side of
 * {@code lb-bench/scripts/parse-vs-keepalived.sh}, which times this whole process (JVM
 * start included) against {@code keepalived -t} on the same file.
 */
public final class ParseKeepalivedConf {
  private ParseKeepalivedConf() {}

  /** {@code ParseKeepalivedConf FILE [CONFIG_ID]}. */
  public static void main(String[] args) throws Exception {
    KeepalivedConfig.Options o = KeepalivedConfig.Options.defaults().withTimeout(Duration.ofMinutes(10));
    if (args.length > 1) {
      o = o.withConfigId(args[1]);
    }
    long t0 = System.nanoTime();
    KeepalivedConfig c = KeepalivedConfig.parse(Path.of(args[0]), o);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long errors = c.diagnostics().stream().filter(Diagnostic::isError).count();
    System.out.println("lbkit: " + c.spec().vrrpInstances().size() + " vrrp_instances, "
        + c.spec().virtualServices().size() + " virtual services, " + errors + " errors, "
        + (c.diagnostics().size() - errors) + " warnings; parse " + ms + " ms in-process");
  }
}
