package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FirewallScriptsTest {

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void applyGolden(FirewallBackend backend) {
        Golden.assertMatches("firewall/" + backend.keyword() + "-apply.sh", FirewallScripts.apply(backend, Fixtures.ruleset()));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void removeGolden(FirewallBackend backend) {
        Golden.assertMatches("firewall/" + backend.keyword() + "-remove.sh", FirewallScripts.remove(backend, Fixtures.TUNNEL));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void listGolden(FirewallBackend backend) {
        Golden.assertMatches("firewall/" + backend.keyword() + "-list.sh", FirewallScripts.list(backend, Fixtures.TUNNEL));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void applyDualStackGolden(FirewallBackend backend) {
        Golden.assertMatches("firewall/" + backend.keyword() + "-apply-dual-stack.sh", FirewallScripts.apply(backend, Fixtures.dualStack()));
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void dualStackScriptsAreValidSh(FirewallBackend backend) throws Exception {
        assertSyntaxOk(FirewallScripts.apply(backend, Fixtures.dualStack()));
        assertSyntaxOk(FirewallScripts.apply(backend, Fixtures.dualStackHub()));
        assertSyntaxOk(FirewallScripts.ownerProbe(backend, "wgf0"));
    }

    @Test
    void iptablesNftLeftoversOfIpv6AreRecordedOnlyForATunnelWithIpv6() {
        String ipv4 = IptablesNftLeftovers.recordMissing();
        assertEquals(ipv4, IptablesNftLeftovers.recordMissing(false));
        assertTrue(ipv4.contains("wgf_note table ip nat\n"), ipv4);
        assertFalse(ipv4.contains(" ip6 "), ipv4);
        String dual = IptablesNftLeftovers.recordMissing(true);
        assertTrue(dual.contains("wgf_note table ip6 nat\n") && dual.contains("wgf_note chain ip6 filter FORWARD\n"), dual);
    }

    @Test
    void detectGolden() {
        Golden.assertMatches("firewall/detect-backend.sh", FirewallScripts.detectBackend());
    }

    @ParameterizedTest
    @EnumSource(FirewallBackend.class)
    void scriptsAreValidSh(FirewallBackend backend) throws Exception {
        ForwardRuleset empty = new ForwardRuleset("w=g+1", "10.9.0.1", "10.9.0.2", List.of());
        for (String script : List.of(FirewallScripts.apply(backend, Fixtures.ruleset()), FirewallScripts.apply(backend, empty),
                FirewallScripts.remove(backend, "wgf0"), FirewallScripts.list(backend, "wgf0"), FirewallScripts.detectBackend())) {
            assertTrue(script.startsWith("#!/bin/sh\n"));
            assertTrue(script.contains("\nset -eu\n"));
            assertSyntaxOk(script);
        }
    }

    @Test
    void emptyRulesetStillIsolatesTheTunnel() {
        ForwardRuleset empty = new ForwardRuleset("wgf0", "192.168.77.1", "192.168.77.2", List.of());
        String nft = FirewallScripts.apply(FirewallBackend.NFTABLES, empty);
        assertTrue(nft.contains("'\t\tiifname \"wgf0\" counter drop comment \"wgforward:wgf0:drop\"'"), nft);
        assertFalse(nft.contains("dnat to"), nft);
        String iptables = FirewallScripts.apply(FirewallBackend.IPTABLES_NFT, empty);
        assertTrue(iptables.contains("'-A WGF-wgf0-FWD -i wgf0 -m comment --comment wgforward:wgf0:drop -j DROP'"), iptables);
    }

    @Test
    void backendsUseTheirOwnBinaries() {
        String nft = FirewallScripts.apply(FirewallBackend.IPTABLES_NFT, Fixtures.ruleset());
        assertTrue(nft.contains("IPT=iptables-nft IPT_SAVE=iptables-nft-save IPT_RESTORE=iptables-nft-restore"));
        assertFalse(nft.contains("legacy"));
        String legacy = FirewallScripts.remove(FirewallBackend.IPTABLES_LEGACY, "wgf0");
        assertTrue(legacy.contains("IPT=iptables-legacy IPT_SAVE=iptables-legacy-save IPT_RESTORE=iptables-legacy-restore"));
        assertFalse(legacy.contains("iptables-nft"));
    }

    @Test
    void everyRuleIsTagged() {
        String apply = FirewallScripts.apply(FirewallBackend.IPTABLES_LEGACY, Fixtures.ruleset());
        apply.lines().filter(line -> line.contains("'-A ")).forEach(line ->
                assertTrue(line.contains("--comment wgforward:wgf0"), line));
        String nft = FirewallScripts.apply(FirewallBackend.NFTABLES, Fixtures.ruleset());
        nft.lines().filter(line -> line.startsWith("  '\t\t") && !line.contains("type ")).forEach(line ->
                assertTrue(line.contains("comment \"wgforward:wgf0:"), line));
    }

    private static void assertSyntaxOk(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), () -> "sh -n: " + output + "\n" + script);
    }
}
