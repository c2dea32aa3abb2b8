package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

/**
 * Keeps a relay's forwarding rules across reboots where systemd runs: the apply script is saved
 * as {@code /etc/wgforward/forwards-<if>.sh} and a oneshot unit runs it at boot. The tunnel itself
 * comes back through {@code wg-quick@<if>}; firewall rules would otherwise be lost. Hosts without
 * systemd are left alone (nothing written): the rules then last until the next reboot.
 */
public final class BootPersistence {
    private BootPersistence() {}

    public static String scriptPath(String tunnelInterface) {
        return "/etc/wgforward/forwards-" + tunnelInterface + ".sh";
    }

    public static String unitName(String tunnelInterface) {
        return "wgforward-forwards-" + tunnelInterface + ".service";
    }

    /** The unit file's text. */
    public static String unit(String tunnelInterface) {
        return "# managed by wgforward: re-applies the forwarding rules of " + tunnelInterface + " at boot\n"
                + "[Unit]\n"
                + "Description=wgforward forwarding rules for " + tunnelInterface + "\n"
                + "After=network-pre.target nftables.service netfilter-persistent.service\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "RemainAfterExit=yes\n"
                + "ExecStart=/bin/sh " + scriptPath(tunnelInterface) + "\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * Saves {@code applyScript} and enables the unit, if systemd runs; prints {@code boot=systemd}
     * or {@code boot=none}.
     */
    public static String install(String tunnelInterface, String applyScript) {
        return "SCRIPT=" + quote(scriptPath(tunnelInterface)) + "\nUNIT=" + quote(unitName(tunnelInterface)) + "\n"
                + "set -eu\n"
                + "if ! { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }; then echo boot=none; exit 0; fi\n"
                + "mkdir -p /etc/wgforward\n"
                + "umask 077\n"
                + "cat > \"$SCRIPT.tmp\" <<'WGFORWARD_EOF'\n" + applyScript + (applyScript.endsWith("\n") ? "" : "\n") + "WGFORWARD_EOF\n"
                + "mv -f \"$SCRIPT.tmp\" \"$SCRIPT\"\n"
                + "umask 022\n"
                + "cat > \"/etc/systemd/system/$UNIT.tmp\" <<'WGFORWARD_EOF'\n" + unit(tunnelInterface) + "WGFORWARD_EOF\n"
                + "mv -f \"/etc/systemd/system/$UNIT.tmp\" \"/etc/systemd/system/$UNIT\"\n"
                + "systemctl daemon-reload\n"
                + "systemctl enable \"$UNIT\" >/dev/null 2>&1\n"
                + "echo boot=systemd\n";
    }

    /** Disables and removes the unit and the saved script; succeeds if they are absent. */
    public static String remove(String tunnelInterface) {
        return "SCRIPT=" + quote(scriptPath(tunnelInterface)) + "\nUNIT=" + quote(unitName(tunnelInterface)) + "\n"
                + "if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then\n"
                + "  systemctl disable \"$UNIT\" >/dev/null 2>&1 || true\n"
                + "fi\n"
                + "rm -f \"/etc/systemd/system/$UNIT\" \"$SCRIPT\"\n"
                + "rmdir /etc/wgforward 2>/dev/null || true\n"
                + "if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi\n";
    }
}
