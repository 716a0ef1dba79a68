package io.lbkit.cli;

import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.fleet.FleetStore;
import io.lbkit.fleet.RevisionMismatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl put --etcd URL --key KEY FILE [--if-revision N]}: validates FILE as
 * {@code lbctl check} does (and refuses {@code include}: the stored text is the whole
 * configuration) and stores it under KEY for the fleet's directors. Nothing is written
 * if there is an error, or if {@code --if-revision} no longer matches.
 */
@Command(name = "put", sortOptions = false,
    description = {"Validate a keepalived.conf like lbctl check and store it in etcd for a fleet of directors.",
        "Prints the findings like lbctl check and the revision stored. Nothing is written on an error."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stored (the new revision is printed)", "1:FILE has errors, --if-revision no longer matches, "
        + "or etcd cannot be reached: nothing written", "2:FILE cannot be read, or a usage error"})
final class PutCommand extends Subcommand {
  @ArgGroup(exclusive = false, multiplicity = "1")
  EtcdOptions etcd;

  @Option(names = "--if-revision", paramLabel = "N",
      description = "Store only if KEY is still at revision N (compare-and-swap; 0: only if KEY does not exist).")
  Long ifRevision;

  @Parameters(paramLabel = "FILE", description = "The keepalived.conf to store.")
  String file;

  @Override
  public Integer call() {
    if (ifRevision != null && ifRevision < 0) {
      throw usage("--if-revision must not be negative: " + ifRevision);
    }
    // the same reading rules as check (a regular text file, size and time limits)
    KeepalivedConfig parsed = ConfigFiles.read(name(), file, ConfigFiles.once(), err());
    if (parsed == null) {
      return 2;
    }
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err().println(name() + ": cannot read " + Text.safe(file) + ": " + Text.safe(String.valueOf(e.getMessage())));
      return 2;
    }
    List<Diagnostic> d = FleetStore.check(text, file);
    ConfigFiles.print(d, err());
    if (d.stream().anyMatch(Diagnostic::isError)) {
      err().println(name() + ": " + Text.safe(file) + " has errors: nothing written");
      return 1;
    }
    FleetStore store;
    try {
      store = etcd.open();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    try (store) {
      long rev = store.put(text, ifRevision == null ? OptionalLong.empty() : OptionalLong.of(ifRevision));
      out().println("stored " + Text.safe(file) + " under " + Text.safe(etcd.key) + " at revision " + rev);
      return 0;
    } catch (RevisionMismatchException e) {
      err().println(name() + ": " + Text.safe(e.getMessage()));
      return 1;
    } catch (IOException e) {
      err().println(name() + ": " + Text.safe(String.valueOf(e.getMessage())) + ": nothing written");
      return 1;
    }
  }
}
