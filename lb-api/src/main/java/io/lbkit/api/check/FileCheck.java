package io.lbkit.api.check;

/**
 * keepalived's FILE_CHECK (track_file on a real server): a file holding a number.
 * With weight 0 a non-zero number means down; otherwise the number times
 * {@code weight} is added to the server's weight.
 *
 * @param path the file
 * @param weight multiplier, 0 = up/down only
 * @param timing timing
 * @param target unused
 */
public record FileCheck(String path, int weight, CheckTiming timing, CheckTarget target) implements CheckSpec {
  @Override
  public String type() {
    return "FILE_CHECK";
  }
}
