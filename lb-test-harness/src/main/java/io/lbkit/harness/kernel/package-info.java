/**
 * The kernel test tier: tests that need IPVS run inside one throw-away VM booted by the
 * project's {@code tools/kernel-vm/vm-run}. Entries: {@link io.lbkit.harness.kernel.KernelVm}
 * (boots the VM from a host-side test) and {@link io.lbkit.harness.kernel.TaggedTestRunner}
 * (the main that runs inside it).
 *
 * <h2>The pattern every module follows</h2>
 * <ol>
 *   <li>Each test that needs IPVS is tagged {@code @Tag("kernel")} and starts with
 *       {@code Tiers.requireIpvs()} (so that running it by hand on a kernel without IPVS
 *       skips it with a message instead of failing obscurely).</li>
 *   <li>The module's pom keeps those tests off the host:
 * <pre>{@code
 * <plugin>
 *   <groupId>org.apache.maven.plugins</groupId>
 *   <artifactId>maven-surefire-plugin</artifactId>
 *   <configuration><excludedGroups>kernel</excludedGroups></configuration>
 * </plugin>
 * }</pre></li>
 *   <li>One host test (untagged, conventionally {@code KernelTierTest}) boots one VM and
 *       runs them all in it, asserting that more than zero ran and all passed:
 * <pre>{@code
 * class KernelTierTest {
 *   @Test
 *   void kernelTaggedTests_runInsideVm_allPass() throws Exception {
 *     KernelVm.forThisModule().runTagged("kernel").assertAllPassed();
 *   }
 * }
 * }</pre></li>
 * </ol>
 *
 * <p>One boot serves the whole module (booting costs 10-30 s under software emulation and
 * the JVM's start inside several more). The VM sees this machine's files read-only and the
 * project plus {@code ~/.m2} read-write, so the host's Java and the compiled test classes
 * run unchanged; {@code LBKIT_IN_VM=1} and {@code CI} are set inside. The console goes to
 * {@code target/kernel-vm/kernel.log}. Without root or QEMU the host test skips, and under
 * {@code CI=true} it fails, like every tier (see {@link io.lbkit.harness.Tiers}).
 *
 * <p>To run a module's kernel tier by hand, or a single test in the VM:
 * <pre>
 * mvn -o -pl lb-netlink -am verify -Dtest=KernelTierTest -Dsurefire.failIfNoSpecifiedTests=false
 * tools/kernel-vm/vm-run --share . --cwd lb-netlink -- ipvsadm -L -n
 * </pre>
 */
package io.lbkit.harness.kernel;
