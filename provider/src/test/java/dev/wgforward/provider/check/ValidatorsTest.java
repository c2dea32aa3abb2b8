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
}
