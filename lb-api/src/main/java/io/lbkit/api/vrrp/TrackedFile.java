package io.lbkit.api.vrrp;

import java.nio.file.Path;
import java.util.Objects;

/**
 * keepalived's {@code track_file} block (the deprecated {@code vrrp_track_file} is the
 * same): a file holding a number, re-read when it changes. With weight 0 a non-zero value
 * is a failure (FAULT); otherwise the value times the weight (negated with
 * {@code reverse}) is added to the priority of each instance tracking it.
 *
 * @param name the block's name, as instances' {@code track_file} refer to it
 * @param path the {@code file} to read
 * @param weight default weight (keepalived's default 1), -254..254 (keepalived 2.2 rejects more, though its
 *     manual shows a wider range)
 * @param reverse {@code weight N reverse}: the adjustment goes the other way
 * @param initValue {@code init_file [VALUE]}: the value written at start (0 when
 *     {@code init_file} has none), or null when there is no {@code init_file}
 * @param initOverwrite {@code init_file ... overwrite}: write it even if the file exists
 */
public record TrackedFile(String name, Path path, int weight, boolean reverse, Long initValue,
    boolean initOverwrite) {

  /** Validates. */
  public TrackedFile {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("track_file needs a name");
    }
    Objects.requireNonNull(path, "track_file " + name + ": file");
    if (weight < -254 || weight > 254) {
      throw new IllegalArgumentException("track_file " + name + " weight out of range -254..254: " + weight);
    }
    if (initOverwrite && initValue == null) {
      throw new IllegalArgumentException("track_file " + name + ": overwrite without init_file");
    }
  }

  /** A track file with weight 1 and no init_file, as keepalived defaults. */
  public static TrackedFile of(String name, Path path) {
    return new TrackedFile(name, path, 1, false, null, false);
  }
}
