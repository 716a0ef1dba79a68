package io.lbkit.cli;

import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading a keepalived.conf for lbctl's commands: one message style for a file that
 * cannot be read, and diagnostics printed the same way everywhere. What may be read
 * (regular files only, at most 16 MiB, text not binary, a read deadline; the same for
 * included files) is lb-config-keepalived's rule, see {@link KeepalivedConfig#parse(Path)}.
 */
final class ConfigFiles {
  /**
   * The options of a command that reads its file once (check, apply, put): nothing is kept for a reload
   * ({@link KeepalivedConfig.Options#reloadable()}); only {@code run} reloads.
   */
  static KeepalivedConfig.Options once() {
    return KeepalivedConfig.Options.defaults().withReloadable(false);
  }

  /** At most this many diagnostics are printed; the rest are counted. */
  static final int MAX_PRINTED = 100;

  private ConfigFiles() {}

  /**
   * Parses {@code file}; if it cannot be read, prints {@code lbctl CMD: cannot read FILE:
   * why} and returns null (the caller exits 2). Diagnostics are the caller's to print.
   */
  static KeepalivedConfig read(String command, String file, KeepalivedConfig.Options options, PrintStream err) {
    return read(command, file, options, null, err);
  }

  /**
   * The same, reusing what {@code previous} (a read of the same file, or null) read where the file did
   * not change ({@link KeepalivedConfig#parse(Path, KeepalivedConfig.Options, KeepalivedConfig)}).
   */
  static KeepalivedConfig read(String command, String file, KeepalivedConfig.Options options,
      KeepalivedConfig previous, PrintStream err) {
    String why;
    try {
      return KeepalivedConfig.parse(Path.of(file), options, previous);
    } catch (NoSuchFileException e) {
      why = "no such file";
    } catch (AccessDeniedException e) {
      why = "permission denied";
    } catch (IOException | RuntimeException e) {
      why = String.valueOf(e.getMessage());
    }
    err.println(command + ": cannot read " + Text.safe(file) + ": " + Text.safe(why));
    return null;
  }

  /**
   * Prints each diagnostic as {@code FILE:LINE: error|warning: message} (control
   * characters escaped), the first {@link #MAX_PRINTED}, then how many more there are.
   */
  static void print(List<Diagnostic> diagnostics, PrintStream err) {
    int errors = 0;
    int warnings = 0;
    for (int i = 0; i < diagnostics.size(); i++) {
      Diagnostic d = diagnostics.get(i);
      if (i < MAX_PRINTED) {
        err.println(Text.safe(d.format()));
      } else if (d.isError()) {
        errors++;
      } else {
        warnings++;
      }
    }
    if (errors + warnings > 0) {
      err.println("... and " + (errors > 0 ? errors + " more error" + (errors == 1 ? "" : "s") : "")
          + (errors > 0 && warnings > 0 ? " and " : "")
          + (warnings > 0 ? warnings + " more warning" + (warnings == 1 ? "" : "s") : ""));
    }
  }
}
