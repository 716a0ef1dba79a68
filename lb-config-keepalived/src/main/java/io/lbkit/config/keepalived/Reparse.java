package io.lbkit.config.keepalived;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.VirtualService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parse of a file that was parsed before, redoing only what changed: every file of the last
 * parse is read again and its segments hashed ({@link ParseMemo}); the include patterns are expanded again. When nothing
 * changed the last result is the answer. When the one changed segment is a self-contained
 * {@code virtual_server} block ({@link ParseMemo}) and the line count of the file stayed the
 * same, only that block is lexed and mapped (with its own file name and line numbers), and its
 * service and diagnostics replace the old ones. Anything else (no answer here) is a full parse.
 * The result is the one a full parse gives: the property test {@code ReparseTest} checks it.
 */
final class Reparse {
  private Reparse() {}

  /** The new result, or null when a full parse is needed. */
  static KeepalivedConfig tryAgain(KeepalivedConfig prev, ParseMemo memo, Path file,
      KeepalivedConfig.Options o) {
    if (memo == null || memo.disabled() || !sameOptions(memo.options, o)
        || !memo.rootAbsolute.equals(file.toAbsolutePath().normalize())
        || !memo.files.get(0).shown().equals(file.toString())) {
      return null;
    }
    for (ParseMemo.IncludeMemo inc : memo.includes) {
      try {
        if (!Includes.expand(inc.pattern(), inc.dir()).equals(inc.expanded())) {
          return null; // a glob matches other files now
        }
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    int changedFile = -1;
    int changedSeg = -1;
    long[] changedHashes = null;
    String changedText = null;
    for (int i = 0; i < memo.files.size(); i++) {
      ParseMemo.FileMemo f = memo.files.get(i);
      String text;
      try {
        if (!f.path().toRealPath().equals(f.real())) {
          return null;
        }
        text = ConfigFile.read(f.path());
      } catch (IOException | RuntimeException e) {
        return null; // unreadable now: the full parse says so (or throws, for the top file)
      }
      long[] lines = ParseMemo.lineHashes(text);
      if (lines.length != f.lineCount()) {
        return null;
      }
      long[] segs = ParseMemo.fold(lines, f.segEnd());
      for (int k = 0; k < segs.length; k++) {
        if (segs[k] != f.segHash()[k]) {
          if (changedFile >= 0) {
            return null; // two segments changed
          }
          changedFile = i;
          changedSeg = k;
          changedHashes = segs;
          changedText = text;
        }
      }
    }
    if (changedFile < 0) {
      return prev;
    }
    ParseMemo.FileMemo f = memo.files.get(changedFile);
    int from = f.segStart(changedSeg);
    int to = f.segEnd()[changedSeg];
    ParseMemo.Top top = ParseMemo.find(memo.byFile.get(f.shown()), from, to);
    if (top == null || top.service < 0 || top.start != from || top.end != to
        || memo.emitted + (top.end - top.start + 1) > o.maxLines()) {
      return null;
    }
    return block(prev, memo.withSegments(changedFile, changedHashes), f, top, changedText, o);
  }

  /** Lexes and maps lines {@code top.start..top.end} alone; null unless it is still one self-contained block. */
  private static KeepalivedConfig block(KeepalivedConfig prev, ParseMemo next, ParseMemo.FileMemo f,
      ParseMemo.Top top, String text, KeepalivedConfig.Options o) {
    String lines = cut(text, top.start, top.end);
    Diags diags = new Diags();
    long deadline = System.nanoTime() + o.timeout().toNanos();
    diags.deadline(deadline);
    ParseMemo probe = new ParseMemo(o, next.rootAbsolute, true);
    Mapper mapper = new Mapper(diags, o.interfaces());
    mapper.memo(probe);
    TreeBuilder tree = new TreeBuilder(diags, mapper::top);
    Lexer lexer = new Lexer(diags, o.configId(), deadline, o.maxLines(), new Includes(diags), tree);
    lexer.memo(probe);
    LoadBalancerSpec one;
    try {
      Path parent = f.path().toAbsolutePath().normalize().getParent();
      lexer.text(f.shown(), parent == null ? "/" : parent.toString(), lines, 0, top.start - 1);
      one = mapper.map(tree.finish());
    } catch (Lexer.Abort e) {
      return null;
    }
    if (probe.disabled() || tree.braceErrors > 0 || probe.tops.size() != 1 || one.virtualServices().size() != 1) {
      return null;
    }
    ParseMemo.Top t = probe.tops.get(0);
    List<VirtualService> services = prev.spec().virtualServices();
    VirtualService old = services.get(top.service);
    VirtualService now = one.virtualServices().get(0);
    if (t.service != 0 || t.start != top.start || t.end != top.end || !t.file.equals(f.shown())
        || !now.key().equals(old.key())) {
      return null; // another shape, or another key: the blocks around may see it differently
    }
    List<Diagnostic> ds = new ArrayList<>();
    for (Diagnostic d : prev.diagnostics()) {
      if (!inside(d, f.shown(), top)) {
        ds.add(d);
      }
    }
    for (Diagnostic d : diags.sorted()) {
      if (!inside(d, f.shown(), top)) {
        return null;
      }
      ds.add(d);
    }
    if (ds.size() >= Diags.MAX) {
      return null;
    }
    ds.sort(null);
    List<VirtualService> replaced = new ArrayList<>(services);
    replaced.set(top.service, now);
    return KeepalivedConfig.of(prev.spec().withVirtualServices(replaced), List.copyOf(ds), next);
  }

  private static boolean inside(Diagnostic d, String file, ParseMemo.Top top) {
    return d.file().equals(file) && d.line() >= top.start && d.line() <= top.end;
  }

  /** Lines {@code from..to} (1-based) of a text, cut as the lexer cuts them. */
  static String cut(String text, int from, int to) {
    int pos = 0;
    for (int l = 1; l < from; l++) {
      pos = text.indexOf('\n', pos) + 1;
    }
    int end = pos;
    for (int l = from; l <= to; l++) {
      int nl = text.indexOf('\n', end);
      if (nl < 0) {
        end = text.length();
        break;
      }
      end = nl + 1;
    }
    return text.substring(pos, end);
  }

  private static boolean sameOptions(KeepalivedConfig.Options a, KeepalivedConfig.Options b) {
    return a.configId().equals(b.configId()) && a.maxLines() == b.maxLines()
        && Objects.equals(a.interfaces(), b.interfaces());
  }
}
