package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.firewall.ChainWalk.Flow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds what on the relay drops a forward's packets whatever wgforward's rules do. In netfilter an
 * accept is final only for its own chain: every base chain at the forward hook, in any table of
 * nftables or of either iptables, must let a packet through. wgforward's rules sit in their own
 * table (nftables) or at the top of FORWARD (iptables), so what can still drop is: an nft base
 * chain of another table with a drop policy or a catch-all drop/reject, and the FORWARD chains of
 * the iptables variant (or tables) wgforward does not use. The admin's firewall stays the admin's;
 * wgforward only says what to change.
 */
public final class ForwardPathCheck {
    private ForwardPathCheck() {}

    private static final String NFT_SECTION = "### nft";
    private static final String IPTABLES_NFT_SECTION = "### iptables-nft";
    private static final String IPTABLES_LEGACY_SECTION = "### iptables-legacy";
    private static final String IP6TABLES_NFT_SECTION = "### ip6tables-nft";
    private static final String IP6TABLES_LEGACY_SECTION = "### ip6tables-legacy";
    private static final Set<String> SECTIONS = Set.of(NFT_SECTION, IPTABLES_NFT_SECTION, IPTABLES_LEGACY_SECTION, IP6TABLES_NFT_SECTION,
            IP6TABLES_LEGACY_SECTION);
    /** iptables-nft's tables with a FORWARD chain, as nft lists them. */
    private static final Set<String> IPTABLES_NFT_FORWARD_TABLES = Set.of("filter", "mangle", "security");

    /**
     * A read-only script printing the relay's rulesets for {@link #find}. iptables-legacy is only
     * read where its tables already exist: listing a table would create it.
     */
    public static String probe() {
        return ScriptText.preamble("list the relay's firewall rulesets to find drops on the forward path")
                + """
                set +e
                echo '### nft'
                if command -v nft >/dev/null 2>&1; then nft list ruleset 2>/dev/null; fi
                echo '### iptables-nft'
                if command -v iptables-nft-save >/dev/null 2>&1; then iptables-nft-save 2>/dev/null; fi
                echo '### iptables-legacy'
                wgf_legacy=''
                if command -v iptables-legacy-save >/dev/null 2>&1; then
                  wgf_legacy=iptables-legacy-save
                elif command -v iptables-save >/dev/null 2>&1 && ! iptables --version 2>/dev/null | grep -q nf_tables; then
                  wgf_legacy=iptables-save
                fi
                if [ -n "$wgf_legacy" ] && grep -q . /proc/net/ip_tables_names 2>/dev/null; then "$wgf_legacy" 2>/dev/null; fi
                echo '### ip6tables-nft'
                if command -v ip6tables-nft-save >/dev/null 2>&1; then ip6tables-nft-save 2>/dev/null; fi
                echo '### ip6tables-legacy'
                wgf_legacy6=''
                if command -v ip6tables-legacy-save >/dev/null 2>&1; then
                  wgf_legacy6=ip6tables-legacy-save
                elif command -v ip6tables-save >/dev/null 2>&1 && ! ip6tables --version 2>/dev/null | grep -q nf_tables; then
                  wgf_legacy6=ip6tables-save
                fi
                if [ -n "$wgf_legacy6" ] && grep -q . /proc/net/ip6_tables_names 2>/dev/null; then "$wgf_legacy6" 2>/dev/null; fi
                exit 0
                """;
    }

    /**
     * The drops {@link #probe}'s output shows for the forwards of {@code ruleset}, when wgforward
     * uses {@code own}: for its IPv4 forwards, and for its IPv6 forwards where it has any (in the
     * ip6 and inet tables of nftables and in ip6tables).
     */
    public static List<ForwardDrop> find(FirewallBackend own, ForwardRuleset ruleset, String probeOutput) {
        // Each client's packets are walked: a chain may treat one client's source differently.
        Map<String, ForwardDrop> drops = new LinkedHashMap<>();
        for (ForwardRuleset.ClientForwards client : ruleset.clients()) {
            ForwardRuleset forClient = ruleset.forClient(client);
            for (ForwardDrop drop : findFor(own, forClient, probeOutput, false)) {
                drops.putIfAbsent(drop.where(), drop);
            }
            if (client.forwards().stream().anyMatch(Forward::isIpv6)) {
                for (ForwardDrop drop : findFor(own, forClient, probeOutput, true)) {
                    drops.putIfAbsent(drop.where() + " (IPv6)", drop);
                }
            }
        }
        return new ArrayList<>(drops.values());
    }

    private static List<ForwardDrop> findFor(FirewallBackend own, ForwardRuleset ruleset, String probeOutput, boolean ipv6) {
        Objects.requireNonNull(own, "own");
        Map<String, String> sections = sections(probeOutput);
        List<ForwardDrop> drops = new ArrayList<>();
        String iptablesNft = sections.getOrDefault(ipv6 ? IP6TABLES_NFT_SECTION : IPTABLES_NFT_SECTION, "");
        String legacy = sections.getOrDefault(ipv6 ? IP6TABLES_LEGACY_SECTION : IPTABLES_LEGACY_SECTION, "");

        ChainWalk.RuleReader nftReader = NftForwardChains.reader(ruleset, ipv6);
        for (NftForwardChains.BaseChain base : NftForwardChains.parse(sections.getOrDefault(NFT_SECTION, ""), ipv6)) {
            if (base.table().startsWith("wgforward_") || isIptablesNftChain(base, iptablesNft, ipv6)) {
                continue;
            }
            boolean firewalld = base.table().equals("firewalld");
            dropReason(flow -> ChainWalk.dropReason(base.tableChains(), base.chain(), flow, nftReader)).ifPresent(reason ->
                    drops.add(new ForwardDrop("nftables", base.family(), base.table(), base.chain().name(), reason,
                            firewalld ? ForwardDrop.Manager.FIREWALLD : ForwardDrop.Manager.NONE, ipv6)));
        }
        addIptablesDrops(drops, FirewallBackend.IPTABLES_NFT, own, ruleset, iptablesNft, ipv6);
        addIptablesDrops(drops, FirewallBackend.IPTABLES_LEGACY, own, ruleset, legacy, ipv6);
        return drops;
    }

    /**
     * iptables-nft's own chains show in the nft listing too; they are read (with their real
     * semantics) from iptables-nft-save (ip6tables-nft-save) instead, when that is there.
     */
    private static boolean isIptablesNftChain(NftForwardChains.BaseChain base, String iptablesNftSaved, boolean ipv6) {
        return base.family().equals(ipv6 ? "ip6" : "ip") && IPTABLES_NFT_FORWARD_TABLES.contains(base.table())
                && base.chain().name().equals("FORWARD") && iptablesNftSaved.contains("*" + base.table() + "\n");
    }

    private static void addIptablesDrops(List<ForwardDrop> drops, FirewallBackend variant, FirewallBackend own,
            ForwardRuleset ruleset, String saved, boolean ipv6) {
        for (IptablesForwardChains.Forward forward : IptablesForwardChains.parse(saved)) {
            // wgforward's jump is the first rule of this FORWARD (or of DOCKER-USER, which FORWARD
            // jumps to first): nothing in it can drop the forward's packets before ours accept them.
            // With IPv6 forwards that holds for ip6tables' FORWARD too: wgforward jumps from there as well.
            if (variant == own && forward.table().equals("filter")) {
                continue;
            }
            ChainWalk.RuleReader reader = IptablesForwardChains.reader(ruleset, forward.tableChains().keySet(), ipv6);
            boolean ufw = forward.tableChains().keySet().stream().anyMatch(name -> name.startsWith("ufw-") || name.startsWith("ufw6-"));
            boolean firewalld = forward.tableChains().containsKey("FORWARD_direct");
            String tool = ipv6 ? variant.keyword().replace("iptables", "ip6tables") : variant.keyword();
            dropReason(flow -> ChainWalk.dropReason(forward.tableChains(), forward.chain(), flow, reader)).ifPresent(reason ->
                    drops.add(new ForwardDrop(tool, null, forward.table(), "FORWARD", reason,
                            ufw ? ForwardDrop.Manager.UFW : firewalld ? ForwardDrop.Manager.FIREWALLD : ForwardDrop.Manager.NONE, ipv6)));
        }
    }

    /** The first flow that is dropped, described. */
    private static Optional<String> dropReason(java.util.function.Function<Flow, Optional<String>> walk) {
        Optional<String> toTarget = walk.apply(Flow.TO_TARGET);
        if (toTarget.isPresent()) {
            return toTarget.map(reason -> reason + ", for the client's packets");
        }
        return walk.apply(Flow.REPLY).map(reason -> reason + ", for the target's replies");
    }

    private static Map<String, String> sections(String output) {
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : (output == null ? "" : output).split("\n")) {
            if (SECTIONS.contains(line)) {
                if (current != null) {
                    sections.put(current, text.toString());
                }
                current = line;
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            sections.put(current, text.toString());
        }
        return sections;
    }
}
