package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a {@link FirewallScripts#list} listing says is in place, for drift detection.
 *
 * @param presentForwards the forwards all of whose rules are present and reached by packets
 *     (for iptables: the jumps into our chains exist too)
 *     (an IPv6 forward's rules all in the IPv6 table or chains, an IPv4 one's in the IPv4 ones)
 * @param dnatTargets for each forward with a DNAT rule, where it sends packets ({@code
 *     10.200.0.2:22}, {@code [2001:db8:200::2]:22}: {@link Forward#target}), also when the forward
 *     is incomplete
 * @param isolationPresent whether the rule dropping all other forwarded tunnel traffic is in place
 *     (and reached), for IPv4
 * @param isolation6Present the same for the tunnel's IPv6 traffic (nftables table ip6, ip6tables)
 */
public record FirewallState(Set<ForwardKey> presentForwards, Map<ForwardKey, String> dnatTargets, boolean isolationPresent,
        boolean isolation6Present) {

    public FirewallState {
        presentForwards = Set.copyOf(presentForwards);
        dnatTargets = Map.copyOf(dnatTargets);
    }

    /** An IPv4-only state (the form from before IPv6). */
    public FirewallState(Set<ForwardKey> presentForwards, Map<ForwardKey, String> dnatTargets, boolean isolationPresent) {
        this(presentForwards, dnatTargets, isolationPresent, false);
    }

    /** Nothing of wgforward's on the interface. */
    public static FirewallState empty() {
        return new FirewallState(Set.of(), Map.of(), false, false);
    }

    public boolean isPresent(ForwardKey key) {
        return presentForwards.contains(key);
    }

    public Optional<String> dnatTarget(ForwardKey key) {
        return Optional.ofNullable(dnatTargets.get(key));
    }

    /**
     * Whether the host has exactly {@code desired}: every forward complete and going to its
     * target, no other forward, and the isolation rule in place, for IPv6 exactly when the tunnel
     * has IPv6 (an IPv4-only tunnel's leftover IPv6 drop is drift too). Rule details beyond the
     * tags and DNAT targets are not compared; applying again fixes anything else.
     */
    public boolean matches(ForwardRuleset desired) {
        Set<ForwardKey> desiredKeys = desired.entries().stream().map(ForwardRuleset.Entry::key).collect(Collectors.toSet());
        if (!desiredKeys.equals(presentForwards) || !isolationPresent || isolation6Present != desired.hasIpv6()) {
            return false;
        }
        for (ForwardRuleset.Entry entry : desired.entries()) {
            Forward forward = entry.forward();
            if (!dnatTarget(entry.key()).equals(Optional.of(forward.target()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the output of {@link FirewallScripts#list} for {@code backend}. Empty or blank output
     * (the table or chains don't exist) gives {@link #empty()}. Only rules tagged for this
     * interface, in the chain their role belongs in and with the right action, count.
     */
    public static FirewallState parse(FirewallBackend backend, String tunnelInterface, String listing) {
        Objects.requireNonNull(backend, "backend");
        Validators.interfaceName(tunnelInterface).ifPresent(reason -> {
            throw new IllegalArgumentException("tunnel interface " + reason);
        });
        if (listing == null || listing.isBlank()) {
            return empty();
        }
        return backend.scripts().parseListing(tunnelInterface, listing);
    }

    /** What one listing holds, before deciding what is complete. */
    private static final class Collected {
        final Map<ForwardKey, Set<RuleRole>> roles = new HashMap<>();
        final Map<ForwardKey, String> targets = new HashMap<>();
        boolean isolationRule;
        /** iptables: whether the jumps into the PRE, POST and FWD chains exist. Always true for nft. */
        boolean natHooked = true;
        boolean forwardHooked = true;

        void addRole(ForwardKey key, RuleRole role) {
            roles.computeIfAbsent(key, k -> EnumSet.noneOf(RuleRole.class)).add(role);
        }

        Set<ForwardKey> complete() {
            if (!natHooked || !forwardHooked) {
                return Set.of();
            }
            return roles.entrySet().stream()
                    .filter(entry -> entry.getValue().containsAll(RuleRole.requiredFor(entry.getKey().protocol())))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        boolean isolated() {
            return isolationRule && forwardHooked;
        }

        /**
         * The two families' findings as one state: each family's rules are complete on their own
         * (a forward is never made whole by the other family's rules).
         */
        static FirewallState merge(Collected ipv4, Collected ipv6) {
            Set<ForwardKey> complete = new java.util.HashSet<>(ipv4.complete());
            complete.addAll(ipv6.complete());
            Map<ForwardKey, String> targets = new HashMap<>(ipv6.targets);
            targets.putAll(ipv4.targets);
            return new FirewallState(complete, targets, ipv4.isolated(), ipv6.isolated());
        }
    }

    private static final Pattern NFT_TABLE = Pattern.compile("table\\s+(\\S+)\\s+(\\S+)\\s*\\{");
    private static final Pattern NFT_CHAIN = Pattern.compile("chain\\s+(\\S+)\\s*\\{");
    private static final Pattern NFT_COMMENT = Pattern.compile("\\bcomment\\s+\"([^\"]*)\"");
    private static final Pattern NFT_DNAT = Pattern.compile("\\bdnat\\s+(?:ip6?\\s+)?to\\s+([0-9.]+:[0-9]+|\\[[0-9a-f:.]+\\]:[0-9]+)");

    private static final Map<RuleRole, String> NFT_CHAIN_OF_ROLE = new EnumMap<>(Map.of(
            RuleRole.DNAT, "prerouting",
            RuleRole.MASQUERADE, "postrouting",
            RuleRole.MSS, "forward",
            RuleRole.MSS_REPLY, "forward",
            RuleRole.ACCEPT, "forward",
            RuleRole.REPLY, "forward"));

    /** {@link #parse} of a non-blank nftables listing. */
    static FirewallState parseNft(String tunnelInterface, String listing) {
        Collected ipv4 = new Collected();
        Collected ipv6 = new Collected();
        Collected collected = null;
        String ourTable = RuleNames.nftTable(tunnelInterface);
        boolean inOurTable = false;
        String chain = null;
        for (String rawLine : listing.split("\n")) {
            String line = rawLine.strip();
            Matcher table = NFT_TABLE.matcher(line);
            if (table.matches()) {
                String family = table.group(1);
                inOurTable = table.group(2).equals(ourTable) && (family.equals("ip") || family.equals("ip6"));
                collected = family.equals("ip6") ? ipv6 : ipv4;
                chain = null;
                continue;
            }
            Matcher chainHeader = NFT_CHAIN.matcher(line);
            if (chainHeader.matches()) {
                chain = chainHeader.group(1);
                continue;
            }
            if (!inOurTable || chain == null) {
                continue;
            }
            Matcher comment = NFT_COMMENT.matcher(line);
            if (!comment.find()) {
                continue;
            }
            String tag = comment.group(1);
            List<String> words = List.of(line.substring(0, comment.start()).trim().split("\\s+"));
            if (tag.equals(RuleNames.isolationTag(tunnelInterface))) {
                collected.isolationRule |= chain.equals("forward") && words.contains("drop");
                continue;
            }
            final String currentChain = chain;
            final Collected current = collected;
            final boolean inIpv6Table = collected == ipv6;
            RuleNames.parseForwardTag(tunnelInterface, tag).ifPresent(found -> {
                if (!currentChain.equals(NFT_CHAIN_OF_ROLE.get(found.role())) || !nftActionFits(found.role(), words)) {
                    return;
                }
                current.addRole(found.key(), found.role());
                if (found.role() == RuleRole.DNAT) {
                    Matcher dnat = NFT_DNAT.matcher(line);
                    if (dnat.find() && dnat.group(1).startsWith("[") == inIpv6Table) {
                        current.targets.put(found.key(), dnat.group(1));
                    }
                }
            });
        }
        return Collected.merge(ipv4, ipv6);
    }

    private static boolean nftActionFits(RuleRole role, List<String> words) {
        return switch (role) {
            case DNAT -> words.contains("dnat");
            case MASQUERADE -> words.contains("masquerade");
            case MSS, MSS_REPLY -> words.contains("maxseg");
            case ACCEPT, REPLY -> words.contains("accept");
        };
    }

    /** The line {@link IptablesScripts#list} prints between the iptables-save and the ip6tables-save lines. */
    static final String IP6TABLES_MARKER = "# wgforward: ip6tables";

    /**
     * {@link #parse} of a non-blank iptables listing: iptables-save lines, then (after {@link
     * #IP6TABLES_MARKER}) ip6tables-save lines.
     */
    static FirewallState parseIptables(String tunnelInterface, String listing) {
        int marker = listing.indexOf(IP6TABLES_MARKER);
        String ipv4 = marker < 0 ? listing : listing.substring(0, marker);
        String ipv6 = marker < 0 ? "" : listing.substring(marker + IP6TABLES_MARKER.length());
        return Collected.merge(parseIptablesFamily(tunnelInterface, ipv4, false), parseIptablesFamily(tunnelInterface, ipv6, true));
    }

    private static Collected parseIptablesFamily(String tunnelInterface, String listing, boolean ipv6) {
        Collected collected = new Collected();
        String pre = RuleNames.iptablesPreroutingChain(tunnelInterface);
        String post = RuleNames.iptablesPostroutingChain(tunnelInterface);
        String fwd = RuleNames.iptablesForwardChain(tunnelInterface);
        String jumpTag = RuleNames.interfaceTag(tunnelInterface);
        boolean preJump = false;
        boolean postJump = false;
        boolean fwdJump = false;
        String table = null;
        for (String rawLine : listing.split("\n")) {
            String line = rawLine.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
                continue;
            }
            if (!line.startsWith("-A ") || table == null) {
                continue;
            }
            List<String> words = IptablesSaveWords.of(line);
            String chain = words.get(1);
            String comment = valueAfter(words, "--comment").orElse("");
            String target = valueAfter(words, "-j").orElse("");
            if (comment.equals(jumpTag)) {
                preJump |= table.equals("nat") && chain.equals("PREROUTING") && target.equals(pre);
                postJump |= table.equals("nat") && chain.equals("POSTROUTING") && target.equals(post);
                fwdJump |= table.equals("filter") && (chain.equals("FORWARD") || chain.equals("DOCKER-USER")) && target.equals(fwd);
                continue;
            }
            if (comment.equals(RuleNames.isolationTag(tunnelInterface))) {
                collected.isolationRule |= table.equals("filter") && chain.equals(fwd) && target.equals("DROP");
                continue;
            }
            final String currentTable = table;
            RuleNames.parseForwardTag(tunnelInterface, comment).ifPresent(found -> {
                boolean inRightPlace = switch (found.role()) {
                    case DNAT -> currentTable.equals("nat") && chain.equals(pre) && target.equals("DNAT");
                    case MASQUERADE -> currentTable.equals("nat") && chain.equals(post) && target.equals("MASQUERADE");
                    case MSS, MSS_REPLY -> currentTable.equals("filter") && chain.equals(fwd) && target.equals("TCPMSS");
                    case ACCEPT, REPLY -> currentTable.equals("filter") && chain.equals(fwd) && target.equals("ACCEPT");
                };
                if (!inRightPlace) {
                    return;
                }
                collected.addRole(found.key(), found.role());
                if (found.role() == RuleRole.DNAT) {
                    valueAfter(words, "--to-destination").filter(destination -> destination.startsWith("[") == ipv6)
                            .ifPresent(destination -> collected.targets.put(found.key(), destination));
                }
            });
        }
        collected.natHooked = preJump && postJump;
        collected.forwardHooked = fwdJump;
        return collected;
    }

    private static Optional<String> valueAfter(List<String> words, String option) {
        int index = words.indexOf(option);
        return index >= 0 && index + 1 < words.size() ? Optional.of(words.get(index + 1)) : Optional.empty();
    }
}
