package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

/**
 * Keeps a relay's forwarding rules across reboots where systemd runs: the apply script is saved
 * as {@code /etc/wgforward/forwards-<if>.sh} and a oneshot unit runs it at boot. The tunnel itself
 * comes back through {@code wg-quick@<if>}; firewall rules would otherwise be lost. Hosts without
 * systemd are left alone (nothing written): the rules then last until the next reboot. Both files
 * carry their owner's mark.
 */
public final class BootPersistence {
    private BootPersistence() {}

    public static String scriptPath(String tunnelInterface) {
        return "/etc/wgforward/forwards-" + tunnelInterface + ".sh";
    }

    public static String unitName(String tunnelInterface) {
        return "wgforward-forwards-" + tunnelInterface + ".service";
    }

    public static String unitPath(String tunnelInterface) {
        return "/etc/systemd/system/" + unitName(tunnelInterface);
    }

    /** The unit file's text. */
    public static String unit(String tunnelInterface, OwnerMark owner) {
        return owner.fileLine() + "\n"
                + "# managed by wgforward: re-applies the forwarding rules of " + tunnelInterface + " at boot\n"
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
    public static String install(String tunnelInterface, OwnerMark owner, String applyScript) {
        return "SCRIPT=" + quote(scriptPath(tunnelInterface)) + "\nUNIT=" + quote(unitName(tunnelInterface)) + "\n"
                + "set -eu\n"
                + "if ! { " + Systemd.RUNS + "; }; then echo boot=none; exit 0; fi\n"
                + OwnDirectory.FUNCTIONS
                + "wgf_own_dir_make /etc/wgforward\n"
                + "umask 077\n"
                + "cat > \"$SCRIPT.tmp\" " + Shell.heredoc("WGFORWARD_BOOT_SCRIPT", owner.fileLine() + "\n" + applyScript)
                + "mv -f \"$SCRIPT.tmp\" \"$SCRIPT\"\n"
                + "umask 022\n"
                + "cat > \"/etc/systemd/system/$UNIT.tmp\" " + Shell.heredoc("WGFORWARD_UNIT", unit(tunnelInterface, owner))
                + "mv -f \"/etc/systemd/system/$UNIT.tmp\" \"/etc/systemd/system/$UNIT\"\n"
                + "systemctl daemon-reload\n"
                + "systemctl enable \"$UNIT\" >/dev/null 2>&1\n"
                + "echo boot=systemd\n";
    }

    /**
     * Disables and removes the unit and the saved script if they are {@code owner}'s (another's are
     * reported as {@code left=...}); succeeds if they are absent.
     */
    public static String remove(String tunnelInterface, OwnerMark owner, OwnerMark.Unmarked unmarked) {
        return "SCRIPT=" + quote(scriptPath(tunnelInterface)) + "\nUNIT=" + quote(unitName(tunnelInterface)) + "\n"
                + owner.guardFunctions(unmarked, "")
                + OwnDirectory.FUNCTIONS
                + "unit_exists=no\n"
                + "[ -f \"/etc/systemd/system/$UNIT\" ] && unit_exists=yes\n"
                + "if wgf_mine \"file /etc/systemd/system/$UNIT\" \"$unit_exists\" \"$(wgf_file_mark \"/etc/systemd/system/$UNIT\")\"; then\n"
                + "  if " + Systemd.RUNS + "; then\n"
                // Ran at boot, the oneshot unit stays active until stopped (it has nothing to undo).
                + "    systemctl stop \"$UNIT\" >/dev/null 2>&1 || true\n"
                + "    systemctl disable \"$UNIT\" >/dev/null 2>&1 || true\n"
                + "  fi\n"
                + "  rm -f \"/etc/systemd/system/$UNIT\" \"$SCRIPT\"\n"
                + "  if " + Systemd.RUNS + "; then systemctl daemon-reload || true; fi\n"
                + "elif [ \"$unit_exists\" = no ] && wgf_mine \"file $SCRIPT\" \"$([ -f \"$SCRIPT\" ] && echo yes || echo no)\" \"$(wgf_file_mark \"$SCRIPT\")\"; then\n"
                + "  rm -f \"$SCRIPT\"\n"
                + "fi\n"
                + "wgf_own_dir_remove /etc/wgforward\n";
    }

    /** Sets {@code boot_exists} and {@code boot_mark} for {@link OwnerMark#guardFunctions}' wgf_claim. */
    public static String ownerProbe(String tunnelInterface) {
        return "boot_file=" + quote(unitPath(tunnelInterface)) + "\n"
                + "boot_exists=no\n"
                + "[ -f \"$boot_file\" ] && boot_exists=yes\n"
                + "boot_mark=$(wgf_file_mark \"$boot_file\")\n";
    }
}
