package io.lbkit.cli;

import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.fleet.DirectorStatus;
import io.lbkit.fleet.FleetStore;
import io.lbkit.fleet.StoredConfig;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lbctl fleet status}: a fleet of directors following one configuration in etcd. */
@Command(name = "fleet", description = "A fleet of directors following one keepalived.conf stored in etcd.",
    subcommands = {FleetCommand.Status.class})
final class FleetCommand extends Subcommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return 2;
  }

  /**
   * {@code lbctl fleet status --etcd URL --key KEY [--json]}: the stored revision and every
   * registered director (gone when its lease expires): the revision it applied, whether
   * that is current, etcd and config problems it reports, the VIPs it announces and its
   * real servers' health as its checks see it.
   */
  @Command(name = "status", sortOptions = false,
      description = "The stored revision and every registered director: applied revision, VIPs announced, "
          + "real-server health as each sees it.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:printed", "1:etcd cannot be reached", "2:a usage error"})
  static final class Status implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = false, multiplicity = "1")
    EtcdOptions etcd;

    @Option(names = "--json", description = "One JSON object: key, revision, directors.")
    boolean json;

    @Override
    public Integer call() {
      String me = "lbctl fleet status";
      FleetStore store;
      try {
        store = etcd.open();
      } catch (IllegalArgumentException e) {
        fleet.err().println(me + ": " + Text.safe(e.getMessage()));
        return 2;
      }
      try (store) {
        Optional<StoredConfig> c = store.read();
        List<DirectorStatus> ds = store.directors();
        long rev = c.map(StoredConfig::revision).orElse(0L);
        fleet.out().println(json ? json(rev, ds) : table(rev, ds));
        return 0;
      } catch (IOException e) {
        fleet.err().println(me + ": " + Text.safe(String.valueOf(e.getMessage())));
        return 1;
      }
    }

    private String json(long rev, List<DirectorStatus> ds) {
      StringBuilder sb = new StringBuilder("{\"key\":").append(LoadBalancerStatus.jsonString(etcd.key)).append(",\"revision\":").append(rev)
          .append(",\"directors\":[");
      String sep = "";
      for (DirectorStatus d : ds) {
        sb.append(sep).append(d.toJson());
        sep = ",";
      }
      return sb.append("]}").toString();
    }

    private String table(long rev, List<DirectorStatus> ds) {
      StringBuilder sb = new StringBuilder();
      sb.append(Text.safe(etcd.key)).append(rev == 0 ? ": no configuration stored" : " at revision " + rev)
          .append(", ").append(ds.size()).append(" director(s)\n");
      for (DirectorStatus d : ds) {
        sb.append(Text.safe(d.name())).append(": applied ").append(d.appliedRevision())
            .append(d.current() ? " (current)" : " (latest seen " + d.latestRevision() + ")")
            .append(", announces ").append(d.announced().isEmpty() ? "nothing" : String.join(" ", d.announced()))
            .append('\n');
        if (!d.etcdProblem().isEmpty()) {
          sb.append("  etcd: ").append(Text.safe(d.etcdProblem())).append('\n');
        }
        if (!d.configError().isEmpty()) {
          sb.append("  config: ").append(Text.safe(d.configError())).append('\n');
        }
        d.health().forEach((k, v) -> sb.append("  ").append(Text.safe(k)).append(": ").append(Text.safe(v))
            .append('\n'));
      }
      return sb.toString().stripTrailing();
    }
  }
}
