/**
 * {@code lbctl}, the lbkit command line: {@link io.lbkit.examples.lbctl.Lbctl} is the
 * entry point; each subcommand is one package-private class listed in {@code Commands}.
 */
package io.lbkit.examples.lbctl;
