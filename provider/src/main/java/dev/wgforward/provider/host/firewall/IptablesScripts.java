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

    @Override
    public String apply(ForwardRuleset ruleset, Optional<String> ownerMark) {
        String iface = ruleset.tunnelInterface();
        String pre = RuleNames.iptablesPreroutingChain(iface);
        String post = RuleNames.iptablesPostroutingChain(iface);
        String fwd = RuleNames.iptablesForwardChain(iface);
        String tag = RuleNames.interfaceTag(iface);

        List<String> filter = new ArrayList<>();
        filter.add("*filter");
        filter.add(":" + fwd + " - [0:0]");
        // The owner mark: a rule without a target, which every packet passes through unchanged.
        ownerMark.ifPresent(mark -> filter.add("-A " + fwd + " -m comment --comment " + mark));
        filter.addAll(forwardRules(ruleset));
        List<String> nat = new ArrayList<>();
        nat.add("*nat");
        nat.add(":" + pre + " - [0:0]");
        nat.add(":" + post + " - [0:0]");
        nat.addAll(natRules(ruleset));

        StringBuilder script = new StringBuilder(preamble("apply the forwarding rules of tunnel interface " + iface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend));
        script.append(restoreWaitOption());
        script.append("""
                # With Docker, its DOCKER-USER chain is the place for rules that must come before Docker's;
                # without, the top of FORWARD, ahead of any DROP policy's rules.
                if "$IPT" -w -t filter -S DOCKER-USER >/dev/null 2>&1; then
                  wgf_forward_hook=DOCKER-USER
                  wgf_forward_hook_unused=FORWARD
                else
                  wgf_forward_hook=FORWARD
                  wgf_forward_hook_unused=DOCKER-USER
                fi
                # Jumps are added only when missing. Checked before iptables-restore runs: it holds the
                # xtables lock while reading its input, and iptables -w would wait for it forever.
                """);
        script.append("wgf_jump_forward=''\n");
        script.append("\"$IPT\" -w -t filter -C \"$wgf_forward_hook\"").append(jumpSpec(tag, fwd)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_forward=\"-I $wgf_forward_hook 1 \"").append(Shell.quote(jumpRule(tag, fwd))).append("\n");
        script.append("wgf_jump_prerouting=''\n");
        script.append("\"$IPT\" -w -t nat -C PREROUTING").append(preroutingJumpSpec(iface, tag, pre)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_prerouting=").append(Shell.quote("-I PREROUTING 1 " + preroutingJumpRule(iface, tag, pre))).append("\n");
        script.append("wgf_jump_postrouting=''\n");
        script.append("\"$IPT\" -w -t nat -C POSTROUTING").append(jumpSpec(tag, post)).append(" 2>/dev/null \\\n")
                .append("  || wgf_jump_postrouting=").append(Shell.quote("-I POSTROUTING 1 " + jumpRule(tag, post))).append("\n");
        script.append("""
                # One iptables-restore, one atomic commit per table; filter first, so forwarded packets are
                # accepted (or dropped) before DNAT starts sending them. --noflush keeps everything else, and
                # declaring our chains empties them, so these rules replace the previous ones.
                {
                """);
        script.append("  ").append(printLines(filter).replace("\n", "\n  ")).append("\n");
        script.append("  if [ -n \"$wgf_jump_forward\" ]; then printf '%s\\n' \"$wgf_jump_forward\"; fi\n");
        script.append("  printf '%s\\n' COMMIT\n");
        script.append("  ").append(printLines(nat).replace("\n", "\n  ")).append("\n");
        script.append("  if [ -n \"$wgf_jump_prerouting\" ]; then printf '%s\\n' \"$wgf_jump_prerouting\"; fi\n");
        script.append("  if [ -n \"$wgf_jump_postrouting\" ]; then printf '%s\\n' \"$wgf_jump_postrouting\"; fi\n");
        script.append("  printf '%s\\n' COMMIT\n");
        script.append("} | \"$IPT_RESTORE\" $IPT_RESTORE_WAIT --noflush\n");
        script.append("# A jump left from before Docker was installed (or removed) would be a second way in.\n");
        script.append("while \"$IPT\" -w -t filter -D \"$wgf_forward_hook_unused\"").append(jumpSpec(tag, fwd))
                .append(" 2>/dev/null; do :; done\n");
        return script.toString();
    }

    @Override
    public String remove(String tunnelInterface) {
        String pre = RuleNames.iptablesPreroutingChain(tunnelInterface);
        String post = RuleNames.iptablesPostroutingChain(tunnelInterface);
        String fwd = RuleNames.iptablesForwardChain(tunnelInterface);
        String tag = RuleNames.interfaceTag(tunnelInterface);
        StringBuilder script = new StringBuilder(preamble("remove the forwarding rules of tunnel interface " + tunnelInterface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend));
        script.append("wgf_delete_chain() {\n")
                .append("  if \"$IPT\" -w -t \"$1\" -S \"$2\" >/dev/null 2>&1; then\n")
                .append("    \"$IPT\" -w -t \"$1\" -F \"$2\"\n")
                .append("    \"$IPT\" -w -t \"$1\" -X \"$2\" \\\n")
                .append("      || { echo \"wgforward: could not delete chain $2 from table $1: does another rule still jump to it?\" >&2; exit 1; }\n")
                .append("  fi\n")
                .append("}\n");
        script.append("# nat first, so that nothing is DNATed any more once the filter rules go. Every copy of a\n");
        script.append("# jump is deleted; a chain can only be deleted once nothing jumps to it.\n");
        script.append("while \"$IPT\" -w -t nat -D PREROUTING").append(preroutingJumpSpec(tunnelInterface, tag, pre))
                .append(" 2>/dev/null; do :; done\n");
        script.append("while \"$IPT\" -w -t nat -D POSTROUTING").append(jumpSpec(tag, post)).append(" 2>/dev/null; do :; done\n");
        script.append("wgf_delete_chain nat ").append(Shell.quote(pre)).append("\n");
        script.append("wgf_delete_chain nat ").append(Shell.quote(post)).append("\n");
        script.append("for wgf_hook in FORWARD " + DOCKER_USER + "; do\n");
        script.append("  while \"$IPT\" -w -t filter -D \"$wgf_hook\"").append(jumpSpec(tag, fwd)).append(" 2>/dev/null; do :; done\n");
        script.append("done\n");
        script.append("wgf_delete_chain filter ").append(Shell.quote(fwd)).append("\n");
        if (backend == FirewallBackend.IPTABLES_NFT) {
            script.append(IptablesNftLeftovers.removeFragment());
        }
        return script.toString();
    }

    /** Sets {@code fw_exists} (yes/no: any of the interface's chains) and {@code fw_mark} (the FWD chain's owner mark). */
    @Override
    public String ownerProbe(String tunnelInterface) {
        String pre = Shell.quote(RuleNames.iptablesPreroutingChain(tunnelInterface));
        String post = Shell.quote(RuleNames.iptablesPostroutingChain(tunnelInterface));
        String fwd = Shell.quote(RuleNames.iptablesForwardChain(tunnelInterface));
        return useIptables(backend)
                + "fw_exists=no\nfw_mark=''\n"
                + "if \"$IPT\" -w -t filter -S " + fwd + " >/dev/null 2>&1 || \"$IPT\" -w -t nat -S " + pre + " >/dev/null 2>&1 \\\n"
                + "    || \"$IPT\" -w -t nat -S " + post + " >/dev/null 2>&1; then\n"
                + "  fw_exists=yes\n"
                + "  fw_mark=$(\"$IPT\" -w -t filter -S " + fwd + " 2>/dev/null | grep -o 'wgforward-owner=[0-9a-f]*' | head -n 1 || true)\n"
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
        StringBuilder script = new StringBuilder(preamble("list the forwarding rules of tunnel interface " + tunnelInterface
                + " (" + backend.keyword() + ")"));
        script.append(useIptables(backend));
        script.append("# Our chains, their rules and the jumps into them, in iptables-save format.\n");
        script.append("for wgf_table in filter nat; do\n");
        script.append("  # Saved into a variable first: a failing save then fails the script, in a pipe it wouldn't.\n");
        script.append("  wgf_saved=$(\"$IPT_SAVE\" -t \"$wgf_table\")\n");
        script.append("  printf '%s\\n' \"$wgf_saved\" | awk -v pre=").append(Shell.quote(RuleNames.iptablesPreroutingChain(tunnelInterface)))
                .append(" -v post=").append(Shell.quote(RuleNames.iptablesPostroutingChain(tunnelInterface)))
                .append(" -v fwd=").append(Shell.quote(RuleNames.iptablesForwardChain(tunnelInterface)))
                .append(" \\\n    ").append(Shell.quote(awkProgram)).append("\n");
        script.append("done\n");
        return script.toString();
    }

    /**
     * Sets IPT, IPT_SAVE and IPT_RESTORE. iptables 1.8 installs both variants with suffixes;
     * older releases have only the unsuffixed, legacy binaries.
     */
    private static String useIptables(FirewallBackend backend) {
        String variant = backend == FirewallBackend.IPTABLES_NFT ? "nft" : "legacy";
        StringBuilder out = new StringBuilder();
        out.append("if command -v iptables-").append(variant).append(" >/dev/null 2>&1; then\n")
                .append("  IPT=iptables-").append(variant).append(" IPT_SAVE=iptables-").append(variant)
                .append("-save IPT_RESTORE=iptables-").append(variant).append("-restore\n");
        if (backend == FirewallBackend.IPTABLES_LEGACY) {
            out.append("elif command -v iptables >/dev/null 2>&1 && ! iptables --version 2>/dev/null | grep -q nf_tables; then\n")
                    .append("  IPT=iptables IPT_SAVE=iptables-save IPT_RESTORE=iptables-restore\n");
        }
        out.append("else\n")
                .append("  ").append(fail("iptables-" + variant + " is not installed on this host")).append("\n")
                .append("fi\n");
        return out.toString();
    }

    /** Sets IPT_RESTORE_WAIT to the option making iptables-restore wait for the xtables lock, if it has one. */
    private static String restoreWaitOption() {
        return "# iptables-restore takes -w (wait for the xtables lock) from 1.6.2; the nft variant needs no lock.\n"
                + "IPT_RESTORE_WAIT=''\n"
                + "if \"$IPT_RESTORE\" --help 2>&1 | grep -q -e --wait; then IPT_RESTORE_WAIT=-w; fi\n";
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

    private static List<String> natRules(ForwardRuleset ruleset) {
        String pre = RuleNames.iptablesPreroutingChain(ruleset.tunnelInterface());
        String post = RuleNames.iptablesPostroutingChain(ruleset.tunnelInterface());
        List<String> rules = new ArrayList<>();
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            rules.add("-A " + pre + " -s " + entry.clientTunnelIp() + "/32 -d " + ruleset.relayTunnelIp() + "/32 -i "
                    + ruleset.tunnelInterface() + " " + protoMatch(forward) + " --dport " + forward.port()
                    + comment(ruleset, entry, RuleRole.DNAT)
                    + " -j DNAT --to-destination " + forward.targetHost() + ":" + forward.targetPort());
        }
        for (Entry entry : ruleset.entries()) {
            rules.add("-A " + post + " " + towardTarget(entry) + " " + dnatedFrom(ruleset, entry)
                    + comment(ruleset, entry, RuleRole.MASQUERADE) + " -j MASQUERADE");
        }
        return rules;
    }

    private static List<String> forwardRules(ForwardRuleset ruleset) {
        String fwd = RuleNames.iptablesForwardChain(ruleset.tunnelInterface());
        String iface = ruleset.tunnelInterface();
        List<String> rules = new ArrayList<>();
        // MSS first: TCPMSS changes the SYN / SYN-ACK and lets it continue to the accepts below.
        // --clamp-mss-to-pmtu uses the MTU of the route the packet takes: the tunnel's for the
        // SYN-ACK going back to the client.
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            if (forward.protocol() == Protocol.TCP) {
                rules.add("-A " + fwd + " -s " + entry.clientTunnelIp() + "/32 -d " + forward.targetHost() + "/32 -i " + iface
                        + " -p tcp -m tcp --dport " + forward.targetPort() + " --tcp-flags SYN,RST SYN " + dnatedFrom(ruleset, entry)
                        + comment(ruleset, entry, RuleRole.MSS) + " -j TCPMSS --clamp-mss-to-pmtu");
                rules.add("-A " + fwd + " -s " + forward.targetHost() + "/32 -d " + entry.clientTunnelIp() + "/32 -o " + iface
                        + " -p tcp -m tcp --sport " + forward.targetPort() + " --tcp-flags SYN,RST SYN " + dnatedFrom(ruleset, entry)
                        + comment(ruleset, entry, RuleRole.MSS_REPLY) + " -j TCPMSS --clamp-mss-to-pmtu");
            }
        }
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            rules.add("-A " + fwd + " -s " + entry.clientTunnelIp() + "/32 -d " + forward.targetHost() + "/32 -i " + iface
                    + " " + protoMatch(forward) + " --dport " + forward.targetPort() + " " + dnatedFrom(ruleset, entry)
                    + comment(ruleset, entry, RuleRole.ACCEPT) + " -j ACCEPT");
        }
        // Replies are matched on the connection, not the packet, so that ICMP errors about it
        // (RELATED, e.g. "fragmentation needed") get back to the client too.
        for (Entry entry : ruleset.entries()) {
            Forward forward = entry.forward();
            rules.add("-A " + fwd + " -o " + iface + " -m conntrack --ctstate RELATED,ESTABLISHED --ctproto "
                    + forward.protocol().keyword() + " --ctorigsrc " + entry.clientTunnelIp()
                    + " --ctorigdst " + ruleset.relayTunnelIp() + " --ctreplsrc " + forward.targetHost()
                    + " --ctorigdstport " + forward.port() + " --ctreplsrcport " + forward.targetPort()
                    + comment(ruleset, entry, RuleRole.REPLY) + " -j ACCEPT");
        }
        // Nothing else from the tunnel is forwarded: a client can't use the relay as a router, nor
        // reach another client (or another client's forward: the accepts above name its source).
        rules.add("-A " + fwd + " -i " + iface + " -m comment --comment " + RuleNames.isolationTag(iface) + " -j DROP");
        return rules;
    }

    private static String towardTarget(Entry entry) {
        Forward forward = entry.forward();
        return "-s " + entry.clientTunnelIp() + "/32 -d " + forward.targetHost() + "/32 " + protoMatch(forward)
                + " --dport " + forward.targetPort();
    }

    /**
     * Only connections our DNAT made: without this, a client routing through the relay could
     * reach target:port directly, and any LAN host's traffic to target:port would be masqueraded.
     */
    private static String dnatedFrom(ForwardRuleset ruleset, Entry entry) {
        return "-m conntrack --ctstate DNAT --ctorigdst " + ruleset.relayTunnelIp() + " --ctorigdstport " + entry.forward().port();
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
