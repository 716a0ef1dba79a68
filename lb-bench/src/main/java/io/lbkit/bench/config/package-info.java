/**
 * keepalived.conf parse speed: {@link io.lbkit.bench.config.ParseKeepalivedConf} (run by
 * {@code scripts/parse-vs-keepalived.sh} against {@code keepalived -t}) and the JMH
 * benchmark {@link io.lbkit.bench.config.ConfigParseBenchmark}.
 */
package io.lbkit.bench.config;
