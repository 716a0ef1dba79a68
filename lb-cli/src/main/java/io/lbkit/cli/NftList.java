package io.lbkit.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code lbctl show --nft}: lbkit's tables as {@code nft list table inet lbkit} (NAT) and
 * {@code nft list table netdev lbkit} (direct routing, when there is one) print them, by
 * running those commands (read-only; in {@code --netns} through {@code ip netns exec}). Why a
 * process here when lbkit never writes through one: the text is nft's own rendering of every
 * expression, set and counter, and a second renderer in Java would be a copy of nft's printer
 * that drifts from it; what operators compare with is what nft prints. The programs are
 * taken from the system directories only (never from PATH), the run has a deadline, and a
 * missing nft, table or namespace is one line saying so.
 */
final class NftList {
  static final long DEADLINE_SECONDS = 30;
  private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  /** What ran: the text printed, or the reason there is none. */
  record Result(String text, String error) {
    /** True when the table is not there (the other may be). */
    boolean missing() {
      return error != null && error.startsWith(MISSING);
    }
  }

  private static final String MISSING = "no table ";

  private NftList() {}

  static Result list(String netns) throws IOException {
    Result inet = list(netns, "inet");
    if (inet.error() != null && !inet.missing()) {
      return inet;
    }
    Result netdev = list(netns, "netdev");
    if (netdev.error() != null && !netdev.missing()) {
      return netdev;
    }
    if (inet.missing() && netdev.missing()) {
      return new Result(null, "no table inet lbkit or netdev lbkit" + (netns == null ? "" : " in namespace " + netns));
    }
    return new Result((inet.missing() ? "" : inet.text()) + (netdev.missing() ? "" : netdev.text()), null);
  }

  private static Result list(String netns, String family) throws IOException {
    Path nft = find("nft");
    if (nft == null) {
      return new Result(null, "nft is not installed (Debian package nftables); the table reads without it: "
          + "lbctl show --dataplane nftables");
    }
    List<String> argv = new ArrayList<>();
    if (netns != null) {
      if (!NETNS.matcher(netns).matches() || netns.startsWith(".")) {
        return new Result(null, "not a namespace name: \"" + Text.safe(netns) + "\"");
      }
      Path ip = find("ip");
      if (ip == null) {
        return new Result(null, "ip is not installed (Debian package iproute2), needed for --netns");
      }
      argv.addAll(List.of(ip.toString(), "netns", "exec", netns));
    }
    argv.addAll(List.of(nft.toString(), "list", "table", family, "lbkit"));
    Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(null, "nft list table " + family + " lbkit did not finish within " + DEADLINE_SECONDS + " s");
      }
      String text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      String why = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
      if (p.exitValue() == 0) {
        return new Result(text, null);
      }
      if (why.contains("No such file or directory") && why.contains("list table")) {
        return new Result(null, MISSING + family + " lbkit" + (netns == null ? "" : " in namespace " + netns));
      }
      return new Result(null, "nft list table " + family + " lbkit failed (exit " + p.exitValue() + "): "
          + Text.safe(why.lines().findFirst().orElse("")));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while nft ran", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("cannot read nft's output", e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
        in.transferTo(b);
        return b.toByteArray();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static Path find(String program) {
    for (String d : DIRS) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
