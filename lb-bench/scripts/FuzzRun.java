import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one JUnit test method in this JVM (used by fuzz.sh to run a Jazzer {@code @FuzzTest} in
 * fuzzing mode without a Maven start-up per round). Exits 0 if it passed, 1 otherwise.
 *
 * <pre>java -cp TEST_CLASSPATH FuzzRun.java fully.qualified.Class method [LIBFUZZER_FLAG...]</pre>
 *
 * <p>Extra arguments go to libFuzzer after the ones Jazzer derives from the annotation (Jazzer's
 * JUnit integration reads them from the configuration parameters {@code jazzer.internal.arg.N},
 * argument 0 being a program name), so {@code -max_total_time=600} overrides the annotation's
 * {@code maxDuration}: one JVM fuzzes a target for the whole time.
 */
public final class FuzzRun {
  public static void main(String[] args) throws ClassNotFoundException {
    if (args.length < 2) {
      System.err.println("usage: FuzzRun CLASS METHOD [LIBFUZZER_FLAG...]");
      System.exit(2);
    }
    Class<?> testClass = Class.forName(args[0]);
    java.lang.reflect.Method method = java.util.Arrays.stream(testClass.getDeclaredMethods())
        .filter(m -> m.getName().equals(args[1]))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + args[1] + " in " + args[0]));
    LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(testClass, method))
        .configurationParameter("jazzer.internal.arg.0", "fuzzrun");
    for (int i = 2; i < args.length; i++) {
      builder.configurationParameter("jazzer.internal.arg." + (i - 1), args[i]);
    }
    LauncherDiscoveryRequest request = builder.build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new java.io.PrintWriter(System.out, true), 40);
    System.out.printf("FuzzRun tests=%d succeeded=%d failed=%d%n",
        s.getTestsFoundCount(), s.getTestsSucceededCount(), s.getTotalFailureCount());
    System.exit(s.getTestsFoundCount() > 0 && s.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
