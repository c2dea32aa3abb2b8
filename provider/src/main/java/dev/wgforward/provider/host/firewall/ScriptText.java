package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.Shell;
import java.util.List;

/** Pieces shared by the generated sh scripts. */
final class ScriptText {
    private ScriptText() {}

    /** Start of every script: strict mode and a PATH that finds the firewall tools. */
    static String preamble(String purpose) {
        return "#!/bin/sh\n"
                + "# wgforward: " + purpose + "\n"
                + "set -eu\n"
                + "# A non-login root shell (sh -s over SSH) may lack the sbin directories the tools live in.\n"
                + "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"\n"
                + "export PATH\n";
    }

    /**
     * A command writing {@code lines} to stdout, each single-quoted, one per script line; the
     * caller pipes it into a tool. Piping matters: the script itself arrives on sh's stdin, so a
     * tool reading an inherited stdin would swallow the rest of the script.
     */
    static String printLines(List<String> lines) {
        StringBuilder out = new StringBuilder("printf '%s\\n'");
        for (String line : lines) {
            out.append(" \\\n  ").append(Shell.quote(line));
        }
        return out.toString();
    }

    /** A message on stderr and exit 1. */
    static String fail(String message) {
        return "{ echo " + Shell.quote("wgforward: " + message) + " >&2; exit 1; }";
    }
}
