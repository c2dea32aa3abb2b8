package dev.wgforward.provider.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorsTest {

    /** Strings that would change a shell command, a firewall rule or a config file if let through. */
    private static final String[] INJECTIONS = {
        "a;reboot", "$(reboot)", "`reboot`", "a\nb", "a\rb", "a'b", "a\"b", "a b", "a|b", "a&b", "a>b", "a\\b", "a\tb", "a\u0000b",
        "${IFS}", "a#b", "a*b",
    };

    private static void assertAllRejected(Function<String, Optional<String>> validator, String wrapBefore, String wrapAfter) {
        for (String injection : INJECTIONS) {
            String value = wrapBefore + injection + wrapAfter;
            Optional<String> reason = validator.apply(value);
            assertTrue(reason.isPresent(), () -> "accepted " + value);
            assertFalse(reason.get().contains("\n") || reason.get().contains("\r"), () -> "raw line break in reason: " + reason.get());
        }
    }

    @Test
    void port() {
        assertEquals(Optional.empty(), Validators.port(1));
        assertEquals(Optional.empty(), Validators.port(22));
        assertEquals(Optional.empty(), Validators.port(65535));
        assertEquals(Optional.of("must be a port number from 1 to 65535, got 70000"), Validators.port(70000));
        assertEquals(Optional.of("must be a port number from 1 to 65535, got 0"), Validators.port(0));
        assertTrue(Validators.port(-1).isPresent());
        assertTrue(Validators.port(Long.MAX_VALUE).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.77.1", "10.200.0.2", "255.255.255.255", "1.2.3.4"})
    void ipv4Accepts(String value) {
        assertEquals(Optional.empty(), Validators.ipv4(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
        "1.2.3.4/32", "::1", "0x7f.0.0.1", "1.2.3.4\n", "１.2.3.4", "1.2.3.1234"})
    void ipv4Rejects(String value) {
        assertTrue(Validators.ipv4(value).isPresent(), value);
    }

    @Test
    void ipv4Messages() {
        assertEquals(Optional.of("must be an IPv4 address in dotted-decimal form such as 192.168.77.1, got \"foo\""), Validators.ipv4("foo"));
        assertEquals(Optional.of("must be an IPv4 address whose four numbers are each from 0 to 255, got \"1.2.3.300\""),
                Validators.ipv4("1.2.3.300"));
        assertEquals(Optional.of("must be an IPv4 address written without leading zeros (some tools read them as octal), got \"010.0.0.1\""),
                Validators.ipv4("010.0.0.1"));
        assertTrue(Validators.ipv4(null).isPresent());
        assertAllRejected(Validators::ipv4, "1.2.3.4", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.77.1/24", "0.0.0.0/0", "10.0.0.1/32", "10.0.0.0/8", "192.168.77.3/31"})
    void ipv4CidrAccepts(String value) {
        assertEquals(Optional.empty(), Validators.ipv4Cidr(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "192.168.77.1", "192.168.77.1/33", "192.168.77.1/", "/24", "192.168.77.1/024", "192.168.77.1/-1",
        "300.1.1.1/24", "192.168.77.1/24/1", "192.168.77.1 /24", "fd00::1/64"})
    void ipv4CidrRejects(String value) {
        assertTrue(Validators.ipv4Cidr(value).isPresent(), value);
    }

    @Test
    void ipv4CidrMessage() {
        assertEquals(Optional.of("must be an IPv4 address with a prefix length from /0 to /32, such as 192.168.77.1/24, got \"192.168.77.1/40\""),
                Validators.ipv4Cidr("192.168.77.1/40"));
        assertAllRejected(Validators::ipv4Cidr, "192.168.77.1/24", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wgf0", "wg0", "eth0.100", "wg_lab-1", "a", "abcdefghijklmno", "w=g+1", "br-1234"})
    void interfaceNameAccepts(String value) {
        assertEquals(Optional.empty(), Validators.interfaceName(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcdefghijklmnop", "wg/0", "wg:0", "wg 0", ".", "..", "-wg", "wg+", "wgé"})
    void interfaceNameRejects(String value) {
        assertTrue(Validators.interfaceName(value).isPresent(), value);
    }

    @Test
    void interfaceNameMessages() {
        assertEquals(Optional.of("must be at most 15 characters long (the Linux limit for interface names), got 16 characters: \"abcdefghijklmnop\""),
                Validators.interfaceName("abcdefghijklmnop"));
        assertEquals(Optional.of("may only contain letters, digits and the characters _ = + . - (such as wgf0), got \"wg;0\""),
                Validators.interfaceName("wg;0"));
        assertEquals(Optional.of("must not end with '+' (iptables reads a trailing + as a wildcard), got \"wg+\""),
                Validators.interfaceName("wg+"));
        assertAllRejected(Validators::interfaceName, "w", "");
    }

    @Test
    void protocol() {
        assertEquals(Optional.empty(), Validators.protocol("tcp"));
        assertEquals(Optional.empty(), Validators.protocol("udp"));
        assertEquals(Optional.of("must be \"tcp\" or \"udp\", got \"icmp\""), Validators.protocol("icmp"));
        assertTrue(Validators.protocol("TCP").isPresent());
        assertTrue(Validators.protocol(null).isPresent());
        assertAllRejected(Validators::protocol, "tcp", "");
    }

    @Test
    void wireguardKey() {
        // RFC 7748's Alice public key, in base64.
        assertEquals(Optional.empty(), Validators.wireguardKey("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo="));
        assertTrue(Validators.wireguardKey("").isPresent());
        assertTrue(Validators.wireguardKey(null).isPresent());
        // 43 characters, no padding.
        assertTrue(Validators.wireguardKey("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo").isPresent());
        // URL-safe alphabet.
        assertTrue(Validators.wireguardKey("hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo=").isPresent());
        // Last character carries bits beyond the 32 bytes: not canonical, wg(8) refuses it.
        assertTrue(Validators.wireguardKey("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmp=").isPresent());
        // 33 bytes.
        assertTrue(Validators.wireguardKey("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmoA").isPresent());
        assertAllRejected(Validators::wireguardKey, "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066Spjq", "=");
    }

    @Test
    void wireguardKeyReasonNeverShowsTheKey() {
        String almostAKey = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTm";
        String reason = Validators.wireguardKey(almostAKey).orElseThrow();
        assertFalse(reason.contains("hSDw"), reason);
        assertTrue(reason.contains("44 characters"), reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay.example.com", "relay", "relay.example.com.", "my_host.lan", "a-b.c-d", "203.0.113.10", "::1",
        "2001:db8::1", "fe80::1:2:3:4", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "xn--bcher-kva.example"})
    void hostnameAccepts(String value) {
        assertEquals(Optional.empty(), Validators.hostname(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-relay", "relay-", "relay..example", ".relay", "1.2.3.256", "1.2.3", "[2001:db8::1]", "2001:db8:::1",
        "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "host:22", "relay.example.com/x", "ssh://relay", "-oProxyCommand=x", "@relay"})
    void hostnameRejects(String value) {
        assertTrue(Validators.hostname(value).isPresent(), value);
    }

    @Test
    void hostnameMessages() {
        assertEquals(Optional.of("must be an IPv4 address whose four numbers are each from 0 to 255, got \"1.2.3.256\""),
                Validators.hostname("1.2.3.256"));
        assertEquals(Optional.of("must be a host name (dot-separated labels of letters, digits, '-' and '_', such as relay.example.com) "
                + "or an IP address, got \"a;b\""), Validators.hostname("a;b"));
        assertTrue(Validators.hostname("a".repeat(64) + ".com").isPresent());
        assertEquals(Optional.empty(), Validators.hostname("a".repeat(63) + ".com"));
        assertAllRejected(Validators::hostname, "relay", ".example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay.example.com:51820", "203.0.113.10:51820", "[2001:db8::1]:51820", "[::1]:1", "relay:65535"})
    void endpointAccepts(String value) {
        assertEquals(Optional.empty(), Validators.endpoint(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "relay.example.com", "relay.example.com:", ":51820", "relay:0", "relay:65536", "relay:051820x",
        "2001:db8::1:51820", "[2001:db8::1]", "[2001:db8::1]51820", "[relay]:51820", "relay:+22", "relay: 22", "1.2.3.999:22"})
    void endpointRejects(String value) {
        assertTrue(Validators.endpoint(value).isPresent(), value);
    }

    @Test
    void endpointMessages() {
        assertEquals(Optional.of("must write an IPv6 address in brackets, such as [2001:db8::1]:51820, got \"2001:db8::1:51820\""),
                Validators.endpoint("2001:db8::1:51820"));
        assertEquals(Optional.of("must have a port number from 1 to 65535 after the ':', got \"relay:70000\""),
                Validators.endpoint("relay:70000"));
        assertAllRejected(Validators::endpoint, "relay", ":51820");
        assertAllRejected(Validators::endpoint, "relay:5182", "");
    }

    @Test
    void reasonsEscapeControlCharactersAndShortenLongValues() {
        String reason = Validators.ipv4("1.2.3.4\nFAKE LOG LINE").orElseThrow();
        assertTrue(reason.endsWith("got \"1.2.3.4\\nFAKE LOG LINE\""), reason);
        String longReason = Validators.hostname("x;".repeat(500)).orElseThrow();
        assertTrue(longReason.length() < 300, longReason);
        assertTrue(longReason.endsWith("(1000 characters, shortened)"), longReason);
    }

    // ---- forward targets and tunnel addresses ---------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"10.200.0.2", "192.168.1.10", "1.1.1.1", "172.16.0.1", "169.254.169.254", "223.255.255.254"})
    void forwardTargetHostAccepts(String value) {
        assertEquals(Optional.empty(), Validators.forwardTargetHost(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.255", "240.0.0.1",
        "255.255.255.255"})
    void forwardTargetHostRejectsWhatCanNotBeForwardedTo(String value) {
        String reason = Validators.forwardTargetHost(value).orElseThrow(() -> new AssertionError("accepted " + value));
        assertTrue(reason.contains("unicast") && reason.contains(value) && reason.contains("such as 192.168.1.10"), reason);
    }

    @Test
    void forwardTargetHostSaysWhyAndWhatToUseInstead() {
        String loopback = Validators.forwardTargetHost("127.0.0.1").orElseThrow();
        assertTrue(loopback.contains("loopback") && loopback.contains("connect to the relay's tunnel address directly"), loopback);
        assertTrue(Validators.forwardTargetHost("224.0.0.1").orElseThrow().contains("multicast"));
        assertTrue(Validators.forwardTargetHost("255.255.255.255").orElseThrow().contains("broadcast"));
        assertTrue(Validators.forwardTargetHost("0.0.0.0").orElseThrow().contains("any address"));
        assertTrue(Validators.forwardTargetHost("240.0.0.1").orElseThrow().contains("reserved"));
        String syntax = Validators.forwardTargetHost("target.example.com").orElseThrow();
        assertTrue(syntax.contains("IPv4") && syntax.contains("as the relay reaches it"), syntax);
        assertAllRejected(Validators::forwardTargetHost, "10.0.0.1", "");
    }

    @Test
    void forwardTargetIsNotATunnelAddress() {
        String relay = Validators.forwardTargetIsNotATunnelAddress("10.77.42.1", "10.77.42.1", "10.77.42.2").orElseThrow();
        assertTrue(relay.contains("relay's own tunnel address") && relay.contains("connect to 10.77.42.1"), relay);
        String client = Validators.forwardTargetIsNotATunnelAddress("10.77.42.2", "10.77.42.1", "10.77.42.2").orElseThrow();
        assertTrue(client.contains("client's tunnel address") && client.contains("loop"), client);
        assertEquals(Optional.empty(), Validators.forwardTargetIsNotATunnelAddress("10.0.0.2", "10.77.42.1", "10.77.42.2"));
        // Not known yet (preview): nothing to compare.
        assertEquals(Optional.empty(), Validators.forwardTargetIsNotATunnelAddress("10.77.42.1", null, null));
        assertEquals(Optional.empty(), Validators.forwardTargetIsNotATunnelAddress(null, "10.77.42.1", "10.77.42.2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "10.77.42.2/32", "client"})
    void tunnelIpRejects(String value) {
        assertTrue(Validators.tunnelIp(value).isPresent(), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1/24", "10.0.0.1/8", "10.77.42.1/30", "10.77.42.0/31", "10.77.42.1/31", "10.77.42.7/32"})
    void tunnelAddressAccepts(String value) {
        assertEquals(Optional.empty(), Validators.tunnelAddress(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.2.1/0", "10.1.2.3/1", "10.1.2.3/7", "127.0.0.1/24", "224.0.0.1/24", "0.0.0.1/24",
        "10.77.42.0/24", "10.77.42.255/24", "10.77.42.1", "10.77.42.1/33", ""})
    void tunnelAddressRejects(String value) {
        assertTrue(Validators.tunnelAddress(value).isPresent(), value);
    }

    @Test
    void tunnelAddressMessages() {
        String all = Validators.tunnelAddress("192.168.2.1/0").orElseThrow();
        assertTrue(all.contains("/8 to /32") && all.contains("every address") && all.contains("192.168.2.1/24"), all);
        String network = Validators.tunnelAddress("10.77.42.0/24").orElseThrow();
        assertTrue(network.contains("network or broadcast") && network.contains("10.77.42.1/24"), network);
        assertTrue(Validators.tunnelAddress("127.0.0.1/24").orElseThrow().contains("loopback"));
    }

    @Test
    void relayTunnelAddressLeavesRoomForTheClient() {
        assertEquals(Optional.empty(), Validators.relayTunnelAddress("10.77.42.1/24"));
        assertEquals(Optional.empty(), Validators.relayTunnelAddress("10.77.42.1/30"));
        assertEquals(Optional.empty(), Validators.relayTunnelAddress("10.0.0.1/8"));
        for (String value : new String[] {"10.77.42.1/31", "10.77.42.1/32"}) {
            String reason = Validators.relayTunnelAddress(value).orElseThrow();
            assertTrue(reason.contains("/8 to /30") && reason.contains("room for the client"), reason);
        }
        assertTrue(Validators.relayTunnelAddress("192.168.2.1/0").orElseThrow().contains("/8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.2/32", "192.168.10.0/24", "10.0.0.0/8", "fd00::2/128", "fd00::/64", "2001:db8::/16"})
    void allowedIpAccepts(String value) {
        assertEquals(Optional.empty(), Validators.allowedIp(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/7", "::/0", "2000::/3", "fd00::1/129", "fd00::1/064",
        "10.0.0.1", "fd00::1", "", "10.0.0.1/24,10.0.0.2/32"})
    void allowedIpRejects(String value) {
        assertTrue(Validators.allowedIp(value).isPresent(), value);
    }

    @Test
    void allowedIpSaysWhyAShortPrefixIsRefused() {
        String reason = Validators.allowedIp("0.0.0.0/0").orElseThrow();
        assertTrue(reason.contains("at least /8") && reason.contains("default route"), reason);
        assertTrue(Validators.allowedIp("::/0").orElseThrow().contains("at least /16"));
        assertAllRejected(Validators::allowedIp, "10.0.0.1/32", "");
    }

    // ---- numbers and names ----------------------------------------------------------------------

    @Test
    void mtu() {
        assertEquals(Optional.empty(), Validators.mtu(1280));
        assertEquals(Optional.empty(), Validators.mtu(1420));
        assertEquals(Optional.empty(), Validators.mtu(9000));
        assertEquals(Optional.of("must be from 1280 to 9000, got 576 (leave it unset for wg-quick's choice, 1420 on most links)"),
                Validators.mtu(576));
        assertTrue(Validators.mtu(1279).isPresent());
        assertTrue(Validators.mtu(9001).isPresent());
        assertTrue(Validators.mtu(65535).isPresent());
    }

    @Test
    void persistentKeepalive() {
        assertEquals(Optional.empty(), Validators.persistentKeepalive(0));
        assertEquals(Optional.empty(), Validators.persistentKeepalive(25));
        assertEquals(Optional.empty(), Validators.persistentKeepalive(65535));
        assertEquals(Optional.of("must be 0 (off) to 65535 seconds, got -1"), Validators.persistentKeepalive(-1));
        assertTrue(Validators.persistentKeepalive(65536).isPresent());
    }

    @Test
    void userName() {
        for (String ok : new String[] {"root", "ubuntu", "_svc", "ec2-user", "a.b"}) {
            assertEquals(Optional.empty(), Validators.userName(ok), ok);
        }
        for (String bad : new String[] {"Root", "1user", "", "a".repeat(33)}) {
            assertTrue(Validators.userName(bad).isPresent(), bad);
        }
        assertAllRejected(Validators::userName, "user", "");
    }

    @Test
    void dialSettings() {
        assertEquals(Optional.empty(), Validators.dialErrorLimit(-1));
        assertEquals(Optional.empty(), Validators.dialErrorLimit(1));
        assertTrue(Validators.dialErrorLimit(0).isPresent());
        assertTrue(Validators.dialErrorLimit(-2).isPresent());
        assertEquals(Optional.empty(), Validators.dialRetryDelaySeconds(0));
        assertTrue(Validators.dialRetryDelaySeconds(3601).isPresent());
        assertEquals(Optional.empty(), Validators.perDialTimeoutSeconds(1));
        assertTrue(Validators.perDialTimeoutSeconds(0).isPresent());
    }

    // ---- IPv6 -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:200::2", "fd00::10", "2001:DB8::1", "2606:4700::1111"})
    void forwardTargetHostAcceptsUnicastIpv6(String value) {
        assertEquals(Optional.empty(), Validators.forwardTargetHost(value));
    }

    @Test
    void forwardTargetHostRefusesIpv6ThatLeadsNowhere() {
        assertTrue(Validators.forwardTargetHost("::").orElseThrow().contains("unspecified"));
        String loopback = Validators.forwardTargetHost("::1").orElseThrow();
        assertTrue(loopback.contains("loopback") && loopback.contains("connect to the relay's tunnel address directly"), loopback);
        assertTrue(Validators.forwardTargetHost("ff02::1").orElseThrow().contains("multicast"));
        String linkLocal = Validators.forwardTargetHost("fe80::1").orElseThrow();
        assertTrue(linkLocal.contains("link-local") && linkLocal.contains("zone") && linkLocal.contains("unique-local"), linkLocal);
        assertTrue(Validators.forwardTargetHost("febf::1").orElseThrow().contains("link-local"));
        assertEquals(Optional.empty(), Validators.forwardTargetHost("fec0::1")); // outside fe80::/10
        String mapped = Validators.forwardTargetHost("::ffff:10.0.0.2").orElseThrow();
        assertTrue(mapped.contains("IPv4-mapped") && mapped.contains("10.0.0.2"), mapped);
        String zone = Validators.forwardTargetHost("fe80::1%eth0").orElseThrow();
        assertTrue(zone.contains("IPv6") && zone.contains("as the relay reaches the target") && zone.contains("zone"), zone);
        String withPort = Validators.forwardTargetHost("10.0.0.2:22").orElseThrow();
        assertTrue(withPort.contains("without a port") && withPort.contains("targetPort"), withPort);
    }

    @Test
    void tunnelAddressesCompareIpv6ByValue() {
        String relay = Validators.forwardTargetIsNotATunnelAddress("FD77:42:0::1", "fd77:42::1", "fd77:42::2").orElseThrow();
        assertTrue(relay.contains("relay's own tunnel address"), relay);
        assertTrue(Validators.clientTunnelIpBesides("fd77:42:0:0::1", "fd77:42::1", "relay.address6").isPresent());
        assertEquals(Optional.empty(), Validators.clientTunnelIpBesides("fd77:42::2", "fd77:42::1", "relay.address6"));
    }

    @Test
    void ipv6Cidr() {
        assertEquals(Optional.empty(), Validators.ipv6Cidr("fd77:42::1/64"));
        assertEquals(Optional.empty(), Validators.ipv6Cidr("::/0"));
        for (String bad : new String[] {"", "fd77:42::1", "fd77:42::1/129", "fd77:42::1/064", "10.0.0.1/24", "fd77:42::1/",
            "fd77:42::1/64/1"}) {
            assertTrue(Validators.ipv6Cidr(bad).isPresent(), bad);
        }
        assertAllRejected(Validators::ipv6Cidr, "fd77:42::1/64", "");
    }

    @Test
    void tunnelAddress6() {
        assertEquals(Optional.empty(), Validators.relayTunnelAddress6("fd77:42::1/64"));
        assertEquals(Optional.empty(), Validators.relayTunnelAddress6("fd77:42::/127"));
        assertEquals(Optional.empty(), Validators.tunnelAddress6("fd77:42::2/128"));
        String wide = Validators.relayTunnelAddress6("fd77:42::1/48").orElseThrow();
        assertTrue(wide.contains("/64 to /127") && wide.contains("fd77:42::1/64"), wide);
        assertTrue(Validators.relayTunnelAddress6("fd77:42::1/128").orElseThrow().contains("room for the client"));
        String anycast = Validators.relayTunnelAddress6("fd77:42::/64").orElseThrow();
        assertTrue(anycast.contains("subnet-router anycast") && anycast.contains("fd77:42::1/64"), anycast);
        assertTrue(Validators.relayTunnelAddress6("fe80::1/64").orElseThrow().contains("link-local"));
        assertTrue(Validators.relayTunnelAddress6("ff02::1/64").orElseThrow().contains("multicast"));
        assertTrue(Validators.relayTunnelAddress6("10.77.42.1/24").orElseThrow().contains("IPv6"));
    }

    @Test
    void tunnelIp6AndAddressInNetwork6() {
        assertEquals(Optional.empty(), Validators.tunnelIp6("fd77:42::2"));
        assertTrue(Validators.tunnelIp6("fd77:42::2/64").isPresent());
        assertTrue(Validators.tunnelIp6("::1").orElseThrow().contains("loopback"));
        Ipv6Cidr net = Ipv6Cidr.parse("fd77:42::1/64");
        assertEquals(Optional.empty(), Validators.addressInNetwork6("fd77:42::2", net));
        assertTrue(Validators.addressInNetwork6("fd77:43::2", net).orElseThrow().contains("outside the tunnel network fd77:42::/64"));
        assertTrue(Validators.addressInNetwork6("fd77:42::", net).orElseThrow().contains("first address"));
    }
}
