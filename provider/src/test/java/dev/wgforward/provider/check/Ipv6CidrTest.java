package dev.wgforward.provider.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6CidrTest {

    @Test
    void parsesAndFormats() {
        Ipv6Cidr cidr = Ipv6Cidr.parse("fd77:42::1/64");
        assertEquals(0xfd77004200000000L, cidr.high());
        assertEquals(1L, cidr.low());
        assertEquals(64, cidr.prefix());
        assertEquals("fd77:42::1", cidr.hostAddress());
        assertEquals("fd77:42::", cidr.networkAddress());
        assertEquals("fd77:42::/64", cidr.network());
        assertEquals("fd77:42::1/64", cidr.toString());
    }

    /** RFC 5952: lower case, no leading zeros, the longest (first on a tie) run of 2+ zero groups as ::, never one group. */
    @ParameterizedTest
    @CsvSource({
        "FD77:0042:0000:0000:0000:0000:0000:0001, fd77:42::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::",
        "::0001, ::1",
        "1::, 1::",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "::ffff:192.0.2.1, ::ffff:c000:201",
        "2001:db8:200::2, 2001:db8:200::2",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    })
    void canonicalTextIsRfc5952(String input, String canonical) {
        assertEquals(canonical, Ipv6Cidr.canonical(input));
    }

    @Test
    void canonicalKeepsThePrefix() {
        assertEquals("fd77:42::1/64", Ipv6Cidr.canonical("FD77:42:0::1/64"));
    }

    @Test
    void contains() {
        Ipv6Cidr net = Ipv6Cidr.parse("fd77:42::1/64");
        assertTrue(net.contains("fd77:42::2"));
        assertTrue(net.contains("FD77:42:0:0:ffff:ffff:ffff:ffff"));
        assertFalse(net.contains("fd77:42:0:1::2"));
        assertFalse(net.contains("2001:db8::1"));
        assertTrue(Ipv6Cidr.parse("fd77:42::1/0").contains("2001:db8::1"));
        assertTrue(Ipv6Cidr.parse("fd77:42::1/128").contains("fd77:42::1"));
        assertFalse(Ipv6Cidr.parse("fd77:42::1/128").contains("fd77:42::2"));
        assertTrue(Ipv6Cidr.parse("fd77:42::1/127").contains("fd77:42::"));
        assertFalse(Ipv6Cidr.parse("fd77:42::1/127").contains("fd77:42::2"));
        // A prefix inside the upper half.
        assertTrue(Ipv6Cidr.parse("2001:db8:aa00::1/40").contains("2001:db8:aaff:1::"));
        assertFalse(Ipv6Cidr.parse("2001:db8:aa00::1/40").contains("2001:db8:ab00::1"));
    }

    @Test
    void host128AndNetworkAddress() {
        Ipv6Cidr host = Ipv6Cidr.host("fd77:42::0:1");
        assertEquals("fd77:42::1/128", host.toString());
        assertTrue(Ipv6Cidr.parse("fd77:42::/64").isNetworkAddress());
        assertFalse(Ipv6Cidr.parse("fd77:42::1/64").isNetworkAddress());
    }

    @Test
    void withHostNumber() {
        Ipv6Cidr net = Ipv6Cidr.parse("fd77:42::1/64");
        assertEquals("fd77:42::2", net.withHostNumber(2));
        assertEquals("fd77:42::102", net.withHostNumber(258));
        assertEquals("fd77:42::1", Ipv6Cidr.parse("fd77:42::/127").withHostNumber(1));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("fd77:42::/127").withHostNumber(2));
    }

    @Test
    void rejectsWhatIsNoIpv6Cidr() {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("fd77:42::1"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("fd77:42::1/129"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("10.77.42.1/24"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("fd77::42::1/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.canonical("fe80::1%eth0"));
    }
}
