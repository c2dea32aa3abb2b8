package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.firewall.ChainWalk.Chain;
import dev.wgforward.provider.host.firewall.ChainWalk.Flow;
import dev.wgforward.provider.host.firewall.ChainWalk.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base chains at the forward hook in an {@code nft list ruleset} listing, and how their rules
 * treat a forward's packets. Only the {@code ip} and {@code inet} families see the IPv4 packets
 * wgforward forwards, only {@code ip6} and {@code inet} the IPv6 ones.
 */
final class NftForwardChains {
    private NftForwardChains() {}

    /** A base chain at the forward hook, with the other chains of its table (for jumps). */
    record BaseChain(String family, String table, Chain chain, Map<String, Chain> tableChains) {}

    private static final Pattern TABLE = Pattern.compile("table\\s+(\\S+)\\s+(\\S+)\\s*\\{");
    private static final Pattern CHAIN = Pattern.compile("chain\\s+(\\S+)\\s*\\{");
    private static final Pattern BASE = Pattern.compile("type\\s+(\\S+)\\s+hook\\s+(\\S+)\\b.*;.*");
    private static final Pattern POLICY = Pattern.compile("\\bpolicy\\s+(accept|drop)\\s*;");
    private static final Set<String> IPV4_FAMILIES = Set.of("ip", "inet");
    private static final Set<String> IPV6_FAMILIES = Set.of("ip6", "inet");

    /** The base chains IPv4 forwards pass. */
    static List<BaseChain> parse(String listing) {
        return parse(listing, false);
    }

    /** The base chains the forwards of one family pass. */
    static List<BaseChain> parse(String listing, boolean ipv6) {
        Set<String> families = ipv6 ? IPV6_FAMILIES : IPV4_FAMILIES;
        List<BaseChain> bases = new ArrayList<>();
        String family = null;
        String table = null;
        Map<String, Chain> chains = new LinkedHashMap<>();
        List<String> baseNames = new ArrayList<>(); // the current table's base chains at the forward hook
        String chain = null;
        boolean forwardHook = false;
        boolean dropPolicy = false;
        List<String> rules = new ArrayList<>();
        int depth = 0;
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            int before = depth;
            depth += braceBalance(line);
            if (before == 0) {
                Matcher t = TABLE.matcher(line);
                if (t.matches()) {
                    family = t.group(1);
                    table = t.group(2);
                    chains = new LinkedHashMap<>();
                    baseNames = new ArrayList<>();
                }
            } else if (before == 1 && table != null) {
                Matcher c = CHAIN.matcher(line);
                if (c.matches() && depth == 2) {
                    chain = c.group(1);
                    forwardHook = false;
                    dropPolicy = false;
                    rules = new ArrayList<>();
                } else if (line.equals("}")) {
                    // end of the table
                    for (String name : baseNames) {
                        if (families.contains(family)) {
                            bases.add(new BaseChain(family, table, chains.get(name), Map.copyOf(chains)));
                        }
                    }
                    table = null;
                }
            } else if (before == 2 && chain != null) {
                if (line.equals("}") && depth == 1) {
                    chains.put(chain, new Chain(chain, dropPolicy, List.copyOf(rules)));
                    if (forwardHook) {
                        baseNames.add(chain);
                    }
                    chain = null;
                    continue;
                }
                Matcher b = BASE.matcher(line);
                if (b.matches()) {
                    forwardHook = b.group(1).equals("filter") && b.group(2).equals("forward");
                    Matcher p = POLICY.matcher(line);
                    dropPolicy = p.find() && p.group(1).equals("drop");
                } else if (!line.isEmpty() && !line.startsWith("comment ") && !line.startsWith("flags ")
                        && !line.startsWith("policy ")) {
                    rules.add(line);
                }
            }
        }
        return bases;
    }

    /** +1 per opening brace, -1 per closing one, outside double-quoted strings. */
    private static int braceBalance(String line) {
        int balance = 0;
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '{') {
                balance++;
            } else if (!quoted && ch == '}') {
                balance--;
            }
        }
        return balance;
    }

    private static final Pattern COMMENT = Pattern.compile("\\s*\\bcomment\\s+\"[^\"]*\"");
    private static final Pattern COUNTER = Pattern.compile("\\bcounter(\\s+packets\\s+\\d+\\s+bytes\\s+\\d+)?\\s*");
    private static final Pattern LOG = Pattern.compile(
            "\\blog(\\s+(prefix\\s+\"[^\"]*\"|level\\s+\\S+|flags\\s+\\S+|group\\s+\\d+|snaplen\\s+\\d+|queue-threshold\\s+\\d+))*\\s*");
    private static final Pattern CT_STATE = Pattern.compile("ct\\s+state\\s+(\\{\\s*)?([a-z]+(\\s*,\\s*[a-z]+)*)(\\s*\\})?\\s*");
    private static final Pattern CT_STATE_VMAP = Pattern.compile("ct\\s+state\\s+vmap\\s+\\{([^}]*)\\}");
    private static final Pattern VERDICT = Pattern.compile("(accept|drop|reject(\\s+with\\s+.*)?|return|(jump|goto)\\s+(\\S+))");

    /** Reads nft rules for the packets of one tunnel's IPv4 forwards. */
    static ChainWalk.RuleReader reader(ForwardRuleset ruleset) {
        return reader(ruleset, false);
    }

    /** Reads nft rules for the packets of one tunnel's forwards of one family. */
    static ChainWalk.RuleReader reader(ForwardRuleset ruleset, boolean ipv6) {
        String iface = Pattern.quote("\"" + ruleset.tunnelInterface() + "\"");
        String client = Pattern.quote(ipv6 ? ruleset.clientTunnelIp6() : ruleset.clientTunnelIp());
        String relay = Pattern.quote(ipv6 ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp());
        String ip = ipv6 ? "ip6" : "ip";
        // Matches that hold for every packet of a forward: our DNAT made the connection.
        List<Pattern> both = List.of(
                Pattern.compile("ct\\s+status\\s+dnat\\s*"),
                Pattern.compile("ct\\s+original\\s+(" + ip + "\\s+)?saddr\\s+" + client + "\\s*"),
                Pattern.compile("ct\\s+original\\s+(" + ip + "\\s+)?daddr\\s+" + relay + "\\s*"),
                Pattern.compile("meta\\s+nfproto\\s+" + (ipv6 ? "ipv6" : "ipv4") + "\\s*"));
        List<Pattern> toTarget = List.of(
                Pattern.compile("iif(name)?\\s+" + iface + "\\s*"),
                Pattern.compile(ip + "\\s+saddr\\s+" + client + "\\s*"));
        List<Pattern> reply = List.of(
                Pattern.compile("oif(name)?\\s+" + iface + "\\s*"),
                Pattern.compile(ip + "\\s+daddr\\s+" + client + "\\s*"));
        return (rule, flow) -> {
            String shown = COUNTER.matcher(rule).replaceAll("").strip();
            String rest = LOG.matcher(COMMENT.matcher(shown).replaceAll("")).replaceAll("").strip();
            String state = flow == Flow.TO_TARGET ? "new" : "established";
            List<Pattern> known = new ArrayList<>(both);
            known.addAll(flow == Flow.TO_TARGET ? toTarget : reply);
            boolean progress = true;
            while (progress && !rest.isEmpty()) {
                progress = false;
                for (Pattern term : known) {
                    Matcher m = term.matcher(rest);
                    if (m.lookingAt()) {
                        rest = rest.substring(m.end());
                        progress = true;
                    }
                }
                Matcher ctState = CT_STATE.matcher(rest);
                if (ctState.lookingAt() && !rest.startsWith("ct state vmap")) {
                    if (!List.of(ctState.group(2).split("\\s*,\\s*")).contains(state)) {
                        return new Verdict.PassOver();
                    }
                    rest = rest.substring(ctState.end());
                    progress = true;
                }
            }
            Matcher vmap = CT_STATE_VMAP.matcher(rest);
            if (vmap.matches()) {
                return vmapVerdict(vmap.group(1), state, shown);
            }
            return verdict(rest, shown);
        };
    }

    private static Verdict vmapVerdict(String elements, String state, String rule) {
        for (String element : elements.split(",")) {
            String[] pair = element.split(":");
            if (pair.length == 2 && pair[0].strip().equals(state)) {
                return verdict(pair[1].strip(), rule);
            }
        }
        return new Verdict.PassOver();
    }

    private static Verdict verdict(String rest, String rule) {
        Matcher v = VERDICT.matcher(rest);
        if (!v.matches()) {
            return new Verdict.PassOver();
        }
        String word = v.group(1);
        if (word.equals("accept")) {
            return new Verdict.Accept();
        }
        if (word.equals("return")) {
            return new Verdict.Return();
        }
        if (v.group(3) != null) {
            return new Verdict.Jump(v.group(4), v.group(3).equals("jump"));
        }
        return new Verdict.Drop(rule);
    }
}
