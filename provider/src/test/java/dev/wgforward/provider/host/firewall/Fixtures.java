package dev.wgforward.provider.host.firewall;

import java.util.List;

/** The example the golden files and listing samples are made from. */
final class Fixtures {
    private Fixtures() {}

    static final String TUNNEL = "wgf0";
    static final String RELAY_TUNNEL_IP = "192.168.77.1";
    static final String CLIENT_TUNNEL_IP = "192.168.77.2";
    static final Forward SSH = new Forward(8888, Protocol.TCP, "10.200.0.2", 22);
    static final Forward DNS = new Forward(5353, Protocol.UDP, "10.200.0.2", 53);

    static final String RELAY_TUNNEL_IP6 = "fd77:42::1";
    static final String CLIENT_TUNNEL_IP6 = "fd77:42::2";
    static final Forward SSH6 = new Forward(8822, Protocol.TCP, "2001:db8:200::2", 22);
    static final Forward DNS6 = new Forward(5354, Protocol.UDP, "2001:db8:200::2", 53);

    /** A dual-stack tunnel: {@link #ruleset()}'s IPv4 forwards and 8822/tcp -> [2001:db8:200::2]:22, 5354/udp -> [2001:db8:200::2]:53. */
    static ForwardRuleset dualStack() {
        return new ForwardRuleset(TUNNEL, RELAY_TUNNEL_IP, RELAY_TUNNEL_IP6, CLIENT_TUNNEL_IP, CLIENT_TUNNEL_IP6,
                List.of(SSH, DNS, SSH6, DNS6));
    }

    /** A dual-stack hub: two clients, each with an IPv4 and an IPv6 forward on the same port numbers. */
    static ForwardRuleset dualStackHub() {
        return new ForwardRuleset(TUNNEL, RELAY_TUNNEL_IP, RELAY_TUNNEL_IP6, List.of(
                new ForwardRuleset.ClientForwards(CLIENT_TUNNEL_IP, CLIENT_TUNNEL_IP6, List.of(SSH, SSH6)),
                new ForwardRuleset.ClientForwards("192.168.77.3", "fd77:42::3",
                        List.of(new Forward(8888, Protocol.TCP, "10.200.0.3", 22), new Forward(8822, Protocol.TCP, "2001:db8:200::3", 22)))),
                true);
    }

    /** 8888/tcp -> 10.200.0.2:22 and 5353/udp -> 10.200.0.2:53 on wgf0. */
    static ForwardRuleset ruleset() {
        return new ForwardRuleset(TUNNEL, RELAY_TUNNEL_IP, CLIENT_TUNNEL_IP, List.of(SSH, DNS));
    }
}
