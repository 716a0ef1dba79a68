package io.lbkit.config.keepalived;

import io.lbkit.api.GlobalDefs;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Route;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the mappers build, with the nodes each value came from for cross-checks. */
final class Model {
  GlobalDefs globals = GlobalDefs.DEFAULT;
  /** lvs_sync_daemon's line, and its 'id' value's token (null when the VRID of its instance is the default). */
  Node syncDaemonNode;
  Token syncIdToken;
  int vrrpVersion = 2;
  final List<VirtualService> services = new ArrayList<>();
  final Map<ServiceKey, Token> serviceNodes = new LinkedHashMap<>();
  final Map<String, List<ServiceKey>> groups = new LinkedHashMap<>();
  final Map<String, Node> groupNodes = new LinkedHashMap<>();
  final List<VrrpInstanceSpec> instances = new ArrayList<>();
  final Map<String, Node> instanceNodes = new LinkedHashMap<>();
  final List<VrrpSyncGroupSpec> syncGroups = new ArrayList<>();
  final Map<String, Node> syncGroupNodes = new LinkedHashMap<>();
  final Map<String, TrackedScript> scripts = new LinkedHashMap<>();
  /** vrrp_script blocks keepalived drops (no script), by name, with the block. */
  final Map<String, Node> droppedScripts = new LinkedHashMap<>();
  /** vrrp_script blocks and MISC_CHECKs in file order, for the script security check. */
  final List<Node> scriptNodes = new ArrayList<>();
  /** vrrp_instance notify lines, for the script security check. */
  final List<Node> notifyNodes = new ArrayList<>();
  final Map<String, Node> trackFiles = new LinkedHashMap<>();
  /** track_file blocks that have a file, by name. */
  final Map<String, io.lbkit.api.vrrp.TrackedFile> files = new LinkedHashMap<>();
  /** track_script / track_file references: name token and kind. */
  final List<Token[]> scriptRefs = new ArrayList<>();
  final List<Token> fileRefs = new ArrayList<>();
  /** sorry_server addresses with their lines, for the own-VIP check. */
  final List<Node> sorryServers = new ArrayList<>();
  final Map<String, List<IfAddress>> staticAddresses = new LinkedHashMap<>();
  final List<Route> staticRoutes = new ArrayList<>();
  /** vrrp_track_process blocks read so far: name to definition lines (for track_process). */
  final Map<String, List<String>> processDefs = new LinkedHashMap<>();
  /** bfd_instance blocks read so far: name to definition lines (for track_bfd). */
  final Map<String, List<String>> bfdDefs = new LinkedHashMap<>();
  /** Times a mapper read a value defined elsewhere in the file (a FILE_CHECK's track_file). */
  int contextReads;
  /** The timing of the last check read, for the next one that is equal to it (CheckMapper shares it). */
  io.lbkit.api.check.CheckTiming lastTiming;
  /** The last TCP_CHECK read and the last real server's checks, shared the same way with equal ones. */
  io.lbkit.api.check.TcpCheck lastTcpCheck;
  java.util.List<io.lbkit.api.check.CheckSpec> lastChecks;

  /**
   * A number that grows with everything but the services a mapper adds or reads: equal before and
   * after a virtual_server means that block changed nothing else and read nothing from elsewhere.
   */
  long sideEffects() {
    return (long) contextReads + groups.size() + groupNodes.size() + instances.size() + instanceNodes.size()
        + syncGroups.size() + syncGroupNodes.size() + scripts.size() + droppedScripts.size() + scriptNodes.size()
        + notifyNodes.size() + trackFiles.size() + files.size() + scriptRefs.size() + fileRefs.size()
        + sorryServers.size() + staticAddresses.size() + staticRoutes.size() + processDefs.size() + bfdDefs.size()
        + (globals == GlobalDefs.DEFAULT ? 0 : 1) + (syncDaemonNode == null ? 0 : 1) + vrrpVersion;
  }
}
