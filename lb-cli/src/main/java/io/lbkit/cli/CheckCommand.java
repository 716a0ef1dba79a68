package io.lbkit.cli;

import io.lbkit.config.keepalived.KeepalivedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl check [-i CONFIG_ID] FILE}: reads a keepalived.conf like {@code keepalived -t}
 * and prints one {@code FILE:LINE: error|warning: message} line per finding on stderr,
 * sorted by position. Exit 0 when there is no error, 1 with errors, 2 if the file cannot
 * be read (missing, not a regular file, binary, too large) or the usage is wrong.
 */
@Command(name = "check", sortOptions = false,
    description = {"Validate a keepalived.conf like keepalived -t.",
        "Prints one FILE:LINE: error|warning: message line per finding on stderr, sorted by position (the first "
            + ConfigFiles.MAX_PRINTED + ", then how many more). Only a regular text file of at most 16 MiB is read, "
            + "within 10 s; a directory, device or FIFO is refused unopened. Included files follow the same rules "
            + "(include skips one that breaks them with a warning, as keepalived does)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no error (warnings may be printed)", "1:errors",
        "2:FILE cannot be read (missing, a directory, device or FIFO, binary, too large) or a usage error"})
final class CheckCommand extends Subcommand {
  @Option(names = {"-i", "--config-id"}, paramLabel = "CONFIG_ID",
      description = "The id that @CONFIG_ID lines are compared with (keepalived -i). Default: the host name up to "
          + "its first dot.")
  String configId;

  @Parameters(paramLabel = "FILE", description = "The keepalived.conf to read.")
  String file;

  @Override
  public Integer call() {
    KeepalivedConfig.Options options = ConfigFiles.once();
    if (configId != null) {
      options = options.withConfigId(configId);
    }
    KeepalivedConfig config = ConfigFiles.read(name(), file, options, err());
    if (config == null) {
      return 2;
    }
    ConfigFiles.print(config.diagnostics(), err());
    return config.hasErrors() ? 1 : 0;
  }
}
