package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv6TextTest {

    @Test
    void canonicalTextFollowsRfc5952() {
        assertEquals("2001:db8::1", Ipv6Text.canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"));
        assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Text.canonical("2001:db8:0:1:1:1:1:1")); // a single zero group stays
        assertEquals("2001:0:0:1::1", Ipv6Text.canonical("2001:0:0:1:0:0:0:1")); // the longest run
        assertEquals("2001:db8::1:0:0:1", Ipv6Text.canonical("2001:db8:0:0:1:0:0:1")); // the first of equal runs
        assertEquals("::", Ipv6Text.canonical("0:0:0:0:0:0:0:0"));
        assertEquals("::1", Ipv6Text.canonical("::1"));
        assertEquals("fd77:42::", Ipv6Text.canonical("fd77:42::0"));
        assertEquals("::ffff:a00:1", Ipv6Text.canonical("::ffff:10.0.0.1"));
        assertEquals("fd77:42::1/64", Ipv6Text.canonicalCidr("fd77:0042:0::1/64"));
    }

    @Test
    void networks() {
        assertEquals("fd77:42::/64", Ipv6Text.network("fd77:42::1/64"));
        assertEquals("fd77:42::1/128", Ipv6Text.network("fd77:42::1/128"));
        assertEquals("fd00::/8", Ipv6Text.network("fdff:1::1/8"));
        assertEquals("::/0", Ipv6Text.network("fd77::1/0"));
        assertEquals("ff00::/8", Ipv6Text.network("ffff::1/8")); // the top bit set: no sign trouble
    }

    @Test
    void invalidTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Text.canonical("fd77::1::2"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Text.canonical("fd77::1; reboot"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Text.canonicalCidr("fd77::1"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Text.canonicalCidr("fd77::1/129"));
    }

    @Test
    void notUnicast() {
        assertTrue(Ipv6Text.notUnicast("2001:db8:200::2").isEmpty());
        assertTrue(Ipv6Text.notUnicast("fd77:42::2").isEmpty());
        for (String address : new String[] {"::", "::1", "ff02::1", "fe80::1", "febf::1", "::ffff:a00:1"}) {
            assertTrue(Ipv6Text.notUnicast(address).isPresent(), address);
        }
    }
}
