/**
 * How scripts (vrrp_script, notify, MISC_CHECK) are run: {@link io.lbkit.api.script.ScriptPolicy}
 * (keepalived's {@code script_user} and {@code enable_script_security}: who a script runs as, and
 * which scripts are refused as unsafe) and {@link io.lbkit.api.script.ScriptUser} (a resolved
 * user, and the {@code setpriv} prefix that drops root's privileges before the script starts).
 */
package io.lbkit.api.script;
