package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parsing the listing samples under golden/firewall/listing-*.txt: the output of the list scripts
 * right after applying {@link Fixtures#ruleset()} in a network namespace (FirewallScriptsNetnsIT
 * checks that the live output still matches them).
 */
class FirewallStateTest {

    private static final ForwardKey SSH = Fixtures.SSH.key();
    private static final ForwardKey DNS = Fixtures.DNS.key();

    private static String sample(FirewallBackend backend) {
        return Golden.read("firewall/listing-" + backend.keyword() + ".txt");
    }

    private static FirewallState parse(FirewallBackend backend, String listing) {
        return FirewallState.parse(backend, Fixtures.TUNNEL, listing);
    }

    /** The listing without the lines containing {@code fragment}. */
    private static String without(String listing, String fragment) {
        String result = listing.lines().filter(line -> !line.contains(fragment)).collect(Collectors.joining("\n", "", "\n"));
        assertTrue(result.length() < listing.length(), "no line contains " + fragment);
        return result;
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void appliedRulesetIsFullyPresent(FirewallBackend backend) {
        FirewallState state = parse(backend, sample(backend));
        assertEquals(Set.of(SSH, DNS), state.presentForwards());
        assertEquals(Map.of(SSH, "10.200.0.2:22", DNS, "10.200.0.2:53"), state.dnatTargets());
        assertTrue(state.isolationPresent());
        assertTrue(state.matches(Fixtures.ruleset()));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void emptyListingMeansNothingIsPresent(FirewallBackend backend) {
        for (String listing : new String[] {"", "\n", "  \n", null}) {
            FirewallState state = parse(backend, listing);
            assertEquals(FirewallState.empty(), state);
            assertFalse(state.matches(Fixtures.ruleset()));
        }
        // What the iptables list script prints when our chains don't exist: the table headers only.
        assertEquals(FirewallState.empty(), parse(backend, "*filter\nCOMMIT\n*nat\nCOMMIT\n"));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void aMissingRuleMakesItsForwardMissing(FirewallBackend backend) {
        for (String role : List.of("dnat", "masquerade", "accept", "reply", "mss", "mss-reply")) {
            FirewallState state = parse(backend, without(sample(backend), "\"wgforward:wgf0:8888/tcp:" + role + "\""));
            assertEquals(Set.of(DNS), state.presentForwards(), role);
            assertTrue(state.isolationPresent(), role);
            assertFalse(state.matches(Fixtures.ruleset()), role);
        }
        FirewallState withoutUdpReply = parse(backend, without(sample(backend), "wgforward:wgf0:5353/udp:reply"));
        assertEquals(Set.of(SSH), withoutUdpReply.presentForwards());
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void aMissingIsolationRuleIsReported(FirewallBackend backend) {
        FirewallState state = parse(backend, without(sample(backend), "wgforward:wgf0:drop"));
        assertEquals(Set.of(SSH, DNS), state.presentForwards());
        assertFalse(state.isolationPresent());
        assertFalse(state.matches(Fixtures.ruleset()));
    }

    @ParameterizedTest
    @EnumSource(value = FirewallBackend.class, names = {"IPTABLES_NFT", "IPTABLES_LEGACY"})
    void rulesNoPacketReachesDoNotCount(FirewallBackend backend) {
        // Without the jumps from the built-in chains our chains are dead code.
        FirewallState noPrerouting = parse(backend, without(sample(backend), "-A PREROUTING"));
        assertEquals(Set.of(), noPrerouting.presentForwards());
        assertTrue(noPrerouting.isolationPresent());
        assertEquals(Set.of(), parse(backend, without(sample(backend), "-A POSTROUTING")).presentForwards());
        FirewallState noForward = parse(backend, without(sample(backend), "-A FORWARD"));
        assertEquals(Set.of(), noForward.presentForwards());
        assertFalse(noForward.isolationPresent());
        // The DNAT targets are reported anyway: they say what the rules would do.
        assertEquals(Optional.of("10.200.0.2:22"), noForward.dnatTarget(SSH));
    }

    @ParameterizedTest
    @EnumSource(value = FirewallBackend.class, names = {"IPTABLES_NFT", "IPTABLES_LEGACY"})
    void jumpFromDockerUserCounts(FirewallBackend backend) {
        String docker = sample(backend).replace("-A FORWARD -m comment", "-A DOCKER-USER -m comment");
        assertTrue(parse(backend, docker).matches(Fixtures.ruleset()));
    }

    @Test
    void nftRulesOutsideOurTableOrChainDoNotCount() {
        String ours = sample(FirewallBackend.NFTABLES);
        // The same rules in someone else's table, next to ours in a full ruleset listing.
        String foreign = ours.replace("table ip wgforward_wgf0", "table ip someone_else");
        assertTrue(parse(FirewallBackend.NFTABLES, foreign + ours).matches(Fixtures.ruleset()));
        assertEquals(FirewallState.empty(), parse(FirewallBackend.NFTABLES, foreign));
        // A DNAT rule moved to the forward chain does nothing useful.
        String moved = ours.replace("\tchain prerouting {", "\tchain forward2 {");
        assertEquals(Set.of(), parse(FirewallBackend.NFTABLES, moved).presentForwards());
    }

    @Test
    void iptablesRuleWithTheWrongActionDoesNotCount() {
        String listing = sample(FirewallBackend.IPTABLES_NFT).replace(
                "--comment \"wgforward:wgf0:8888/tcp:accept\" -j ACCEPT", "--comment \"wgforward:wgf0:8888/tcp:accept\" -j DROP");
        assertEquals(Set.of(DNS), parse(FirewallBackend.IPTABLES_NFT, listing).presentForwards());
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void otherInterfacesAreIgnored(FirewallBackend backend) {
        // Tags of wgf0 are not tags of wgf or wgf00, although one is a prefix of the other.
        assertEquals(FirewallState.empty(), FirewallState.parse(backend, "wgf", sample(backend)));
        assertEquals(FirewallState.empty(), FirewallState.parse(backend, "wgf00", sample(backend)));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void matchesComparesTargetsAndTheSetOfForwards(FirewallBackend backend) {
        FirewallState state = parse(backend, sample(backend));
        ForwardRuleset movedTarget = new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2",
                List.of(new Forward(8888, Protocol.TCP, "10.200.0.3", 22), Fixtures.DNS));
        assertFalse(state.matches(movedTarget));
        ForwardRuleset fewer = new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2", List.of(Fixtures.SSH));
        assertFalse(state.matches(fewer));
        ForwardRuleset more = new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2",
                List.of(Fixtures.SSH, Fixtures.DNS, new Forward(8080, Protocol.TCP, "10.200.0.4", 80)));
        assertFalse(state.matches(more));
    }

    @Test
    void iptablesCommentsWithEscapedQuotesAreRead() {
        // iptables-save quotes and escapes comments; a foreign rule with an odd comment mustn't confuse the parser.
        String listing = "*filter\n-A FORWARD -m comment --comment \"say \\\"hi\\\" wgforward:wgf0\" -j ACCEPT\n"
                + sample(FirewallBackend.IPTABLES_LEGACY).substring("*filter\n".length());
        assertTrue(parse(FirewallBackend.IPTABLES_LEGACY, listing).matches(Fixtures.ruleset()));
    }
}
