package io.lbkit.config.keepalived;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code include} and its variants: csh brace expansion, glob on each path component,
 * paths relative to the including file's directory, sorted matches (as glob(3)),
 * cycle detection by real path, size and depth limits.
 */
final class Includes {
  static final int MAX_MATCHES = 10_000;
  static final int MAX_INCLUDED_FILES = 2_000;
  static final int MAX_NESTING = 16;
  private static final Set<String> KEYWORDS = Set.of("include", "includer", "includem", "includew", "includeb",
      "includea", "includet");

  private final Diags diags;
  private final Deque<Path> stack = new ArrayDeque<>();
  private int opened;
  /** Told of each file read and each include's expansion; null: nobody asks. */
  private ParseMemo memo;

  Includes(Diags diags) {
    this.diags = diags;
  }

  void memo(ParseMemo m) {
    memo = m;
  }

  private void disableMemo() {
    if (memo != null) {
      memo.disable();
    }
  }

  /** The include keyword this line starts with, or null. */
  static String keywordOf(String line) {
    int start = 0;
    while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    if (!line.startsWith("include", start)) {
      return null;
    }
    String t = line.substring(start);
    int end = 0;
    while (end < t.length() && !Character.isWhitespace(t.charAt(end))) {
      end++;
    }
    String k = t.substring(0, end);
    return KEYWORDS.contains(k) ? k : null;
  }

  /** Reads the top file; errors reading it go to the caller. */
  void root(Path file, String shown, Lexer lexer) throws IOException {
    String text = read(file);
    Path real = real(file);
    if (memo != null) {
      memo.file(shown, file, real, text);
    }
    stack.push(real);
    try {
      lexer.text(shown, dir(file), text, 0);
    } finally {
      stack.pop();
    }
  }

  /** Text that is not in a file: includes resolve against {@code dir}. */
  void rootText(String shown, Path dir, String text, Lexer lexer) {
    lexer.text(shown, dir.toAbsolutePath().normalize().toString(), text, 0);
  }

  /** An include line: the keyword, then the rest of the line (comments removed, quotes stripped) as the pattern. */
  void include(String keyword, String line, String file, int lineNo, String dir, int depth, Lexer lexer) {
    int col = line.indexOf(keyword) + 1;
    Token kw = new Token(keyword, file, lineNo, col, false);
    boolean strict = !keyword.equals("include");
    String rest = line.substring(col - 1 + keyword.length());
    int hash = rest.indexOf('#');
    int bang = rest.indexOf('!');
    int cut = hash < 0 ? bang : bang < 0 ? hash : Math.min(hash, bang);
    rest = (cut >= 0 ? rest.substring(0, cut) : rest).strip();
    if (rest.length() >= 2 && (rest.charAt(0) == '"' || rest.charAt(0) == '\'')
        && rest.charAt(rest.length() - 1) == rest.charAt(0)) {
      rest = rest.substring(1, rest.length() - 1);
    }
    if (rest.isEmpty()) {
      disableMemo();
      diags.error(kw, keyword + " needs a file name");
      return;
    }
    Token arg = new Token(rest, file, lineNo, line.indexOf(rest) + 1, false);
    List<Token> tokens = List.of(kw, arg);
    if (depth >= Lexer.MAX_DEPTH || stack.size() > MAX_NESTING) {
      disableMemo();
      diags.error(kw, "includes nested deeper than " + MAX_NESTING + "; not followed");
      return;
    }
    String pattern = tokens.get(1).text();
    List<Path> files;
    try {
      files = expand(pattern, dir);
      if (memo != null) {
        memo.include(dir, pattern, files);
      }
    } catch (RuntimeException | IOException e) {
      disableMemo();
      diags.error(tokens.get(1), "cannot expand include pattern '" + pattern + "': " + e.getMessage());
      return;
    }
    if (files.isEmpty()) {
      if (strict) {
        diags.error(tokens.get(1), kw.text() + " '" + pattern + "' matches no file");
      } else {
        diags.warn(tokens.get(1), "include '" + pattern + "' matches no file");
      }
      return;
    }
    for (Path f : files) {
      Path real;
      String text;
      try {
        real = real(f);
        if (stack.contains(real)) {
          disableMemo();
          diags.error(kw, "include cycle: " + f + " is already being read (" + chain(real) + ")");
          continue;
        }
        text = read(f);
      } catch (IOException | RuntimeException e) {
        disableMemo();
        String msg = "cannot read included file " + f + ": " + describe(e);
        if (strict) {
          diags.error(tokens.get(1), msg);
        } else {
          diags.warn(tokens.get(1), msg);
        }
        continue;
      }
      if (++opened > MAX_INCLUDED_FILES) {
        diags.error(kw, "more than " + MAX_INCLUDED_FILES + " files included in all; stopped");
        throw new Lexer.Abort();
      }
      if (memo != null) {
        memo.file(f.toString(), f, real, text);
      }
      stack.push(real);
      try {
        lexer.text(f.toString(), dir(f), text, depth + 1);
      } finally {
        stack.pop();
      }
    }
  }

  /** The files an include pattern names, relative to {@code dir}: braces, then globs, sorted. */
  static List<Path> expand(String pattern, String dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String p : Braces.expand(pattern)) {
      files.addAll(glob(Path.of(dir).resolve(p).normalize()));
    }
    return files;
  }

  private String chain(Path again) {
    List<String> l = new ArrayList<>();
    for (Path p : stack) {
      l.add(0, p.toString());
    }
    l.add(again.toString());
    return String.join(" -> ", l);
  }

  static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e.getClass() == IOException.class && e.getMessage() != null) {
      return e.getMessage(); // ConfigFile's refusals say what the file is
    }
    String n = e.getClass().getSimpleName().replace("Exception", "");
    return e.getMessage() == null ? n : n + " " + e.getMessage();
  }

  private static String dir(Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    return parent == null ? "/" : parent.toString();
  }

  private static Path real(Path f) throws IOException {
    return f.toRealPath();
  }

  /** A regular text file of at most 16 MiB, read within a deadline ({@link ConfigFile}). */
  static String read(Path f) throws IOException {
    return ConfigFile.read(f);
  }

  /** Files matching an absolute pattern whose components may hold * ? [..]; sorted like glob(3). */
  private static List<Path> glob(Path pattern) throws IOException {
    if (!hasMeta(pattern.toString())) {
      return List.of(pattern);
    }
    List<Path> current = List.of(pattern.getRoot() == null ? Path.of("/") : pattern.getRoot());
    for (Path part : pattern) {
      String name = part.toString();
      List<Path> next = new ArrayList<>();
      if (!hasMeta(name)) {
        for (Path c : current) {
          Path p = c.resolve(name);
          if (Files.exists(p)) {
            next.add(p);
          }
        }
      } else {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        for (Path c : current) {
          if (!Files.isDirectory(c)) {
            continue;
          }
          TreeSet<Path> sorted = new TreeSet<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(c)) {
            for (Path e : ds) {
              String fn = e.getFileName().toString();
              if (m.matches(e.getFileName()) && (!fn.startsWith(".") || name.startsWith("."))) {
                sorted.add(e);
                if (sorted.size() > MAX_MATCHES) {
                  throw new IOException("more than " + MAX_MATCHES + " matches");
                }
              }
            }
          }
          next.addAll(sorted);
        }
      }
      current = next;
      if (current.isEmpty()) {
        break;
      }
    }
    return current;
  }

  private static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }
}
