package dev.wgforward.provider.host.firewall;

import static dev.wgforward.provider.host.firewall.ScriptText.preamble;

import dev.wgforward.provider.host.OwnDirectory;
import dev.wgforward.provider.host.Shell;
import java.util.List;

/**
 * The nftables objects iptables-nft creates on first use and never deletes: {@code table ip nat}
 * and its PREROUTING and POSTROUTING chains when wgforward's DNAT is the first nat rule on the
 * relay, likewise {@code table ip filter} and FORWARD. Removing wgforward's rules leaves them
 * behind, empty; removal must leave the relay exactly as before, so what did not exist before
 * wgforward's first apply is recorded on the relay, in {@value #RECORD}, and deleted again
 * once the last of wgforward's iptables-nft chains is gone — if it is empty then (someone may
 * have put rules of their own in it meanwhile; then it stays).
 *
 * <p>The record is one file for the whole relay, not one per tunnel: the second tunnel finds the
 * nat table there already, but the table must outlive the first tunnel's removal as long as the
 * second one uses it. An update finds the objects in place and leaves the record as it is.
 */
public final class IptablesNftLeftovers {
    private IptablesNftLeftovers() {}

    /** Next to wgforward's other files on the relay (see BootPersistence). */
    static final String RECORD = "/etc/wgforward/iptables-nft-created";

    /**
     * Objects wgforward's iptables rules can make iptables-nft create, chains before their tables;
     * the ip6 ones through ip6tables-nft, on a tunnel with IPv6.
     */
    private static final List<String> OBJECTS = List.of(
            "chain ip nat PREROUTING", "chain ip nat POSTROUTING", "chain ip filter FORWARD",
            "table ip nat", "table ip filter",
            "chain ip6 nat PREROUTING", "chain ip6 nat POSTROUTING", "chain ip6 filter FORWARD",
            "table ip6 nat", "table ip6 filter");

    /** {@link #recordMissing(boolean)} for an IPv4-only tunnel: the ip objects only. */
    public static String recordMissing() {
        return recordMissing(false);
    }

    /**
     * A script, to run before wgforward's iptables-nft rules are applied, that adds to the record
     * each of {@link #OBJECTS} that does not exist yet: the ip6 ones only for a tunnel with IPv6
     * ({@code ipv6}: {@link ForwardRuleset#hasIpv6()}), whose rules are the only ones that make
     * ip6tables-nft create them. Without nft nothing is recorded: nothing could be deleted later
     * either.
     */
    public static String recordMissing(boolean ipv6) {
        StringBuilder script = new StringBuilder(preamble("record which iptables-nft tables and chains exist before wgforward's rules"));
        script.append("R=").append(Shell.quote(RECORD)).append("\n").append(OwnDirectory.FUNCTIONS);
        script.append("""
                command -v nft >/dev/null 2>&1 || exit 0
                wgf_note() {
                  if ! nft list "$1" "$2" "$3" ${4:+"$4"} >/dev/null 2>&1 && ! grep -qxF "$1 $2 $3${4:+ $4}" "$R" 2>/dev/null; then
                    wgf_own_dir_make "$(dirname "$R")"
                    printf '%s\\n' "$1 $2 $3${4:+ $4}" >> "$R"
                  fi
                }
                """);
        for (String object : OBJECTS) {
            if (ipv6 || !object.contains(" ip6 ")) {
                script.append("wgf_note ").append(object).append("\n");
            }
        }
        return script.toString();
    }

    /**
     * A fragment of the iptables-nft remove script (after wgforward's chains are gone; {@code
     * IPT_SAVE} is set): deletes the recorded objects that are empty once no wgforward chain is
     * left on the relay, then the record.
     */
    static String removeFragment() {
        StringBuilder script = new StringBuilder();
        script.append("# Tables and chains that only exist because wgforward's rules made iptables-nft create them\n");
        script.append("# go too, once no tunnel uses them and if nobody else put anything in them.\n");
        script.append("R=").append(Shell.quote(RECORD)).append("\n").append(OwnDirectory.FUNCTIONS);
        script.append("""
                if [ -f "$R" ] && ! "$IPT_SAVE" | grep -q '^:WGF-' && { [ -z "${IP6T_SAVE:-}" ] || ! "$IP6T_SAVE" | grep -q '^:WGF-'; } \\
                    && command -v nft >/dev/null 2>&1; then
                  # An empty chain lists as its header, type line and braces; an empty table as two lines (and
                  # newer nft adds a comment that iptables-nft manages the table).
                  wgf_chain_unused() {
                    nft list chain "$1" "$2" "$3" 2>/dev/null | grep -q 'policy accept;' \\
                      && [ "$(nft list chain "$1" "$2" "$3" | grep -cvE '^[[:space:]]*(#.*|table .*\\{|chain .*\\{|type .*;|\\}|)$')" -eq 0 ]
                  }
                  wgf_table_unused() {
                    nft list table "$1" "$2" >/dev/null 2>&1 \\
                      && [ "$(nft list table "$1" "$2" | grep -cvE '^[[:space:]]*(#.*|table .*\\{|\\}|)$')" -eq 0 ]
                  }
                """);
        for (String object : OBJECTS) {
            String[] words = object.split(" ");
            String recorded = "grep -qxF " + Shell.quote(object) + " \"$R\"";
            String rest = object.substring(words[0].length() + 1); // "ip nat PREROUTING", "ip6 filter"
            if (words[0].equals("chain")) {
                script.append("  if ").append(recorded).append(" && wgf_chain_unused ").append(rest)
                        .append("; then nft delete chain ").append(rest).append("; fi\n");
            } else {
                script.append("  if ").append(recorded).append(" && wgf_table_unused ").append(rest)
                        .append("; then nft delete table ").append(rest).append("; fi\n");
            }
        }
        script.append("""
                  rm -f "$R"
                  wgf_own_dir_remove "$(dirname "$R")"
                fi
                """);
        return script.toString();
    }
}
