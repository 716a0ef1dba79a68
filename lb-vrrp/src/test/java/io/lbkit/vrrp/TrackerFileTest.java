package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** track_file: a file's value times its weight, {@code reverse}, and init_file. */
class TrackerFileTest {
  @TempDir Path dir;

  private Tracker tracker(Map<String, Tracker.TrackFile> files) {
    return new Tracker(new ManualClock(), Runnable::run, ProcessRunner.processes(), i -> true, Map.of(), files,
        () -> { }, io.lbkit.api.script.ScriptPolicy.NONE);
  }

  /** Tracks {@code file} with the instance's own weight, or the block's when {@code weight} is null. */
  private static VrrpInstanceSpec tracking(String file, Integer weight) {
    VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1", "eth0", 1).priority(100);
    b.trackFiles = Map.of(file, weight == null ? OptionalInt.empty() : OptionalInt.of(weight));
    return b.build();
  }

  @Test
  void fileValue_timesTheFilesWeight_addsToPriority_andReverseSubtracts() throws Exception {
    Path p = dir.resolve("prio");
    Files.writeString(p, "3\n");
    assertThat(tracker(Map.of("tf", new Tracker.TrackFile(p, 5))).verdict(tracking("tf", null)).priority())
        .isEqualTo(115);
    assertThat(tracker(Map.of("tf", new Tracker.TrackFile(p, 5, true, null, false))).verdict(tracking("tf", null))
        .priority()).isEqualTo(85);
  }

  @Test
  void instanceWeight_overridesTheFilesWeightAndItsReverse() throws Exception {
    Path p = dir.resolve("prio");
    Files.writeString(p, "2");
    Tracker t = tracker(Map.of("tf", new Tracker.TrackFile(p, 5, true, null, false)));
    assertThat(t.verdict(tracking("tf", 10)).priority()).isEqualTo(120);
  }

  @Test
  void initFile_createsAMissingFile_keepsAnExistingOne_unlessOverwrite() throws Exception {
    Path missing = dir.resolve("missing");
    Path kept = dir.resolve("kept");
    Path over = dir.resolve("over");
    Files.writeString(kept, "7\n");
    Files.writeString(over, "7\n");
    tracker(Map.of("a", new Tracker.TrackFile(missing, 1, false, 4L, false),
        "b", new Tracker.TrackFile(kept, 1, false, 4L, false),
        "c", new Tracker.TrackFile(over, 1, false, -2L, true))).initFiles();
    assertThat(Files.readString(missing).trim()).isEqualTo("4");
    assertThat(Files.readString(kept).trim()).isEqualTo("7");
    assertThat(Files.readString(over).trim()).isEqualTo("-2");
  }

  @Test
  void weightZero_nonZeroValue_isAFault() throws Exception {
    Path p = dir.resolve("prio");
    Files.writeString(p, "1");
    assertThat(tracker(Map.of("tf", new Tracker.TrackFile(p, 0))).verdict(tracking("tf", null)).fault())
        .contains("holds 1");
  }

  @Test
  void instanceWeightZero_overridesTheBlocksWeight_nonZeroIsAFault_zeroIsFine() throws Exception {
    Path p = dir.resolve("prio");
    Files.writeString(p, "4");
    Tracker t = tracker(Map.of("tf", new Tracker.TrackFile(p, 5)));
    assertThat(t.verdict(tracking("tf", 0)).fault()).contains("holds 4");
    assertThat(t.verdict(tracking("tf", null)).priority()).isEqualTo(120); // the block's weight 5
    Files.writeString(p, "0");
    assertThat(t.verdict(tracking("tf", 0)).fault()).isNull();
    assertThat(t.verdict(tracking("tf", 0)).priority()).isEqualTo(100);
  }

  @Test
  void valueTimesWeightBelowMinus253_isAFault_asKeepalived() throws Exception {
    Path p = dir.resolve("prio");
    Tracker t = tracker(Map.of("tf", new Tracker.TrackFile(p, 127)));
    Files.writeString(p, "-2"); // -254
    assertThat(t.verdict(tracking("tf", null)).fault()).contains("below -253");
    Files.writeString(p, "-1"); // -127: priority 100 - 127, limited to 1
    assertThat(t.verdict(tracking("tf", null)).fault()).isNull();
    assertThat(t.verdict(tracking("tf", null)).priority()).isEqualTo(1);
    Files.writeString(p, "5"); // 635: limited, priority 254
    assertThat(t.verdict(tracking("tf", null)).priority()).isEqualTo(254);
  }

  @Test
  void blockWeightZeroReverse_zeroIsAFault_nonZeroIsFine() throws Exception {
    Path p = dir.resolve("prio");
    Files.writeString(p, "0");
    Tracker t = tracker(Map.of("tf", new Tracker.TrackFile(p, 0, true, null, false)));
    assertThat(t.verdict(tracking("tf", null)).fault()).contains("holds 0");
    Files.writeString(p, "3");
    assertThat(t.verdict(tracking("tf", null)).fault()).isNull();
  }
}
