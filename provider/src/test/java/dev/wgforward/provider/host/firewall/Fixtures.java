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

    /** 8888/tcp -> 10.200.0.2:22 and 5353/udp -> 10.200.0.2:53 on wgf0. */
    static ForwardRuleset ruleset() {
        return new ForwardRuleset(TUNNEL, RELAY_TUNNEL_IP, CLIENT_TUNNEL_IP, List.of(SSH, DNS));
    }
}
