package io.lbkit.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of DESIGN.md's layering, checked on the sources so they cannot drift: modules point
 * down only (a module's compile-scope lbkit dependencies are of a lower layer), published modules
 * never depend on the fakes or the harness outside tests, and every package of a published module
 * lists its public types in its package-info (the entry classes a newcomer reads first).
 */
class LayeringTest {
  /** Layer of each module: a module may depend (compile/runtime scope) only on lower layers. */
  static final Map<String, Integer> LAYER = Map.ofEntries(
      Map.entry("lb-api", 0),
      Map.entry("lb-testing", 1), Map.entry("lb-netlink", 1), Map.entry("lb-checks", 1),
      Map.entry("lb-config-keepalived", 1),
      Map.entry("lb-vrrp", 2), Map.entry("lb-nftables", 2),
      Map.entry("lb-runtime", 4),
      // measures a LoadBalancerRuntime through its RuntimeListener hooks, so above it
      Map.entry("lb-micrometer", 5),
      Map.entry("lb-fleet", 5), // drives lb-runtime's LoadBalancerRuntime from etcd
      Map.entry("lb-cli", 6), Map.entry("lb-bom", 6),
      Map.entry("examples", 7), Map.entry("lb-bench", 7), Map.entry("lb-consumer-it", 7),
      Map.entry("lb-test-harness", 1));

  /** Modules users depend on: no fakes, no harness, no test framework in their main scope. */
  static final List<String> PUBLISHED = List.of("lb-api", "lb-netlink", "lb-vrrp", "lb-checks",
      "lb-config-keepalived", "lb-nftables", "lb-fleet", "lb-micrometer", "lb-runtime", "lb-cli");

  static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  static final Pattern PUBLIC_TYPE = Pattern.compile(
      "^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
      Pattern.MULTILINE);

  static Path root() {
    String env = System.getenv("LBKIT_PROJECT_ROOT");
    Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath().getParent();
    assertThat(p.resolve("pom.xml")).as("project root %s", p).exists();
    return p;
  }

  static List<String> modules() {
    try {
      String pom = Files.readString(root().resolve("pom.xml"));
      List<String> out = new ArrayList<>();
      Matcher m = Pattern.compile("<module>([\\w-]+)</module>").matcher(pom);
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The module's lbkit dependencies outside test scope. */
  static List<String> mainDependencies(String module) throws IOException {
    String pom = Files.readString(root().resolve(module).resolve("pom.xml"));
    List<String> deps = new ArrayList<>();
    Matcher m = DEPENDENCY.matcher(pom.replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", ""));
    while (m.find()) {
      String d = m.group(1);
      if (d.contains("<groupId>io.lbkit</groupId>") && !d.contains("<scope>test</scope>")
          && !d.contains("<scope>import</scope>")) {
        Matcher a = Pattern.compile("<artifactId>([\\w-]+)</artifactId>").matcher(d);
        if (a.find()) {
          deps.add(a.group(1));
        }
      }
    }
    return deps;
  }

  @Test
  void modules_pointDownOnly() throws IOException {
    List<String> violations = new ArrayList<>();
    for (String module : modules()) {
      if (module.equals("lb-bom")) {
        continue;
      }
      assertThat(LAYER).as("layer of module %s (add it to LayeringTest.LAYER)", module).containsKey(module);
      for (String dep : mainDependencies(module)) {
        if (!LAYER.containsKey(dep) || LAYER.get(dep) >= LAYER.get(module)) {
          violations.add(module + " -> " + dep);
        }
      }
    }
    assertThat(violations).as("compile-scope dependencies that do not point down").isEmpty();
  }

  @Test
  void publishedModules_dependOnNoFakesHarnessOrTestFramework() throws IOException {
    List<String> violations = new ArrayList<>();
    for (String module : modules()) {
      if (!PUBLISHED.contains(module)) {
        continue;
      }
      for (String dep : mainDependencies(module)) {
        if (dep.equals("lb-testing") || dep.equals("lb-test-harness")) {
          violations.add(module + " -> " + dep);
        }
      }
      String pom = Files.readString(root().resolve(module).resolve("pom.xml"));
      Matcher m = DEPENDENCY.matcher(pom);
      while (m.find()) {
        String d = m.group(1);
        if (d.contains("<groupId>org.junit") && !d.contains("<scope>test</scope>")
            && !d.contains("<scope>provided</scope>")) {
          violations.add(module + " -> JUnit at compile scope");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void everyPackage_listsItsPublicTypesInPackageInfo() throws IOException {
    Map<String, List<String>> missing = new TreeMap<>();
    for (String module : modules()) {
      Path src = root().resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(src) || !(PUBLISHED.contains(module) || module.equals("lb-testing"))) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> s = Files.walk(src)) {
        dirs = s.filter(Files::isDirectory).toList();
      }
      for (Path dir : dirs) {
        List<String> publicTypes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            if (f.getFileName().toString().equals("package-info.java")) {
              continue;
            }
            Matcher m = PUBLIC_TYPE.matcher(Files.readString(f));
            if (m.find()) {
              publicTypes.add(m.group(1));
            }
          }
        }
        if (publicTypes.isEmpty() || dir.toString().contains("/internal")) {
          continue;
        }
        String pkg = src.relativize(dir).toString().replace('/', '.');
        Path info = dir.resolve("package-info.java");
        String text = Files.exists(info) ? Files.readString(info) : "";
        List<String> absent = publicTypes.stream()
            .filter(t -> !Pattern.compile("\\b" + t + "\\b").matcher(text).find()).sorted().toList();
        if (!absent.isEmpty()) {
          missing.put(module + " " + pkg, absent);
        }
      }
    }
    assertThat(missing).as("public types not named in their package-info.java").isEmpty();
  }
}
