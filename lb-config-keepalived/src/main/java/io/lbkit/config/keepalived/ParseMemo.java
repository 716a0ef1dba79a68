package io.lbkit.config.keepalived;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a parse of a file remembers so that the next parse of the same file can redo only the
 * top-level block that changed ({@link Reparse}): per file read (the top one and each included
 * one, in order) its paths, line count and a 64-bit hash of each top-level statement's lines and of
 * the lines between statements; each {@code include} line's pattern
 * and what it expanded to; and each top-level statement's line span, with, for a
 * <em>self-contained</em> {@code virtual_server} (one key, no group, nothing read from or left in
 * the rest of the model but its one service), the index of its service in the spec. It holds
 * hashes and numbers, not text. A parse that used parameters, conditionals, loops, or anything
 * this cannot follow safely marks it {@link #disable() disabled}: the next parse is a full one.
 */
final class ParseMemo {
  /**
   * One file read: the name diagnostics use, the path as read, its real path, its line count and
   * its segments (each top-level statement's lines, and the lines between them): the last line of
   * each, and a hash of each. While the parse runs, {@code lines} holds a hash per line instead.
   */
  record FileMemo(String shown, Path path, Path real, long[] lines, int lineCount, int[] segEnd, long[] segHash) {
    /** The first line of segment {@code i}. */
    int segStart(int i) {
      return i == 0 ? 1 : segEnd[i - 1] + 1;
    }
  }

  /** One include line: the directory and pattern it expanded, and what they gave. */
  record IncludeMemo(String dir, String pattern, List<Path> expanded) {}

  /** One top-level statement: its file and line span; {@code service} >= 0 for a self-contained virtual_server. */
  static final class Top {
    final String file;
    final int start;
    final int end;
    int service = -1;

    Top(String file, int start, int end) {
      this.file = file;
      this.start = start;
      this.end = end;
    }
  }

  final KeepalivedConfig.Options options;
  final Path rootAbsolute;
  /** True for the memo of a one-block re-parse: an include line there disables it instead of being followed. */
  final boolean probe;
  final List<FileMemo> files = new ArrayList<>();
  final List<IncludeMemo> includes = new ArrayList<>();
  final List<Top> tops = new ArrayList<>();
  /** Per file name: the tops in that file by start line (after {@link #finish}). */
  Map<String, Top[]> byFile = Map.of();
  private final List<String[]> includeLines = new ArrayList<>();
  /** Per file read, its line hashes ({@link #lineHashes}), done when {@link #finish} needs them. */
  private final List<FutureTask<long[]>> lineHashing = new ArrayList<>();
  /** Files this large (in chars) are hashed on a helper thread while the parse goes on. */
  static final int HASH_ASIDE_CHARS = 1 << 20;
  private boolean disabled;
  long emitted;

  ParseMemo(KeepalivedConfig.Options options, Path rootAbsolute, boolean probe) {
    this.options = options;
    this.rootAbsolute = rootAbsolute;
    this.probe = probe;
  }

  void disable() {
    disabled = true;
  }

  boolean disabled() {
    return disabled;
  }

  void file(String shown, Path path, Path real, String text) {
    for (FileMemo f : files) {
      if (f.shown().equals(shown)) {
        disabled = true; // read twice under one name: diagnostics could not be told apart by file:line
      }
    }
    FutureTask<long[]> hashing = new FutureTask<>(() -> lineHashes(text));
    if (text.length() >= HASH_ASIDE_CHARS) { // a large file's lines are hashed on a helper thread, as the lexer reads it
      Thread t = new Thread(hashing, "lbkit-config-hash");
      t.setDaemon(true);
      t.start();
    } else {
      hashing.run();
    }
    files.add(new FileMemo(shown, path, real, null, -1, null, null));
    lineHashing.add(hashing);
  }

  /**
   * File {@code i}'s line hashes, once its helper is done (it was given as long as a parse may
   * take); null if they are not there in time (the memo is then not kept).
   */
  private long[] lineHashesOf(int i) {
    try {
      return lineHashing.get(i).get(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  void include(String dir, String pattern, List<Path> expanded) {
    includes.add(new IncludeMemo(dir, pattern, List.copyOf(expanded)));
  }

  /** An include line at this place (a block around it cannot be re-parsed alone). */
  void includeLine(String file, int line) {
    includeLines.add(new String[] {file, Integer.toString(line)});
  }

  /** A top-level statement handed to the mapper. */
  Top top(Node n) {
    Token end = n.isBlock() ? n.close : n.keyword;
    if (end == null || !end.file().equals(n.keyword.file())) {
      disabled = true; // never closed, or closed in another file
      end = n.keyword;
    }
    Top t = new Top(n.keyword.file(), n.keyword.line(), end.line());
    tops.add(t);
    return t;
  }

  /**
   * After a parse that ran to its end: sorts the statements per file, and keeps as re-parseable
   * only self-contained virtual_servers that share no line with another statement and hold no include;
   * the per-line hashes are folded into one per segment (a self-contained block is one segment).
   */
  void finish(long emittedLines, Diags diags) {
    emitted = emittedLines;
    if (diags.truncated()) {
      disabled = true;
    }
    Map<String, List<Top>> m = new HashMap<>();
    for (Top t : tops) {
      m.computeIfAbsent(t.file, k -> new ArrayList<>()).add(t);
    }
    Map<String, Top[]> out = new HashMap<>();
    for (Map.Entry<String, List<Top>> e : m.entrySet()) {
      Top[] a = e.getValue().toArray(new Top[0]);
      Arrays.sort(a, (x, y) -> Integer.compare(x.start, y.start));
      for (int i = 1; i < a.length; i++) {
        if (a[i].start <= a[i - 1].end) {
          a[i].service = -1;
          a[i - 1].service = -1;
        }
      }
      out.put(e.getKey(), a);
    }
    for (String[] inc : includeLines) {
      Top t = find(out.get(inc[0]), Integer.parseInt(inc[1]), Integer.parseInt(inc[1]));
      if (t != null) {
        t.service = -1;
      }
    }
    byFile = out;
    for (int i = 0; i < files.size(); i++) {
      long[] lines = lineHashesOf(i);
      if (lines == null) {
        disabled = true;
        return;
      }
      FileMemo f = files.get(i);
      f = new FileMemo(f.shown(), f.path(), f.real(), lines, lines.length, null, null);
      java.util.TreeSet<Integer> ends = new java.util.TreeSet<>();
      ends.add(f.lineCount());
      for (Top t : out.getOrDefault(f.shown(), new Top[0])) {
        if (t.start - 1 >= 1 && t.start - 1 <= f.lineCount()) {
          ends.add(t.start - 1);
        }
        if (t.end >= 1 && t.end <= f.lineCount()) {
          ends.add(t.end);
        }
      }
      int[] segEnd = ends.stream().mapToInt(Integer::intValue).toArray();
      files.set(i, new FileMemo(f.shown(), f.path(), f.real(), null, f.lineCount(), segEnd, fold(f.lines(), segEnd)));
    }
    tops.clear();
    includeLines.clear();
    lineHashing.clear();
  }

  /** The statement of a file whose span holds lines {@code from..to}, or null. */
  static Top find(Top[] a, int from, int to) {
    if (a == null) {
      return null;
    }
    int lo = 0;
    int hi = a.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid].start <= from) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    Top t = hi >= 0 ? a[hi] : null;
    return t != null && t.start <= from && to <= t.end ? t : null;
  }

  /** One hash per segment, from the line hashes: segment {@code k} ends at line {@code segEnd[k]}. */
  static long[] fold(long[] lines, int[] segEnd) {
    long[] out = new long[segEnd.length];
    int line = 0;
    for (int k = 0; k < segEnd.length; k++) {
      long h = 0x9e3779b97f4a7c15L + k;
      for (; line < segEnd[k]; line++) {
        h = (h ^ lines[line]) * 0xbf58476d1ce4e5b9L;
        h ^= h >>> 31;
      }
      out[k] = h;
    }
    return out;
  }

  /** The hash of the line {@code text[from, to)} (a method of its own: compiled early, not run interpreted). */
  static long lineHash(String text, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    h ^= to - from;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** {@link #lineHash(String, int, int)} of the same characters in an array. */
  static long lineHash(char[] text, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h = (h ^ text[i]) * 0x100000001b3L;
    }
    h ^= to - from;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** The same memo with file {@code i}'s segment hashes replaced. */
  ParseMemo withSegments(int i, long[] segHash) {
    ParseMemo c = new ParseMemo(options, rootAbsolute, false);
    c.files.addAll(files);
    FileMemo f = files.get(i);
    c.files.set(i, new FileMemo(f.shown(), f.path(), f.real(), null, f.lineCount(), f.segEnd(), segHash));
    c.includes.addAll(includes);
    c.byFile = byFile;
    c.emitted = emitted;
    return c;
  }

  /**
   * A 64-bit hash of each line, cut as the lexer cuts them ({@code \n} or {@code \r\n} ends one;
   * the last line may be empty).
   */
  static long[] lineHashes(String text) {
    return lineHashes(text, 1 << 15);
  }

  /**
   * The same, reading the text {@code window} chars at a time into an array (C1 reads an array
   * several times faster than String.charAt); a line longer than that is read from the String.
   */
  static long[] lineHashes(String text, int window) {
    int len = text.length();
    long[] out = new long[64];
    int n = 0;
    char[] buf = new char[Math.min(len, window)];
    int pos = 0; // where the current line starts in text
    while (true) {
      int m = Math.min(buf.length, len - pos);
      text.getChars(pos, pos + m, buf, 0);
      int ls = 0; // where the current line starts in buf
      for (int i = 0; i < m; i++) {
        if (buf[i] == '\n') {
          out = n == out.length ? Arrays.copyOf(out, n * 2) : out;
          out[n++] = lineHash(buf, ls, i > ls && buf[i - 1] == '\r' ? i - 1 : i);
          ls = i + 1;
        }
      }
      out = n == out.length ? Arrays.copyOf(out, n * 2) : out;
      if (pos + m == len) { // the last line runs to the end
        out[n++] = lineHash(buf, ls, m);
        break;
      }
      if (ls > 0) {
        pos += ls; // the next window starts with the line not finished in this one
        continue;
      }
      int nl = text.indexOf('\n', pos); // a line longer than the window
      int end = nl < 0 ? len : nl;
      out[n++] = lineHash(text, pos, nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : end);
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    return Arrays.copyOf(out, n);
  }
}
