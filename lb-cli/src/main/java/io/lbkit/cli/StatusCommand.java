package io.lbkit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lbctl status [NAME | --socket PATH] [--json] [--timeout SECONDS]}: asks a
 * running {@code lbctl run} over its control socket for its state (each VRRP instance's
 * state and priority; each real server's health, weight and last check result) and
 * prints it as a table, or as JSON. NAME is the config file's name without ".conf"
 * (socket /run/lbkit/NAME.sock); with neither NAME nor --socket, the only socket there.
 */
final class StatusCommand implements Command {
  private final Path dir;

  StatusCommand() {
    this(ControlSocket.DIR);
  }

  /** With another socket directory (tests). */
  StatusCommand(Path dir) {
    this.dir = dir;
  }

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String usage() {
    return "status [NAME | --socket PATH] [--json] [--timeout SECONDS]";
  }

  @Override
  public String summary() {
    return "show a running lbctl run's VRRP states and real servers' health (table or JSON)";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Path socket = null;
    boolean json = false;
    double timeout = 5;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--socket") && i + 1 < args.size() && socket == null) {
        socket = Path.of(args.get(++i));
      } else if (a.equals("--timeout") && i + 1 < args.size()) {
        try {
          timeout = Double.parseDouble(args.get(++i));
        } catch (NumberFormatException e) {
          timeout = -1;
        }
        if (!(timeout > 0 && timeout <= 3600)) {
          err.println("lbctl status: --timeout " + args.get(i) + ": not a number of seconds in (0, 3600]");
          return 2;
        }
      } else if (!a.startsWith("-") && socket == null) {
        socket = dir.resolve(a + ".sock");
      } else {
        err.println("usage: lbctl " + usage());
        return 2;
      }
    }
    if (socket == null) {
      List<Path> found = sockets();
      if (found.size() != 1) {
        err.println("lbctl status: " + (found.isEmpty() ? "no lbctl run is listening in " + dir
            : found.size() + " lbctl runs listen in " + dir + " (" + names(found) + "); name one"));
        return 1;
      }
      socket = found.get(0);
    }
    if (!Files.exists(socket)) {
      err.println("lbctl status: " + socket + ": no such socket (is lbctl run running?)");
      return 1;
    }
    String answer;
    try {
      answer = ControlSocket.query(socket, (long) (timeout * 1000));
    } catch (IOException e) {
      err.println("lbctl status: " + e.getMessage());
      return 1;
    }
    int nl = answer.indexOf('\n');
    if (nl < 0) {
      err.println("lbctl status: " + socket + ": incomplete answer");
      return 1;
    }
    out.print(json ? answer.substring(0, nl + 1) : answer.substring(nl + 1));
    return 0;
  }

  private List<Path> sockets() throws IOException {
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
