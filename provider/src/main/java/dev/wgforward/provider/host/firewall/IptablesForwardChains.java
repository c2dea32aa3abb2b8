package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.host.firewall.ChainWalk.Chain;
import dev.wgforward.provider.host.firewall.ChainWalk.Flow;
import dev.wgforward.provider.host.firewall.ChainWalk.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FORWARD chains in {@code iptables-save} output (the tables that have one: filter, mangle,
 * security), and how their rules treat a forward's packets.
 */
final class IptablesForwardChains {
    private IptablesForwardChains() {}

    /** A table's FORWARD chain, with the table's other chains (for jumps). */
    record Forward(String table, Chain chain, Map<String, Chain> tableChains) {}

    static List<Forward> parse(String saved) {
        List<Forward> forwards = new ArrayList<>();
        String table = null;
        Map<String, Boolean> dropPolicies = new LinkedHashMap<>();
        Map<String, List<String>> rules = new LinkedHashMap<>();
        for (String raw : saved.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
                dropPolicies = new LinkedHashMap<>();
                rules = new LinkedHashMap<>();
            } else if (table == null) {
                continue;
            } else if (line.startsWith(":")) {
                String[] words = line.substring(1).split("\\s+");
                dropPolicies.put(words[0], words.length > 1 && words[1].equals("DROP"));
                rules.put(words[0], new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                String[] words = line.split("\\s+", 3);
                rules.computeIfAbsent(words[1], k -> new ArrayList<>()).add(words.length > 2 ? words[2] : "");
            } else if (line.equals("COMMIT")) {
                Map<String, Chain> chains = new LinkedHashMap<>();
                for (Map.Entry<String, List<String>> entry : rules.entrySet()) {
                    chains.put(entry.getKey(), new Chain(entry.getKey(),
                            dropPolicies.getOrDefault(entry.getKey(), false), List.copyOf(entry.getValue())));
                }
                if (chains.containsKey("FORWARD")) {
                    forwards.add(new Forward(table, chains.get("FORWARD"), Map.copyOf(chains)));
                }
                table = null;
            }
        }
        return forwards;
    }

    private static final Set<String> DROPS = Set.of("DROP", "REJECT");

    /** Reads iptables rules (without {@code -A chain}) for the packets of one tunnel's IPv4 forwards. */
    static ChainWalk.RuleReader reader(ForwardRuleset ruleset, Set<String> chainNames) {
        return reader(ruleset, chainNames, false);
    }

    /** Reads iptables or ip6tables rules (without {@code -A chain}) for the packets of one tunnel's forwards of one family. */
    static ChainWalk.RuleReader reader(ForwardRuleset ruleset, Set<String> chainNames, boolean ipv6) {
        String client = ipv6 ? ruleset.clientTunnelIp6() : ruleset.clientTunnelIp();
        String relay = ipv6 ? ruleset.relayTunnelIp6() : ruleset.relayTunnelIp();
        return (rule, flow) -> {
            List<String> args = IptablesSaveWords.of(rule);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String value = i + 1 < args.size() ? args.get(i + 1) : "";
                switch (arg) {
                    case "-m" -> {
                        if (!Set.of("conntrack", "state", "comment").contains(value)) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "--comment" -> i++;
                    case "--ctstate", "--state" -> {
                        Set<String> states = Set.of(value.split(","));
                        // DNAT is conntrack's word for "our DNAT made this connection".
                        String state = flow == Flow.TO_TARGET ? "NEW" : "ESTABLISHED";
                        if (!states.contains(state) && !(arg.equals("--ctstate") && states.contains("DNAT"))) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "--ctorigsrc" -> {
                        if (!isAddress(value, client)) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "--ctorigdst" -> {
                        if (!isAddress(value, relay)) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "-i", "-o" -> {
                        boolean holds = value.equals(ruleset.tunnelInterface())
                                && (flow == Flow.TO_TARGET) == arg.equals("-i");
                        if (!holds) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "-s", "-d" -> {
                        boolean holds = isAddress(value, client)
                                && (flow == Flow.TO_TARGET) == arg.equals("-s");
                        if (!holds) {
                            return new Verdict.PassOver();
                        }
                        i++;
                    }
                    case "-j", "-g" -> {
                        return verdict(value, arg.equals("-j"), chainNames, rule);
                    }
                    default -> {
                        return new Verdict.PassOver();
                    }
                }
            }
            return new Verdict.PassOver();
        };
    }

    private static Verdict verdict(String target, boolean comesBack, Set<String> chainNames, String rule) {
        if (target.equals("ACCEPT")) {
            return new Verdict.Accept();
        }
        if (DROPS.contains(target)) {
            return new Verdict.Drop(rule);
        }
        if (target.equals("RETURN")) {
            return new Verdict.Return();
        }
        if (chainNames.contains(target)) {
            return new Verdict.Jump(target, comesBack);
        }
        return new Verdict.PassOver(); // LOG, TCPMSS, MARK...: the packet goes on
    }

    private static boolean isAddress(String value, String address) {
        return value.equals(address) || value.equals(address + "/32") || value.equals(address + "/128");
    }
}
