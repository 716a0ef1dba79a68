package io.lbkit.api.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A user and group a script runs as, resolved to numbers.
 *
 * <p>Plain Java cannot change its uid before exec, so {@link #wrap} prefixes util-linux's
 * {@code setpriv}, which sets the real and effective uid and gid and the supplementary
 * groups to just that gid (as keepalived does: {@code setgid}, {@code setgroups(1, gid)},
 * {@code setuid}) and then execs the program, still without a shell.
 *
 * @param name the user's name (or the number given)
 * @param uid its uid
 * @param gid the group's gid (the user's own group unless one was given)
 */
public record ScriptUser(String name, int uid, int gid) {
  private static final long LOOKUP_TIMEOUT_SECONDS = 5;

  /** Who this process runs as (root for a director). */
  public static ScriptUser self() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      return new ScriptUser(uid == 0 ? "root" : Integer.toString(uid), uid, gid);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot tell this process's uid from /proc/self: " + e.getMessage(), e);
    }
  }

  /**
   * Looks a user (and optionally a group) up through the system's name service
   * ({@code getent}, so LDAP or sssd users resolve as they do for keepalived).
   *
   * @param user a user name or uid
   * @param group a group name or gid, or null for the user's own group
   * @return the user, or empty if the user or the group does not exist
   */
  public static Optional<ScriptUser> lookup(String user, String group) {
    List<String> pw = getent("passwd", user);
    if (pw.size() < 4) {
      return Optional.empty();
    }
    int gid = Integer.parseInt(pw.get(3));
    if (group != null) {
      List<String> gr = getent("group", group);
      if (gr.size() < 3) {
        return Optional.empty();
      }
      gid = Integer.parseInt(gr.get(2));
    }
    return Optional.of(new ScriptUser(pw.get(0), Integer.parseInt(pw.get(2)), gid));
  }

  /** True if this is root's uid or gid: keepalived then checks the script's path ({@link ScriptPolicy}). */
  public boolean privileged() {
    return uid == 0 || gid == 0;
  }

  /**
   * The command line that runs {@code argv} as this user: {@code argv} itself when this
   * process already is that user, else {@code setpriv --reuid U --regid G --groups G -- argv}.
   */
  public List<String> wrap(List<String> argv) {
    ScriptUser me = self();
    if (me.uid == uid && me.gid == gid) {
      return List.copyOf(argv);
    }
    List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--groups=" + gid, "--"));
    out.addAll(argv);
    return List.copyOf(out);
  }

  private static List<String> getent(String db, String key) {
    if (key.isEmpty() || key.contains(":") || key.chars().anyMatch(Character::isWhitespace)) {
      return List.of();
    }
    try {
      Process p = new ProcessBuilder("getent", db, key).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("getent " + db + " " + key + " did not answer within "
            + LOOKUP_TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        return List.of(); // 2: no such key
      }
      String line = new String(out, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      return List.of(line.split(":", -1));
    } catch (IOException e) {
      throw new IllegalStateException("cannot look up " + db + " " + key + " (getent): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted looking up " + db + " " + key, e);
    }
  }
}
