package io.lbkit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl status [NAME | --socket PATH] [--json] [--timeout SECONDS]}: asks a
 * running {@code lbctl run} over its control socket for its state (each VRRP instance's
 * state and priority; each real server's health, weight and last check result) and
 * prints it as a table, or as JSON. NAME is the config file's name without ".conf"
 * (socket /run/lbkit/NAME.sock); with neither NAME nor --socket, the only socket there.
 */
@Command(name = "status", sortOptions = false,
    description = {"Show a running lbctl run's VRRP states and its real servers' health, weight and last check "
        + "(a table, or JSON).",
        "Asks lbctl run over its control socket, /run/lbkit/NAME.sock for NAME.conf."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "1:no lbctl run answers (none running, not permitted, no answer in time)",
        "2:usage error"})
final class StatusCommand extends Subcommand {
  @Parameters(paramLabel = "NAME", arity = "0..1",
      description = "The config file's name without .conf (socket /run/lbkit/NAME.sock). Default: the only socket "
          + "in /run/lbkit.")
  String configName;

  @Option(names = "--socket", paramLabel = "PATH", description = "The control socket to ask (lbctl run --control).")
  Path socketPath;

  @Option(names = "--json", description = "Print the status as one line of JSON.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for the answer, in (0, 3600]. Default: ${DEFAULT-VALUE}.")
  double timeout = 5;

  @Override
  public Integer call() throws IOException {
    Path dir = lbctl.socketDir;
    if (configName != null && socketPath != null) {
      throw usage("give NAME or --socket PATH, not both");
    }
    if (configName != null && (configName.contains("/") || configName.isEmpty() || configName.startsWith("."))) {
      throw usage("NAME is a config name like keepalived (for keepalived.conf), not a path: \"" + Text.safe(configName)
          + "\"; give a path with --socket PATH");
    }
    if (!(timeout > 0 && timeout <= 3600)) {
      throw usage("--timeout " + timeout + ": not a number of seconds in (0, 3600]");
    }
    PrintStream out = out();
    PrintStream err = err();
    Path socket = socketPath != null ? socketPath : configName != null ? dir.resolve(configName + ".sock") : null;
    if (socket == null) {
      List<Path> found = sockets(dir);
      if (found.size() != 1) {
        err.println(name() + ": " + (found.isEmpty() ? "no lbctl run is listening in " + dir + " (no *.sock there): "
            + "is `lbctl run` running? (with --control PATH, ask it with --socket PATH)"
            : found.size() + " lbctl runs listen in " + dir + " (" + names(found) + "); name one"));
        return 1;
      }
      socket = found.get(0);
    }
    if (!Files.exists(socket)) {
      err.println(name() + ": " + notServing(socket, "no such socket"));
      return 1;
    }
    String answer;
    try {
      answer = ControlSocket.query(socket, (long) (timeout * 1000));
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      String lower = m.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("refused")) {
        err.println(name() + ": " + notServing(socket, "connection refused"));
      } else if (lower.contains("permission denied") || lower.contains("not permitted")) {
        err.println(name() + ": cannot ask " + socket + " (permission denied): run lbctl status as root, or as the "
            + "user that runs `lbctl run`");
      } else {
        err.println(name() + ": " + Text.safe(m));
      }
      return 1;
    }
    int nl = answer.indexOf('\n');
    if (nl < 0) {
      err.println(name() + ": " + socket + ": incomplete answer");
      return 1;
    }
    out.print(json ? answer.substring(0, nl + 1) : answer.substring(nl + 1));
    return 0;
  }

  /** Nothing answers on {@code socket}: say which socket, why, and what to check. */
  private static String notServing(Path socket, String why) {
    String f = socket.getFileName().toString();
    String conf = f.endsWith(".sock") ? f.substring(0, f.length() - ".sock".length()) + ".conf" : "this config";
    return "no lbctl run is serving " + socket + " (" + why + "): is `lbctl run` running with " + conf + "?";
  }

  private static List<Path> sockets(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sock")) {
      ds.forEach(found::add);
    }
    found.sort(null);
    return found;
  }

  private static String names(List<Path> sockets) {
    List<String> n = new ArrayList<>();
    for (Path p : sockets) {
      String f = p.getFileName().toString();
      n.add(f.substring(0, f.length() - ".sock".length()));
    }
    return String.join(", ", n);
  }
}
