/**
 * JMH benchmarks and end-to-end comparisons against ipvsadm and keepalived.
 */
package io.lbkit.bench;
