package io.lbkit.api.script;

import io.lbkit.api.GlobalDefs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Who a script runs as and whether it may run at all, by keepalived's rules
 * (keepalived.conf(5) {@code script_user}, {@code enable_script_security}; checked
 * against keepalived 2.2.7):
 * <ul>
 *   <li>a script runs as its own user ({@code vrrp_script { user U [G] }}, notify's
 *       {@code [username [groupname]]}), else as {@code script_user}, else as the
 *       {@code keepalived_script} user if it exists, else as this process (root) — or,
 *       under {@code enable_script_security}, not at all ("Unable to set default user");
 *   <li>a user or group that does not exist, or a program that cannot be found, refuses the script;
 *   <li>a script run with uid or gid 0 (or a set-uid/set-gid root program) is <em>unsafe</em>
 *       when the file or any directory on its path is not owned by root, or is writable
 *       by a non-root group or by everyone (a directory with the sticky bit excepted, like
 *       /tmp); under {@code enable_script_security} an unsafe script is refused, without it
 *       it runs and is reported ("SECURITY VIOLATION").
 * </ul>
 * A refused vrrp_script is not run and not tracked (its instances run as if they did not
 * track it), a refused notify script is not run: what keepalived does.
 *
 * <p>{@link #NONE} (the default of a router or monitor built by hand) checks nothing and
 * switches user only for scripts that name one.
 */
public final class ScriptPolicy {
  /** No checks; scripts run as this process unless they name a user. */
  public static final ScriptPolicy NONE = new ScriptPolicy(false, false, null, null, ScriptUser::lookup);

  private final boolean keepalivedRules;
  private final boolean security;
  private final String user;
  private final String group;
  private final BiFunction<String, String, Optional<ScriptUser>> users;

  private ScriptPolicy(boolean keepalivedRules, boolean security, String user, String group,
      BiFunction<String, String, Optional<ScriptUser>> users) {
    this.keepalivedRules = keepalivedRules;
    this.security = security;
    this.user = user;
    this.group = group;
    this.users = users;
  }

  /**
   * keepalived's rules.
   *
   * @param enableScriptSecurity {@code enable_script_security}
   * @param scriptUser {@code script_user}'s user, or null
   * @param scriptGroup {@code script_user}'s group, or null (the user's own)
   */
  public static ScriptPolicy keepalived(boolean enableScriptSecurity, String scriptUser, String scriptGroup) {
    if (scriptGroup != null && scriptUser == null) {
      throw new IllegalArgumentException("script_user group " + scriptGroup + " without a user");
    }
    return new ScriptPolicy(true, enableScriptSecurity, scriptUser, scriptGroup, ScriptUser::lookup);
  }

  /** keepalived's rules with global_defs' {@code enable_script_security} and {@code script_user}. */
  public static ScriptPolicy of(GlobalDefs g) {
    return keepalived(g.enableScriptSecurity(), g.scriptUser(), g.scriptGroup());
  }

  /** Whether {@code enable_script_security} is on. */
  public boolean scriptSecurity() {
    return security;
  }

  /**
   * How to run one script, or why not.
   *
   * @param argv the program and its arguments (the program a path, or a name searched in PATH)
   * @param ownUser the script's own {@code USER [GROUP]}, or null
   */
  public Decision decide(List<String> argv, String ownUser) {
    ScriptUser as;
    if (ownUser != null && !ownUser.isBlank()) {
      String[] ug = ownUser.trim().split("\\s+");
      Optional<ScriptUser> u = users.apply(ug[0], ug.length > 1 ? ug[1] : null);
      if (u.isEmpty()) {
        return Decision.refuse("user/group \"" + ownUser.trim() + "\" does not exist");
      }
      as = u.get();
    } else if (!keepalivedRules) {
      return new Decision(List.copyOf(argv), ScriptUser.self(), null, null);
    } else if (user != null) {
      Optional<ScriptUser> u = users.apply(user, group);
      if (u.isEmpty()) {
        return Decision.refuse("script_user " + user + (group != null ? " " + group : "") + " does not exist");
      }
      as = u.get();
    } else {
      Optional<ScriptUser> u = users.apply("keepalived_script", null);
      if (u.isPresent()) {
        as = u.get();
      } else if (security) {
        return Decision.refuse("no script_user and no keepalived_script user: with enable_script_security keepalived "
            + "does not run it as root");
      } else {
        as = ScriptUser.self();
      }
    }
    if (!keepalivedRules) {
      return new Decision(as.wrap(argv), as, null, null);
    }
    Optional<Path> program = locate(argv.get(0));
    if (program.isEmpty()) {
      return Decision.refuse(argv.get(0) + " not found");
    }
    String unsafe = unsafe(program.get(), as);
    if (unsafe != null && security) {
      return Decision.refuse("unsafe: " + unsafe);
    }
    return new Decision(as.wrap(argv), as, null, unsafe == null ? null
        : "SECURITY VIOLATION: runs as root although " + unsafe + " (enable_script_security would refuse it)");
  }

  /**
   * Why a script would be unsafe to run as {@code as} (null if it is safe): keepalived's
   * check_script_secure on the program and each directory above it.
   */
  public static String unsafe(Path program, ScriptUser as) {
    Map<String, Object> file;
    try {
      file = Files.readAttributes(program, "unix:mode,uid,gid");
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot read " + program + ": " + e.getMessage();
    }
    int mode = (Integer) file.get("mode");
    boolean setuidRoot = (Integer) file.get("uid") == 0 && (mode & 04100) == 04100;
    boolean setgidRoot = (Integer) file.get("gid") == 0 && (mode & 02010) == 02010;
    if (!as.privileged() && !setuidRoot && !setgidRoot) {
      return null; // keepalived protects only what runs with root's uid or gid
    }
    Path abs = program.toAbsolutePath();
    List<Path> chain = new ArrayList<>();
    for (Path p = abs; p != null; p = p.getParent()) {
      chain.add(0, p);
    }
    for (Path p : chain) {
      Map<String, Object> a;
      try {
        a = Files.readAttributes(p, "unix:mode,uid,gid");
      } catch (IOException e) {
        return "cannot read " + p + ": " + e.getMessage();
      }
      int m = (Integer) a.get("mode");
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      boolean regular = (m & 0170000) == 0100000;
      boolean sticky = (m & 01000) != 0;
      if (uid != 0) {
        return p + " is owned by uid " + uid + ", not root";
      }
      if ((!sticky || regular) && (gid != 0 && (m & 020) != 0)) {
        return p + " is writable by group " + gid;
      }
      if ((!sticky || regular) && (m & 02) != 0) {
        return p + " is world-writable";
      }
    }
    return null;
  }

  /** The program's path: as given if it has a slash, else the first executable of that name in PATH. */
  static Optional<Path> locate(String program) {
    if (program.indexOf('\0') >= 0) {
      return Optional.empty(); // no file has a NUL in its name (Path.of would throw; found by ConfigParseFuzzTest)
    }
    if (program.contains("/")) {
      return Files.exists(Path.of(program)) ? Optional.of(Path.of(program)) : Optional.empty();
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : path)
        .split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The outcome for one script.
   *
   * @param argv the command line to start (with the setpriv prefix when it switches user), or null if refused
   * @param user who it runs as, or null if refused
   * @param refused why it is refused, or null
   * @param warning what to report although it runs (an unsafe script without enable_script_security), or null
   */
  public record Decision(List<String> argv, ScriptUser user, String refused, String warning) {
    static Decision refuse(String why) {
      return new Decision(null, null, why, null);
    }

    /** True if the script must not run. */
    public boolean isRefused() {
      return refused != null;
    }
  }

  /** Equal when the rules, enable_script_security and script_user are (the user lookup is not compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ScriptPolicy p && p.keepalivedRules == keepalivedRules && p.security == security
        && java.util.Objects.equals(p.user, user) && java.util.Objects.equals(p.group, group);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(keepalivedRules, security, user, group);
  }

  @Override
  public String toString() {
    return !keepalivedRules ? "ScriptPolicy.NONE" : "ScriptPolicy[enable_script_security=" + security
        + ", script_user=" + user + (group != null ? " " + group : "") + "]";
  }
}
