/**
 * keepalived.conf: lexer and parser for the whole language, mapping to lbkit specs
 * ({@code KeepalivedConfig.parse(...)}), diagnostics with file:line, and export back to text.
 */
package io.lbkit.config.keepalived;
