/**
 * {@code lbctl}, the lbkit command line: {@link io.lbkit.cli.Lbctl} is the
 * entry point; each subcommand is one package-private class listed in {@code Commands}.
 */
package io.lbkit.cli;
