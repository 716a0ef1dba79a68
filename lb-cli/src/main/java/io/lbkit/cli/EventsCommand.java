package io.lbkit.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl events [NAME | --socket PATH] [--count N]}: follows a running
 * {@code lbctl run}'s events (VRRP transitions, health changes, reconciliations,
 * reloads) as JSON lines, one per event, as they happen: what notify scripts tell,
 * without a process per event. NAME is the config file's name without ".conf" (socket
 * /run/lbkit/NAME.events, beside the control socket NAME.sock).
 */
@Command(name = "events", sortOptions = false,
    description = {"Follow a running lbctl run's events as JSON lines: VRRP transitions, health changes, "
        + "reconciliations and reloads, each with a sequence number and a time.",
        "Reads /run/lbkit/NAME.events for NAME.conf; ends when lbctl run stops (or after --count events)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the stream ended (lbctl run stopped, this reader fell too far behind, or --count reached)",
        "1:no lbctl run serves events there (none running, not permitted)",
        "2:usage error"})
final class EventsCommand extends Subcommand {
  @Parameters(paramLabel = "NAME", arity = "0..1",
      description = "The config file's name without .conf (socket /run/lbkit/NAME.events). Default: the only "
          + "event socket in /run/lbkit.")
  String configName;

  @Option(names = "--socket", paramLabel = "PATH", description = "The event socket to follow (for lbctl run "
      + "--control DIR/X.sock: DIR/X.events).")
  Path socketPath;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  Long count;

  @Override
  public Integer call() throws IOException {
    if (configName != null && socketPath != null) {
      throw usage("give NAME or --socket PATH, not both");
    }
    if (configName != null && (configName.contains("/") || configName.isEmpty() || configName.startsWith("."))) {
      throw usage("NAME is a config name like keepalived (for keepalived.conf), not a path: \"" + Text.safe(configName)
          + "\"; give a path with --socket PATH");
    }
    if (count != null && count <= 0) {
      throw usage("--count " + count + ": must be positive");
    }
    PrintStream out = out();
    PrintStream err = err();
    Path dir = lbctl.socketDir;
    Path socket = socketPath != null ? socketPath : configName != null ? dir.resolve(configName + ".events") : only(dir);
    if (socket == null) {
      err.println(name() + ": no single event socket in " + dir + " (*.events): is `lbctl run` running? name it, "
          + "or give --socket PATH");
      return 1;
    }
    SocketChannel c;
    try {
      c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      err.println(name() + ": no lbctl run serves events on " + socket + " (" + Text.safe(String.valueOf(
          e.getMessage())) + ")");
      return 1;
    }
    long n = 0;
    try (c; BufferedReader in = new BufferedReader(Channels.newReader(c, StandardCharsets.UTF_8))) {
      String line;
      while ((count == null || n < count) && (line = in.readLine()) != null) {
        out.println(line);
        out.flush();
        n++;
      }
    }
    return 0;
  }

  private static Path only(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (var s = Files.newDirectoryStream(dir, "*.events")) {
      Path found = null;
      for (Path p : s) {
        if (found != null) {
          return null;
        }
        found = p;
      }
      return found;
    }
  }
}
