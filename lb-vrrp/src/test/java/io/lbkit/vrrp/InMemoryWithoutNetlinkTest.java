package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * lb-netlink is an optional dependency of lb-vrrp: the in-memory path (InMemoryVrrpNetwork,
 * VrrpRouter, VrrpFailover) runs on a class path without lb-netlink and JNA.
 */
class InMemoryWithoutNetlinkTest {

  /** The scenario, loaded and run inside the class loader without lb-netlink and JNA. */
  public static final class Scenario implements Callable<String> {
    @Override
    public String call() throws Exception {
      ManualClock clock = new ManualClock();
      InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
      FakeAddressManager am = new FakeAddressManager("eth0");
      VrrpFailover f = VrrpFailover.create(() -> VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), am, clock)
          .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run));
      f.setInstances(List.of(VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(150)
          .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build()), List.of());
      clock.advance(Duration.ofSeconds(4));
      String state = f.status().get("VI_1").state() + " " + am.has("eth0", Inet.parse("10.0.0.100"));
      f.close();
      return state;
    }
  }

  @Test
  void inMemoryFailover_runsWithoutLbNetlinkOrJnaOnTheClassPath() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(classPathWithout("lb-netlink", "jna"),
        ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("io.lbkit.netlink.raw.RawIpSocket"))
          .as("the loader really hides lb-netlink").isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> loader.loadClass("com.sun.jna.Native")).isInstanceOf(ClassNotFoundException.class);
      Class<?> c = Class.forName(Scenario.class.getName(), true, loader);
      assertThat(c.getClassLoader()).isSameAs(loader);
      @SuppressWarnings("unchecked")
      Callable<String> scenario = (Callable<String>) c.getConstructor().newInstance();
      assertThat(scenario.call()).isEqualTo("MASTER true");
    }
  }

  /** This test's class path (surefire's, not its booter jar) minus entries whose path names one of {@code hidden}. */
  private static URL[] classPathWithout(String... hidden) throws MalformedURLException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      String name = Path.of(entry).toString();
      boolean hide = false;
      for (String h : hidden) {
        hide |= name.contains("/" + h + "/") || name.contains("/" + h + "-");
      }
      if (!hide && !entry.isEmpty()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }
}
