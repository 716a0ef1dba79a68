/**
 * lbkit's own test harness, not published and not for users: {@link io.lbkit.harness.Tiers}
 * (a tier that cannot run skips with a message, and fails under {@code CI=true}),
 * {@link io.lbkit.harness.KeepalivedCheck} ({@code keepalived -t} as an oracle), the kernel VM
 * ({@link io.lbkit.harness.kernel}) and network namespaces ({@link io.lbkit.harness.netns}).
 */
package io.lbkit.harness;
