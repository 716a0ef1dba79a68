package io.lbkit.cli;

import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lbctl check [-i CONFIG_ID] FILE}: reads a keepalived.conf like {@code keepalived -t}
 * and prints one {@code FILE:LINE: error|warning: message} line per finding, sorted by
 * position. Exit 0 when there is no error, 1 with errors, 2 if the file cannot be read
 * or the usage is wrong.
 */
final class CheckCommand implements Command {
  @Override
  public String name() {
    return "check";
  }

  @Override
  public String usage() {
    return "check [-i CONFIG_ID] FILE";
  }

  @Override
  public String summary() {
    return "validate a keepalived.conf like keepalived -t; exit 0 ok, 1 errors, 2 unreadable";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    KeepalivedConfig.Options options = KeepalivedConfig.Options.defaults();
    String file = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-i") || a.equals("--config-id")) && i + 1 < args.size()) {
        options = options.withConfigId(args.get(++i));
      } else if (file == null && !a.startsWith("-")) {
        file = a;
      } else {
        err.println("usage: lbctl " + usage());
        return 2;
      }
    }
    if (file == null) {
      err.println("usage: lbctl " + usage());
      return 2;
    }
    KeepalivedConfig config = ConfigFiles.read(name(), file, options, err);
    if (config == null) {
      return 2;
    }
    for (Diagnostic d : config.diagnostics()) {
      out.println(d.format());
    }
    return config.hasErrors() ? 1 : 0;
  }
}
