package io.lbkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AddressManager} shares, whether it is lb-testing's
 * {@code FakeAddressManager} or lb-netlink's kernel adapter: run against both, it keeps
 * the fake from drifting away from the kernel. Subclass it and give each test a fresh
 * interface without addresses of the kinds used here (TEST-NET {@code 192.0.2.0/24},
 * {@code 198.51.100.0/24}, {@code 2001:db8::/32}):
 *
 * <pre>{@code
 * class FakeAddressManagerContractTest extends AddressManagerContract {
 *   private final FakeAddressManager fake = new FakeAddressManager("vip0");
 *   protected AddressManager manager() { return fake; }
 *   protected String interfaceName() { return "vip0"; }
 * }
 * }</pre>
 *
 * <p>The kernel lists addresses the contract did not add (an IPv6 link-local one once
 * the interface is up), so the tests look for their own addresses, not for equality.
 */
public abstract class AddressManagerContract {

  /** For subclasses. */
  protected AddressManagerContract() {}

  /** The manager under test, fresh for each test. */
  protected abstract AddressManager manager() throws IOException;

  /** An existing interface that holds none of the test addresses. */
  protected abstract String interfaceName();

  /** An interface name that does not exist. */
  protected String missingInterface() {
    return "lbtnosuch0";
  }

  private static final IfAddress V4 = IfAddress.parse("192.0.2.200");
  private static final IfAddress V6 = IfAddress.parse("2001:db8::200");

  @Test
  void add_newIpv4Vip_returnsDoneAndIsListed() throws IOException {
    assertEquals(Change.DONE, manager().add(interfaceName(), V4));
    assertTrue(listed(V4), () -> "192.0.2.200/32 not listed: " + shown());
  }

  @Test
  void add_sameAddressTwice_returnsAlready() throws IOException {
    manager().add(interfaceName(), V4);
    assertEquals(Change.ALREADY, manager().add(interfaceName(), V4));
    assertEquals(1, list().stream().filter(a -> a.address().equals(V4.address())).count());
  }

  @Test
  void remove_presentAddress_returnsDoneAndIsGone() throws IOException {
    manager().add(interfaceName(), V4);
    assertEquals(Change.DONE, manager().remove(interfaceName(), V4));
    assertFalse(listed(V4), () -> "still listed: " + shown());
  }

  @Test
  void remove_absentAddress_returnsAlready() throws IOException {
    assertEquals(Change.ALREADY, manager().remove(interfaceName(), IfAddress.parse("192.0.2.201")));
  }

  @Test
  void add_ipv6VipWithoutDad_returnsDoneListedAndRemovable() throws IOException {
    assertTrue(V6.noDad(), "IfAddress.vip of an IPv6 address asks for NODAD");
    assertEquals(Change.DONE, manager().add(interfaceName(), V6));
    assertTrue(listed(V6), () -> "2001:db8::200/128 not listed: " + shown());
    assertEquals(Change.ALREADY, manager().add(interfaceName(), V6));
    assertEquals(Change.DONE, manager().remove(interfaceName(), V6));
    assertEquals(Change.ALREADY, manager().remove(interfaceName(), V6));
  }

  @Test
  void add_twoAddressesInOneSubnet_bothListed() throws IOException {
    IfAddress a = IfAddress.parse("198.51.100.1/24");
    IfAddress b = IfAddress.parse("198.51.100.2/24");
    assertEquals(Change.DONE, manager().add(interfaceName(), a));
    assertEquals(Change.DONE, manager().add(interfaceName(), b));
    assertTrue(listed(a) && listed(b), () -> "not both listed: " + shown());
  }

  @Test
  void addresses_missingInterface_throwsKernelExceptionNamingEnodev() {
    KernelException e = assertThrows(KernelException.class, () -> manager().addresses(missingInterface()));
    assertEquals(Errno.ENODEV, e.errno(), e::getMessage);
    assertTrue(e.getMessage().contains(missingInterface()), e::getMessage);
  }

  @Test
  void add_missingInterface_throwsKernelException() {
    KernelException e = assertThrows(KernelException.class, () -> manager().add(missingInterface(), V4));
    assertEquals(Errno.ENODEV, e.errno(), e::getMessage);
  }

  private List<IfAddress> list() throws IOException {
    return manager().addresses(interfaceName());
  }

  /** The listing for a failure message (the listing failing is itself worth saying). */
  private String shown() {
    try {
      return list().toString();
    } catch (IOException e) {
      return "(listing failed: " + e.getMessage() + ")";
    }
  }

  private boolean listed(IfAddress want) throws IOException {
    for (IfAddress a : list()) {
      if (a.address().equals(want.address()) && a.prefixLength() == want.prefixLength()) {
        return true;
      }
    }
    return false;
  }
}
