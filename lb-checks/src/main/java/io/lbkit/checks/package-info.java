/**
 * Health checking: keepalived's checkers (TCP, HTTP/SSL GET, SMTP, DNS, UDP, PING, MISC,
 * FILE), a custom-checker SPI, and a scheduler that runs thousands of checks from one thread.
 */
package io.lbkit.checks;
