package io.lbkit.cli;

import io.lbkit.config.keepalived.KeepalivedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a keepalived.conf for lbctl's commands: one message style for an unreadable file. */
final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * Parses {@code file}; if it cannot be read, prints {@code lbctl CMD: cannot read FILE:
   * why} and returns null (the caller exits 2). Diagnostics are the caller's to print.
   */
  static KeepalivedConfig read(String command, String file, KeepalivedConfig.Options options, PrintStream err) {
    try {
      return KeepalivedConfig.parse(Path.of(file), options);
    } catch (NoSuchFileException e) {
      err.println("lbctl " + command + ": cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      err.println("lbctl " + command + ": cannot read " + file + ": permission denied");
    } catch (IOException | RuntimeException e) {
      err.println("lbctl " + command + ": cannot read " + file + ": " + e.getMessage());
    }
    return null;
  }
}
