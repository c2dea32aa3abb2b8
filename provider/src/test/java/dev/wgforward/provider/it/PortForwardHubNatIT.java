package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients of one hub behind the same NAT router (the lab's --nat mode: client and client2 on
 * the home network, one public address 203.0.113.20): two sessions the relay tells apart by
 * their keys, each client reaching its own forward.
 */
class PortForwardHubNatIT {
    private static final String RELAY_IP = "10.77.42.1";
    private static final String ROUTER_PUBLIC_ADDRESS = "203.0.113.20";

    @Test
    void twoClientsBehindOneNatEachGetTheirOwnSessionAndForward(@TempDir Path scratch) {
        Lab.ensure(Lab.Mode.NAT);
        String relayBefore = Lab.snapshot("relay");
        String laptopBefore = Lab.snapshot("client");
        String desktopBefore = Lab.snapshot("client2");
        PortForwardScenario s = PortForwardHubIT.hubStack(scratch, "hub-nat");
        PortForwardHubIT.startTargetServices();
        try {
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
            assertEquals("target-7001", PortForwardHubIT.firstAnswer("client2", RELAY_IP, 8888), "the desktop's own 8888");

            // Both sessions come from the router's one public address, on two ports.
            List<String> endpoints = Lab.exec("relay", "wg show wgf0 endpoints").assertOk().output().lines()
                    .map(l -> l.split("\\s+")[1]).filter(e -> !e.equals("(none)")).toList();
            assertEquals(2, endpoints.size(), "the laptop's and the desktop's sessions: " + endpoints);
            Set<String> hosts = endpoints.stream().map(e -> e.substring(0, e.lastIndexOf(':'))).collect(Collectors.toSet());
            assertEquals(Set.of(ROUTER_PUBLIC_ADDRESS), hosts, "both behind the router: " + endpoints);
            assertNotEquals(endpoints.get(0), endpoints.get(1), "two sessions, two ports: " + endpoints);
            s.assertQuiet();
        } finally {
            s.project.pulumi("destroy", "--yes", "--skip-preview");
            PortForwardHubIT.stopTargetServices();
        }
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(laptopBefore, Lab.snapshot("client"), "destroy must leave the laptop as it was");
        assertEquals(desktopBefore, Lab.snapshot("client2"), "destroy must leave the desktop as it was");
    }
}
