package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The probe's findings as the warning words them (the probe itself runs on real firewalls in BootedFirewallIT). */
class InputFirewallTest {
    @Test
    void eachFirewallGetsItsOwnWayToLetThePortIn() {
        assertEquals(Optional.of("ufw allow 51820/udp"),
                InputFirewall.parse("input=drop nft ufw ip filter INPUT\n").orElseThrow().fix(51820));
        assertEquals(Optional.of("firewall-cmd --permanent --add-port=51820/udp && firewall-cmd --reload"),
                InputFirewall.parse("input=drop nft firewalld inet firewalld filter_INPUT").orElseThrow().fix(51820));
        assertEquals(Optional.of("nft insert rule inet hardened input udp dport 51820 accept"),
                InputFirewall.parse("input=drop nft none inet hardened input").orElseThrow().fix(51820));
        assertEquals(Optional.of("iptables-legacy -I INPUT -p udp --dport 51820 -j ACCEPT"),
                InputFirewall.parse("input=drop iptables-legacy none INPUT").orElseThrow().fix(51820));
        assertEquals(Optional.of("ufw allow 51820/udp"),
                InputFirewall.parse("input=drop iptables-legacy ufw INPUT").orElseThrow().fix(51820));
    }

    @Test
    void aChainNameThatIsNotPlainGetsNoCommand() {
        assertEquals(Optional.empty(), InputFirewall.parse("input=drop nft none inet \"my table\" in;put").orElseThrow().fix(51820));
    }

    @Test
    void anAcceptingFirewallIsNoFinding() {
        assertTrue(InputFirewall.parse("input=accept\n").isEmpty());
    }
}
