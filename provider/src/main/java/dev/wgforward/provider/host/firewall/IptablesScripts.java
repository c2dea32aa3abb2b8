package dev.wgforward.provider.host.firewall;

import static dev.wgforward.provider.host.firewall.ScriptText.fail;
import static dev.wgforward.provider.host.firewall.ScriptText.preamble;
import static dev.wgforward.provider.host.firewall.ScriptText.printLines;

import dev.wgforward.provider.host.Shell;
import dev.wgforward.provider.host.firewall.ForwardRuleset.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The iptables backends (iptables-nft and iptables-legacy differ only in the binaries). Each
 * tunnel has its own chains: {@code WGF-<iface>-PRE} and {@code WGF-<iface>-POST} in nat, {@code
 * WGF-<iface>-FWD} in filter, reached by jump rules tagged {@code wgforward:<iface>}. The MSS
 * clamp sits in the filter chain: TCPMSS works in any table on the FORWARD hook, and one chain
 * fewer is one less thing to keep in step.
 */
final class IptablesScripts implements RuleScripts {
    private final FirewallBackend backend;

    IptablesScripts(FirewallBackend backend) {
        this.backend = backend;
    }

    /** Docker's documented chain for user rules; FORWARD jumps to it before Docker's own chains. */
    private static final String DOCKER_USER = "DOCKER-USER";

    /**
     * One family's tools in the scripts: {@code iptables} (shell variables IPT, IPT_SAVE,
     * IPT_RESTORE) or {@code ip6tables} (IP6T, ...), and how addresses are written in its rules.
     */
    enum Family {
        IPV4("IPT", "iptables", "/32", ""), IPV6("IP6T", "ip6tables", "/128", "6");

        final String var;
        final String tool;
        final String hostMask;
        /** Suffix of the family's own shell variables. */
        final String suffix;

        Family(String var, String tool, String hostMask, String suffix) {
            this.var = var;
            this.tool = tool;
            this.hostMask = hostMask;
            this.suffix = suffix;
        }

        boolean ipv6() {
            return this == IPV6;
        }

        /** {@code "$IPT"}. */
        String cmd() {
            return "\"$" + var + "\"";
        }

        String save() {
            return "\"$" + var + "_SAVE\"";
        }

        String restore() {
            return "\"$" + var + "_RESTORE\"";
        }
    }

    @Override
    public String apply(ForwardRuleset ruleset, Optional<String> ownerMark) {
        String iface = ruleset.tunnelInterface();
        StringBuilder script = new StringBuilder(preamble("apply the forwarding rules of tunnel interface " + iface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend, Family.IPV4, true));
        script.append(useIptables(backend, Family.IPV6, ruleset.hasIpv6()));
        script.append(applyFamily(ruleset, ownerMark, Family.IPV4));
        if (ruleset.hasIpv6()) {
            script.append("# The tunnel's IPv6 traffic: the same chains in ip6tables.\n");
            script.append(applyFamily(ruleset, ownerMark, Family.IPV6));
        } else {
            script.append("# An IPv4-only tunnel has no ip6tables chains: ones left from when it had IPv6 go.\n");
            script.append(DELETE_CHAIN_FUNCTION);
            script.append(removeFamilyIfPresent(iface, Family.IPV6));
        }
        return script.toString();
    }

    /** The part of {@link #apply} for one family: its jumps, chains and rules, one restore. */
    private String applyFamily(ForwardRuleset ruleset, Optional<String> ownerMark, Family family) {
        String iface = ruleset.tunnelInterface();
        String pre = RuleNames.iptablesPreroutingChain(iface);
        String post = RuleNames.iptablesPostroutingChain(iface);
        String fwd = RuleNames.iptablesForwardChain(iface);
        String tag = RuleNames.interfaceTag(iface);
        String six = family.suffix;
        String ipt = family.cmd();

        List<String> filter = new ArrayList<>();
        filter.add("*filter");
        filter.add(":" + fwd + " - [0:0]");
        // The owner mark: a rule without a target, which every packet passes through unchanged.
        ownerMark.ifPresent(mark -> filter.add("-A " + fwd + " -m comment --comment " + mark));
        filter.addAll(forwardRules(ruleset, family));
        List<String> nat = new ArrayList<>();
        nat.add("*nat");
        nat.add(":" + pre + " - [0:0]");
        nat.add(":" + post + " - [0:0]");
        nat.addAll(natRules(ruleset, family));

        StringBuilder script = new StringBuilder();
        script.append(restoreWaitOption(family));
        script.append("""
                # With Docker, its DOCKER-USER chain is the place for rules that must come before Docker's;
                # without, the top of FORWARD, ahead of any DROP policy's rules.
                if IPT -w -t filter -S DOCKER-USER >/dev/null 2>&1; then
                  wgf_forward_hookS=DOCKER-USER
                  wgf_forward_hook_unusedS=FORWARD
                else
                  wgf_forward_hookS=FORWARD
                  wgf_forward_hook_unusedS=DOCKER-USER
                fi
                # Jumps are added only when missing. Checked before iptables-restore runs: it holds the
                # xtables lock while reading its input, and iptables -w would wait for it forever.
                """.replace("IPT", ipt).replace("S=", six + "="));
        script.append("wgf_jump_forward" + six + "=''\n");
        script.append(ipt + " -w -t filter -C \"$wgf_forward_hook" + six + "\"").append(jumpSpec(tag, fwd)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_forward" + six + "=\"-I $wgf_forward_hook" + six + " 1 \"").append(Shell.quote(jumpRule(tag, fwd)))
                .append("\n");
        script.append("wgf_jump_prerouting" + six + "=''\n");
        script.append(ipt + " -w -t nat -C PREROUTING").append(preroutingJumpSpec(iface, tag, pre)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_prerouting" + six + "=").append(Shell.quote("-I PREROUTING 1 " + preroutingJumpRule(iface, tag, pre)))
                .append("\n");
        script.append("wgf_jump_postrouting" + six + "=''\n");
        script.append(ipt + " -w -t nat -C POSTROUTING").append(jumpSpec(tag, post)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_postrouting" + six + "=").append(Shell.quote("-I POSTROUTING 1 " + jumpRule(tag, post))).append("\n");
        script.append("""
                # One restore, one atomic commit per table; filter first, so forwarded packets are
                # accepted (or dropped) before DNAT starts sending them. --noflush keeps everything else, and
                # declaring our chains empties them, so these rules replace the previous ones.
                {
                """);
        script.append("  ").append(printLines(filter).replace("\n", "\n  ")).append("\n");
        script.append("  if [ -n \"$wgf_jump_forward" + six + "\" ]; then printf '%s\\n' \"$wgf_jump_forward" + six + "\"; fi\n");
        script.append("  printf '%s\\n' COMMIT\n");
        script.append("  ").append(printLines(nat).replace("\n", "\n  ")).append("\n");
        script.append("  if [ -n \"$wgf_jump_prerouting" + six + "\" ]; then printf '%s\\n' \"$wgf_jump_prerouting" + six + "\"; fi\n");
        script.append("  if [ -n \"$wgf_jump_postrouting" + six + "\" ]; then printf '%s\\n' \"$wgf_jump_postrouting" + six + "\"; fi\n");
        script.append("  printf '%s\\n' COMMIT\n");
        script.append("} | " + family.restore() + " $" + family.var + "_RESTORE_WAIT --noflush\n");
        script.append("# A jump left from before Docker was installed (or removed) would be a second way in.\n");
        script.append("while " + ipt + " -w -t filter -D \"$wgf_forward_hook_unused" + six + "\"").append(jumpSpec(tag, fwd))
                .append(" 2>/dev/null; do :; done\n");
        return script.toString();
    }

    @Override
    public String remove(String tunnelInterface) {
        StringBuilder script = new StringBuilder(preamble("remove the forwarding rules of tunnel interface " + tunnelInterface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend, Family.IPV4, true));
        script.append(useIptables(backend, Family.IPV6, false));
        script.append(DELETE_CHAIN_FUNCTION);
        script.append(removeFamily(tunnelInterface, Family.IPV4));
        script.append(removeFamilyIfPresent(tunnelInterface, Family.IPV6));
        if (backend == FirewallBackend.IPTABLES_NFT) {
            script.append(IptablesNftLeftovers.removeFragment());
        }
        return script.toString();
    }

    /** {@code wgf_delete_chain TOOL TABLE CHAIN}: empties and deletes the chain if it exists. */
    private static final String DELETE_CHAIN_FUNCTION = """
            wgf_delete_chain() {
              if "$1" -w -t "$2" -S "$3" >/dev/null 2>&1; then
                "$1" -w -t "$2" -F "$3"
                "$1" -w -t "$2" -X "$3" \\
                  || { echo "wgforward: could not delete chain $3 from table $2 of $1: does another rule still jump to it?" >&2; exit 1; }
              fi
            }
            """;

    /**
     * Removes one family's chains and jumps; needs {@code wgf_delete_chain}. For IPv6 only when
     * ip6tables is there and its saved rules show our chains: with iptables-legacy even listing a
     * table that does not exist yet would create it.
     */
    private static String removeFamilyIfPresent(String tunnelInterface, Family family) {
        String chainPrefix = "^:WGF-" + tunnelInterface + "-";
        StringBuilder script = new StringBuilder();
        if (!family.ipv6()) {
            return removeFamily(tunnelInterface, family);
        }
        script.append("if [ -n \"$" + family.var + "\" ] && " + family.save() + " 2>/dev/null | grep -q -e "
                + Shell.quote(chainPrefix) + "; then\n");
        script.append("  ").append(removeFamily(tunnelInterface, family).strip().replace("\n", "\n  ")).append("\n");
        script.append("fi\n");
        return script.toString();
    }

    private static String removeFamily(String tunnelInterface, Family family) {
        String pre = RuleNames.iptablesPreroutingChain(tunnelInterface);
        String post = RuleNames.iptablesPostroutingChain(tunnelInterface);
        String fwd = RuleNames.iptablesForwardChain(tunnelInterface);
        String tag = RuleNames.interfaceTag(tunnelInterface);
        String ipt = family.cmd();
        StringBuilder script = new StringBuilder();
        script.append("# " + family.tool + ": nat first, so that nothing is DNATed any more once the filter rules go. Every copy\n");
        script.append("# of a jump is deleted; a chain can only be deleted once nothing jumps to it.\n");
        script.append("while " + ipt + " -w -t nat -D PREROUTING").append(preroutingJumpSpec(tunnelInterface, tag, pre))
                .append(" 2>/dev/null; do :; done\n");
        script.append("while " + ipt + " -w -t nat -D POSTROUTING").append(jumpSpec(tag, post)).append(" 2>/dev/null; do :; done\n");
        script.append("wgf_delete_chain " + ipt + " nat ").append(Shell.quote(pre)).append("\n");
        script.append("wgf_delete_chain " + ipt + " nat ").append(Shell.quote(post)).append("\n");
        script.append("for wgf_hook in FORWARD " + DOCKER_USER + "; do\n");
        script.append("  while " + ipt + " -w -t filter -D \"$wgf_hook\"").append(jumpSpec(tag, fwd)).append(" 2>/dev/null; do :; done\n");
        script.append("done\n");
        script.append("wgf_delete_chain " + ipt + " filter ").append(Shell.quote(fwd)).append("\n");
        return script.toString();
    }

    /**
     * Sets {@code fw_exists} (yes/no: any of the interface's chains, in iptables or ip6tables) and
     * {@code fw_mark} (the FWD chain's owner mark).
     */
    @Override
    public String ownerProbe(String tunnelInterface) {
        String pre = Shell.quote(RuleNames.iptablesPreroutingChain(tunnelInterface));
        String post = Shell.quote(RuleNames.iptablesPostroutingChain(tunnelInterface));
        String fwd = Shell.quote(RuleNames.iptablesForwardChain(tunnelInterface));
        return useIptables(backend, Family.IPV4, true)
                + useIptables(backend, Family.IPV6, false)
                + "fw_exists=no\nfw_mark=''\n"
                + "if \"$IPT\" -w -t filter -S " + fwd + " >/dev/null 2>&1 || \"$IPT\" -w -t nat -S " + pre + " >/dev/null 2>&1 \\\n"
                + "    || \"$IPT\" -w -t nat -S " + post + " >/dev/null 2>&1; then\n"
                + "  fw_exists=yes\n"
                + "  fw_mark=$(\"$IPT\" -w -t filter -S " + fwd + " 2>/dev/null | grep -o 'wgforward-owner=[0-9a-f]*' | head -n 1 || true)\n"
                + "fi\n"
                + "# ip6tables read through its save command: listing a legacy table that does not exist would create it.\n"
                + "if [ -n \"$IP6T\" ]; then\n"
                + "  wgf_saved6=$(\"$IP6T_SAVE\" 2>/dev/null || true)\n"
                + "  if printf '%s\\n' \"$wgf_saved6\" | grep -q -e " + Shell.quote("^:WGF-" + tunnelInterface + "-") + "; then\n"
                + "    fw_exists=yes\n"
                + "    [ -n \"$fw_mark\" ] || fw_mark=$(printf '%s\\n' \"$wgf_saved6\" | grep -e " + Shell.quote("^-A WGF-" + tunnelInterface + "-FWD ")
                + " | grep -o 'wgforward-owner=[0-9a-f]*' | head -n 1 || true)\n"
                + "  fi\n"
                + "fi\n"
                + "fw_what=" + Shell.quote(backend.keyword() + " chains WGF-" + tunnelInterface + "-*") + "\n";
    }

    @Override
    public FirewallState parseListing(String tunnelInterface, String listing) {
        return FirewallState.parseIptables(tunnelInterface, listing);
    }

    @Override
    public String list(String tunnelInterface) {
        String awkProgram = """
                function ours(chain) { return chain == pre || chain == post || chain == fwd }
                /^\\*/ || /^COMMIT$/ { print; next }
                substr($1, 1, 1) == ":" && ours(substr($1, 2)) { print; next }
                $1 == "-A" {
                  if (ours($2)) { print; next }
                  for (i = 3; i < NF; i++) if (($i == "-j" || $i == "-g") && ours($(i + 1))) { print; next }
                }
                """;
        String awk = "awk -v pre=" + Shell.quote(RuleNames.iptablesPreroutingChain(tunnelInterface))
                + " -v post=" + Shell.quote(RuleNames.iptablesPostroutingChain(tunnelInterface))
                + " -v fwd=" + Shell.quote(RuleNames.iptablesForwardChain(tunnelInterface))
                + " \\\n    " + Shell.quote(awkProgram);
        StringBuilder script = new StringBuilder(preamble("list the forwarding rules of tunnel interface " + tunnelInterface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend, Family.IPV4, true));
        script.append(useIptables(backend, Family.IPV6, false));
        script.append("# Our chains, their rules and the jumps into them, in iptables-save format.\n");
        script.append("for wgf_table in filter nat; do\n");
        script.append("  # Saved into a variable first: a failing save then fails the script, in a pipe it wouldn't.\n");
        script.append("  wgf_saved=$(\"$IPT_SAVE\" -t \"$wgf_table\")\n");
        script.append("  printf '%s\\n' \"$wgf_saved\" | ").append(awk).append("\n");
        script.append("done\n");
        script.append("# Then ip6tables', after a marker line: every table it has (naming one would create it with legacy).\n");
        script.append("if [ -n \"$IP6T\" ]; then\n");
        script.append("  wgf_saved=$(\"$IP6T_SAVE\")\n");
        script.append("  if printf '%s\\n' \"$wgf_saved\" | grep -q -e " + Shell.quote("^:WGF-" + tunnelInterface + "-") + "; then\n");
        script.append("    printf '%s\\n' " + Shell.quote(FirewallState.IP6TABLES_MARKER) + "\n");
        script.append("    printf '%s\\n' \"$wgf_saved\" | ").append(awk.replace("\n", "\n  ")).append("\n");
        script.append("  fi\n");
        script.append("fi\n");
        return script.toString();
    }

    /**
     * Sets IPT, IPT_SAVE and IPT_RESTORE (IPv4) or IP6T, IP6T_SAVE and IP6T_RESTORE (IPv6).
     * iptables 1.8 installs both variants with suffixes; older releases have only the unsuffixed,
     * legacy binaries. {@code required}: fail when missing; otherwise the variables are empty.
     */
    private static String useIptables(FirewallBackend backend, Family family, boolean required) {
        String variant = backend == FirewallBackend.IPTABLES_NFT ? "nft" : "legacy";
        String tool = family.tool;
        String v = family.var;
        StringBuilder out = new StringBuilder();
        out.append("if command -v ").append(tool).append("-").append(variant).append(" >/dev/null 2>&1; then\n")
                .append("  ").append(v).append("=").append(tool).append("-").append(variant).append(" ").append(v).append("_SAVE=")
                .append(tool).append("-").append(variant).append("-save ").append(v).append("_RESTORE=").append(tool).append("-")
                .append(variant).append("-restore\n");
        if (backend == FirewallBackend.IPTABLES_LEGACY) {
            out.append("elif command -v ").append(tool).append(" >/dev/null 2>&1 && ! ").append(tool)
                    .append(" --version 2>/dev/null | grep -q nf_tables; then\n")
                    .append("  ").append(v).append("=").append(tool).append(" ").append(v).append("_SAVE=").append(tool).append("-save ")
                    .append(v).append("_RESTORE=").append(tool).append("-restore\n");
        }
        out.append("else\n");
        if (required) {
            out.append("  ").append(fail(tool + "-" + variant + " is not installed on this host")).append("\n");
        } else {
            out.append("  ").append(v).append("='' ").append(v).append("_SAVE='' ").append(v).append("_RESTORE=''\n");
        }
        out.append("fi\n");
        return out.toString();
    }

    /** Sets IPT_RESTORE_WAIT (or IP6T_...) to the option making the restore command wait for the xtables lock, if it has one. */
    private static String restoreWaitOption(Family family) {
        String v = family.var;
        return "# The restore command takes -w (wait for the xtables lock) from 1.6.2; the nft variant needs no lock.\n"
                + v + "_RESTORE_WAIT=''\n"
                + "if \"$" + v + "_RESTORE\" --help 2>&1 | grep -q -e --wait; then " + v + "_RESTORE_WAIT=-w; fi\n";
    }

    private static String jumpRule(String tag, String chain) {
        return "-m comment --comment " + tag + " -j " + chain;
    }

    /** The same rule as arguments of an iptables command (leading space included). */
    private static String jumpSpec(String tag, String chain) {
        return " -m comment --comment " + Shell.quote(tag) + " -j " + Shell.quote(chain);
    }

    /** Only tunnel traffic needs the DNAT chain; the rest of PREROUTING's traffic skips it. */
    private static String preroutingJumpRule(String iface, String tag, String chain) {
        return "-i " + iface + " " + jumpRule(tag, chain);
    }

    private static String preroutingJumpSpec(String iface, String tag, String chain) {
        return " -i " + Shell.quote(iface) + jumpSpec(tag, chain);
    }

    private static List<String> natRules(ForwardRuleset ruleset, Family family) {
        String pre = RuleNames.iptablesPreroutingChain(ruleset.tunnelInterface());
        String post = RuleNames.iptablesPostroutingChain(ruleset.tunnelInterface());
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries(family.ipv6())) {
            Forward forward = entry.forward();
            rules.add("-A " + pre + " -s " + entry.clientAddress() + family.hostMask + " -d " + relay(ruleset, family) + family.hostMask
                    + " -i " + ruleset.tunnelInterface() + " " + protoMatch(forward) + " --dport " + forward.port()
                    + comment(ruleset, entry, RuleRole.DNAT)
                    + " -j DNAT --to-destination " + forward.target());
        }
        for (Entry entry : ruleset.entries(family.ipv6())) {
            rules.add("-A " + post + " " + towardTarget(entry, family) + " " + dnatedFrom(ruleset, entry, family)
                    + comment(ruleset, entry, RuleRole.MASQUERADE) + " -j MASQUERADE");
        }
        return rules;
    }

    private static List<String> forwardRules(ForwardRuleset ruleset, Family family) {
        String fwd = RuleNames.iptablesForwardChain(ruleset.tunnelInterface());
        String iface = ruleset.tunnelInterface();
        String mask = family.hostMask;
        List<Entry> entries = ruleset.entries(family.ipv6());
        List<String> rules = new ArrayList<>();
        // MSS first: TCPMSS changes the SYN / SYN-ACK and lets it continue to the accepts below.
        // --clamp-mss-to-pmtu uses the MTU of the route the packet takes: the tunnel's for the
        // SYN-ACK going back to the client.
        for (Entry entry : entries) {
            Forward forward = entry.forward();
            if (forward.protocol() == Protocol.TCP) {
                rules.add("-A " + fwd + " -s " + entry.clientAddress() + mask + " -d " + forward.targetHost() + mask + " -i " + iface
                        + " -p tcp -m tcp --dport " + forward.targetPort() + " --tcp-flags SYN,RST SYN " + dnatedFrom(ruleset, entry, family)
                        + comment(ruleset, entry, RuleRole.MSS) + " -j TCPMSS --clamp-mss-to-pmtu");
                rules.add("-A " + fwd + " -s " + forward.targetHost() + mask + " -d " + entry.clientAddress() + mask + " -o " + iface
                        + " -p tcp -m tcp --sport " + forward.targetPort() + " --tcp-flags SYN,RST SYN " + dnatedFrom(ruleset, entry, family)
                        + comment(ruleset, entry, RuleRole.MSS_REPLY) + " -j TCPMSS --clamp-mss-to-pmtu");
            }
        }
        for (Entry entry : entries) {
            Forward forward = entry.forward();
            rules.add("-A " + fwd + " -s " + entry.clientAddress() + mask + " -d " + forward.targetHost() + mask + " -i " + iface
                    + " " + protoMatch(forward) + " --dport " + forward.targetPort() + " " + dnatedFrom(ruleset, entry, family)
                    + comment(ruleset, entry, RuleRole.ACCEPT) + " -j ACCEPT");
        }
        // Replies are matched on the connection, not the packet, so that ICMP errors about it
        // (RELATED, e.g. "fragmentation needed" / "packet too big") get back to the client too.
        for (Entry entry : entries) {
            Forward forward = entry.forward();
            rules.add("-A " + fwd + " -o " + iface + " -m conntrack --ctstate RELATED,ESTABLISHED --ctproto "
                    + forward.protocol().keyword() + " --ctorigsrc " + entry.clientAddress()
                    + " --ctorigdst " + relay(ruleset, family) + " --ctreplsrc " + forward.targetHost()
                    + " --ctorigdstport " + forward.port() + " --ctreplsrcport " + forward.targetPort()
                    + comment(ruleset, entry, RuleRole.REPLY) + " -j ACCEPT");
        }
        // Nothing else from the tunnel is forwarded: a client can't use the relay as a router, nor
        // reach another client (or another client's forward: the accepts above name its source).
        // ip6tables gets the same drop for the tunnel's IPv6 traffic.
        rules.add("-A " + fwd + " -i " + iface + " -m comment --comment " + RuleNames.isolationTag(iface) + " -j DROP");
        return rules;
    }

    private static String relay(ForwardRuleset ruleset, Family family) {
        return family.ipv6() ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp();
    }

    private static String towardTarget(Entry entry, Family family) {
        Forward forward = entry.forward();
        return "-s " + entry.clientAddress() + family.hostMask + " -d " + forward.targetHost() + family.hostMask + " "
                + protoMatch(forward) + " --dport " + forward.targetPort();
    }

    /**
     * Only connections our DNAT made: without this, a client routing through the relay could
     * reach target:port directly, and any LAN host's traffic to target:port would be masqueraded.
     */
    private static String dnatedFrom(ForwardRuleset ruleset, Entry entry, Family family) {
        return "-m conntrack --ctstate DNAT --ctorigdst " + relay(ruleset, family) + " --ctorigdstport " + entry.forward().port();
    }

    private static String protoMatch(Forward forward) {
        String proto = forward.protocol().keyword();
        return "-p " + proto + " -m " + proto;
    }

    /** Tags hold no spaces or quotes, so iptables-restore needs no quoting around them. */
    private static String comment(ForwardRuleset ruleset, Entry entry, RuleRole role) {
        return " -m comment --comment " + RuleNames.forwardTag(ruleset.tunnelInterface(), entry.key(), role);
    }
}
