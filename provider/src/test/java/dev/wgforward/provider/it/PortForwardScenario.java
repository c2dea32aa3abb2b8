package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

/**
 * The seed scenario on the lab, as a user runs it: a PortForward program whose relay is the lab's
 * relay, whose client is the lab's client and whose forward goes to the lab's target's sshd.
 */
final class PortForwardScenario {
    final PulumiProject project;

    private PortForwardScenario(PulumiProject project) {
        this.project = project;
    }

    /** A project the caller configures itself. */
    static PortForwardScenario wrap(PulumiProject project) {
        return new PortForwardScenario(project);
    }

    /** Copies {@code example} and configures a fresh stack for the lab. */
    static PortForwardScenario of(String example, Path scratch, String stack) {
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve(example), scratch);
        project.pulumi("stack", "init", stack).assertOk();
        PortForwardScenario s = new PortForwardScenario(project);
        s.config("relayHost", Lab.get("RELAY_SSH_HOST"));
        s.config("relayPort", Lab.get("RELAY_SSH_PORT"));
        s.config("relayHostKey", Lab.get("RELAY_HOST_KEY"));
        s.config("relayEndpoint", Lab.get("RELAY_ADDR"));
        s.config("clientHost", Lab.get("CLIENT_SSH_HOST"));
        s.config("clientPort", Lab.get("CLIENT_SSH_PORT"));
        s.config("clientHostKey", Lab.get("CLIENT_HOST_KEY"));
        s.config("targetHost", "10.200.0.2");
        project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        return s;
    }

    void config(String key, String value) {
        project.pulumi("config", "set", key, "--", value).assertOk();
    }

    /**
     * The drift checks users run in CI, on hosts nobody touched since the last up: preview and
     * refresh report no changes, and still none after an up → refresh cycle.
     */
    void assertNoDrift() {
        project.pulumi("preview", "--expect-no-changes").assertOk();
        project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
        project.pulumi("up", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
        project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
    }

    /** The short form, for scenarios that already ran the full one: preview and refresh report no changes. */
    void assertQuiet() {
        project.pulumi("preview", "--expect-no-changes").assertOk();
        project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
    }

    String output(String name) {
        return project.pulumi("stack", "output", name, "--show-secrets").assertOk().output().trim();
    }

    /**
     * What a user does on the client: ssh to the relay's tunnel address and forwarded port. The
     * target's host key is pinned, so landing anywhere but on the target fails.
     */
    static Commands.Result sshThroughForward(String relayTunnelIp, int port) {
        String key = Lab.privateKey();
        String knownHosts = "[" + relayTunnelIp + "]:" + port + " " + Lab.get("TARGET_HOST_KEY");
        return Lab.exec("client", "umask 077; cat > /tmp/wgf-it-key <<'EOF'\n" + key + "EOF\n"
                + "echo '" + knownHosts + "' > /tmp/wgf-it-known-hosts\n"
                + "ssh -i /tmp/wgf-it-key -o UserKnownHostsFile=/tmp/wgf-it-known-hosts -o StrictHostKeyChecking=yes"
                + " -o BatchMode=yes -o ConnectTimeout=5 -p " + port + " root@" + relayTunnelIp + " hostname");
    }

    static void assertLandsOnTarget(String relayTunnelIp, int port) {
        Commands.Result r = null;
        // WireGuard needs one handshake after the tunnel comes up: allow a few seconds.
        for (int attempt = 0; attempt < 5; attempt++) {
            r = sshThroughForward(relayTunnelIp, port);
            if (r.exitCode() == 0) {
                break;
            }
            sleep(1000);
        }
        assertEquals(0, r.exitCode(), "ssh through the forward failed:\n" + r.output());
        assertTrue(r.output().trim().endsWith("target"), "ssh through the forward must land on the target:\n" + r.output());
    }

    /**
     * Polls ssh through the forward, as a user trying again after a reboot would, until it lands on
     * the target; returns the seconds from {@code since} (System.nanoTime) until it did. After the
     * relay reboots, the client's WireGuard still holds a session the relay has forgotten, and only
     * starts a new handshake when its data went unanswered for 15 s (keepalive + rekey timeout), so
     * a few tries of a few seconds, as {@link #assertLandsOnTarget} makes, are not enough: measured
     * 12 to 57 s in clean-clone runs. Gives up after 180 s, WireGuard's limit on a session's age
     * (past it the client must handshake anew), with what the relay's tunnel and firewall look like.
     */
    static double secondsUntilTheForwardWorksAgain(String relayTunnelIp, int port, long since) {
        Commands.Result r = null;
        while (System.nanoTime() - since < 180_000_000_000L) {
            r = sshThroughForward(relayTunnelIp, port);
            if (r.exitCode() == 0) {
                assertTrue(r.output().trim().endsWith("target"), "ssh through the forward must land on the target:\n" + r.output());
                return (System.nanoTime() - since) / 1e9;
            }
            sleep(500);
        }
        String relay = Lab.exec("relay", "systemctl --no-pager --failed; systemctl --no-pager status 'wg-quick@*' 'wgforward-*'; "
                + "wg show all; ip addr; sysctl net.ipv4.ip_forward; nft list ruleset; iptables-save").output();
        throw new AssertionError("the forward did not work again within 180 s of the reboot:\n" + r.output()
                + "\nthe relay then:\n" + relay);
    }

    static void assertNoWayIn(String relayTunnelIp, int port) {
        // The outsider tries the target directly through the relay, and the forward itself.
        assertNotEquals(0, Lab.exec("outsider", "timeout 5 bash -c '</dev/tcp/10.200.0.2/22'").exitCode(),
                "the outsider must not reach the target through the relay");
        assertNotEquals(0, Lab.exec("outsider", "timeout 5 bash -c '</dev/tcp/" + Lab.get("RELAY_ADDR") + "/" + port + "'").exitCode(),
                "the forward must not be open on the relay's internet address");
        assertNotEquals(0, Lab.exec("outsider", "ip route replace " + relayTunnelIp + "/32 via " + Lab.get("RELAY_ADDR")
                + " && timeout 5 bash -c '</dev/tcp/" + relayTunnelIp + "/" + port + "'; rc=$?; ip route del "
                + relayTunnelIp + "/32; exit $rc").exitCode(),
                "the forward must not answer packets that did not come through the tunnel");
    }

    /**
     * {@link #sshThroughForward} over IPv6: from the client, ssh to {@code [relayTunnelIp6]:port},
     * the target's host key pinned for that address, so landing anywhere but on the target fails.
     */
    static Commands.Result sshThroughForward6(String relayTunnelIp6, int port) {
        requireIpv6Literal(relayTunnelIp6);
        String key = Lab.privateKey();
        // known_hosts names a host on another port than 22 as [address]:port, for IPv6 too.
        String knownHosts = (port == 22 ? relayTunnelIp6 : "[" + relayTunnelIp6 + "]:" + port) + " " + Lab.get("TARGET_HOST_KEY");
        return Lab.exec("client", "umask 077; cat > /tmp/wgf-it-key <<'EOF'\n" + key + "EOF\n"
                + "echo '" + knownHosts + "' > /tmp/wgf-it-known-hosts6\n"
                + "ssh -i /tmp/wgf-it-key -o UserKnownHostsFile=/tmp/wgf-it-known-hosts6 -o StrictHostKeyChecking=yes"
                + " -o BatchMode=yes -o ConnectTimeout=5 -p " + port + " root@" + relayTunnelIp6 + " hostname");
    }

    /** {@link #assertLandsOnTarget} over IPv6: ssh from the client to {@code [relayTunnelIp6]:port} lands on the target. */
    static void assertLandsOnTarget6(String relayTunnelIp6, int port) {
        Commands.Result r = null;
        // WireGuard needs one handshake after the tunnel comes up: allow a few seconds.
        for (int attempt = 0; attempt < 5; attempt++) {
            r = sshThroughForward6(relayTunnelIp6, port);
            if (r.exitCode() == 0) {
                break;
            }
            sleep(1000);
        }
        assertEquals(0, r.exitCode(), "ssh through the IPv6 forward [" + relayTunnelIp6 + "]:" + port + " failed:\n" + r.output());
        assertTrue(r.output().trim().endsWith("target"), "ssh through the IPv6 forward must land on the target:\n" + r.output());
    }

    /**
     * {@link #assertNoWayIn} over IPv6: the outsider (2001:db8:113::66, which routes the LAN
     * 2001:db8:200::/64 via the relay's internet address) reaches neither the target's sshd
     * through the relay, nor the forward on the relay's internet IPv6 address, nor the forward on
     * the relay's tunnel IPv6 address when it routes that /128 via the relay itself (packets that
     * did not come through the tunnel). Each probe first checks that the outsider sends its
     * packets towards the relay, so that a probe never passes for want of a route.
     */
    static void assertNoWayIn6(String relayTunnelIp6, int port) {
        requireIpv6Literal(relayTunnelIp6);
        String relay6 = Lab.get("RELAY_ADDR6");
        String target6 = Lab.get("TARGET_ADDR6");
        assertNoConnection(Lab.exec("outsider", outsiderRoute(target6, relay6) + " && " + tcpConnect(target6, 22)),
                "the outsider must not reach the target's IPv6 [" + target6 + "]:22 through the relay");
        assertNoConnection(Lab.exec("outsider", outsiderRoute(relay6, null) + " && " + tcpConnect(relay6, port)),
                "the forward must not be open on the relay's internet IPv6 address [" + relay6 + "]:" + port);
        assertNoConnection(Lab.exec("outsider", "ip -6 route replace " + relayTunnelIp6 + "/128 via " + relay6 + " && { "
                + outsiderRoute(relayTunnelIp6, relay6) + " && " + tcpConnect(relayTunnelIp6, port) + "; }; rc=$?; ip -6 route del "
                + relayTunnelIp6 + "/128; exit $rc"),
                "the IPv6 forward [" + relayTunnelIp6 + "]:" + port + " must not answer packets that did not come through the tunnel");
    }

    /**
     * Shell: exit 3 unless the outsider's packets to {@code address} leave by eth0 (via {@code
     * gateway}, or on-link when null), so that a probe never passes for want of a route.
     */
    private static String outsiderRoute(String address, String gateway) {
        String want = gateway == null ? " dev eth0 " : " via " + gateway + " dev eth0 ";
        return "( ip -6 route get " + address + " | grep -q '" + want + "' || { ip -6 route get " + address
                + "; echo 'the outsider does not send to " + address + " by" + want + "'; exit 3; } )";
    }

    /** Shell: a TCP connection to [address]:port, 5 s at most (exit 124 when unanswered). */
    private static String tcpConnect(String address, int port) {
        return "timeout 5 bash -c '</dev/tcp/" + address + "/" + port + "'";
    }

    /** The probe's connection failed out there (refused or unanswered), not on the outsider for want of a route (exit 3). */
    private static void assertNoConnection(Commands.Result probe, String message) {
        assertNotEquals(3, probe.exitCode(), "the probe could not even be made, proving nothing:\n" + probe.output());
        assertNotEquals(0, probe.exitCode(), message + ":\n" + probe.output());
    }

    private static void requireIpv6Literal(String address) {
        if (!address.contains(":") || address.contains("[") || address.contains("/")) {
            throw new IllegalArgumentException("an IPv6 address without brackets or prefix length is needed, got '" + address + "'");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
