package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the forwarding switch for real, as root, in a throwaway network namespace with a mount
 * namespace of its own, where /var/lib and /etc/sysctl.d are empty tmpfs mounts: nothing outside
 * it is touched. The namespace has an "uplink" (a dummy interface) taking router advertisements
 * (accept_ra=1, as on a cloud VM using SLAAC) and one that takes none (accept_ra=0, the pair's other end).
 */
class IpForwardingNetnsIT {
    private static final OwnerMark OWNER = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:ForwardRules::rules");
    private static final OwnerMark OTHER = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:ForwardRules::other");

    private static final String SETUP = """
            set -eu
            mount -t tmpfs none /var/lib
            mount -t tmpfs none /etc/sysctl.d
            ip link add uplink type veth peer name quiet
            echo 1 > /proc/sys/net/ipv6/conf/uplink/accept_ra
            echo 0 > /proc/sys/net/ipv6/conf/quiet/accept_ra
            echo 1 > /proc/sys/net/ipv6/conf/default/accept_ra
            state() {
              echo "v4=$(cat /proc/sys/net/ipv4/ip_forward) v6=$(cat /proc/sys/net/ipv6/conf/all/forwarding)" \\
                "uplink=$(cat /proc/sys/net/ipv6/conf/uplink/accept_ra) quiet=$(cat /proc/sys/net/ipv6/conf/quiet/accept_ra)" \\
                "default=$(cat /proc/sys/net/ipv6/conf/default/accept_ra)"
            }
            """;

    private static String run(String script) throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "--mount", "--propagation", "private", "sh", "-s")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** {@code script} in a subshell (each of wgforward's scripts runs as a shell of its own), then the state. */
    private static String step(String script) {
        return "(\n" + script + "\n)\nstate\n";
    }

    @Test
    void ipv6ForwardingKeepsRouterAdvertisementsAndIsRestoredExactly() throws Exception {
        String out = run(SETUP + "state\n"
                + step(IpForwarding.enable("wgf0", OWNER, true))
                + "cat /etc/sysctl.d/60-wgforward-wgf0.conf\n"
                + step(IpForwarding.enable("wgf0", OWNER, true)) // again: nothing changes
                + step(IpForwarding.disable("wgf0", OWNER, OwnerMark.Unmarked.ADOPT, true))
                + "ls -A /var/lib\n");
        List lines = new List(out);
        assertEquals("v4=0 v6=0 uplink=1 quiet=0 default=1", lines.next());
        assertEquals("was=0", lines.next());
        assertEquals("was6=0", lines.next());
        // The uplink keeps taking router advertisements with forwarding on; the quiet one is left alone.
        assertEquals("v4=1 v6=1 uplink=2 quiet=0 default=2", lines.next());
        String sysctl = lines.upTo("was=1");
        assertTrue(sysctl.contains("net.ipv6.conf.uplink.accept_ra = 2\n"), sysctl);
        assertTrue(sysctl.contains("net.ipv6.conf.default.accept_ra = 2\n"), sysctl);
        assertTrue(sysctl.contains("net.ipv6.conf.all.forwarding = 1\n"), sysctl);
        assertTrue(!sysctl.contains("quiet"), sysctl);
        assertTrue(sysctl.indexOf("accept_ra") < sysctl.indexOf("all.forwarding"), "accept_ra before forwarding, at boot too");
        assertEquals("was6=1", lines.next());
        assertEquals("v4=1 v6=1 uplink=2 quiet=0 default=2", lines.next());
        assertEquals("v4=0 v6=0 uplink=1 quiet=0 default=1", lines.next(), "all as before");
        assertEquals("", lines.rest(), "no registry left");
    }

    @Test
    void theLastIpv6UserRestoresAndATunnelWithoutIpv6ForwardsLetsGo() throws Exception {
        String out = run(SETUP
                + step(IpForwarding.enable("wgf0", OWNER, true))
                + step(IpForwarding.enable("wgf1", OTHER, true))
                // wgf0 keeps its IPv4 forwards only: IPv6 forwarding stays, wgf1 still uses it.
                + step(IpForwarding.enable("wgf0", OWNER, false))
                + step(IpForwarding.disable("wgf1", OTHER, OwnerMark.Unmarked.ADOPT, true))
                + step(IpForwarding.disable("wgf0", OWNER, OwnerMark.Unmarked.ADOPT, true)));
        List lines = new List(out);
        lines.upTo("was6=0");
        assertEquals("v4=1 v6=1 uplink=2 quiet=0 default=2", lines.next());
        lines.upTo("was6=1");
        assertEquals("v4=1 v6=1 uplink=2 quiet=0 default=2", lines.next());
        assertEquals("was=1", lines.next());
        assertEquals("v4=1 v6=1 uplink=2 quiet=0 default=2", lines.next(), "wgf1 still forwards IPv6");
        assertEquals("v4=1 v6=0 uplink=1 quiet=0 default=1", lines.next(), "wgf1 was the last IPv6 user: restored; wgf0 forwards IPv4");
        assertEquals("v4=0 v6=0 uplink=1 quiet=0 default=1", lines.next());
    }

    @Test
    void forwardingThatWasOnIsLeftAsTheAdminHadIt() throws Exception {
        String out = run(SETUP + "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding\necho 1 > /proc/sys/net/ipv6/conf/uplink/accept_ra\n"
                + step(IpForwarding.enable("wgf0", OWNER, true))
                + step(IpForwarding.disable("wgf0", OWNER, OwnerMark.Unmarked.ADOPT, true)));
        List lines = new List(out);
        lines.upTo("was6=1");
        assertEquals("v4=1 v6=1 uplink=1 quiet=0 default=1", lines.next(), "accept_ra untouched: forwarding was on before");
        assertEquals("v4=0 v6=1 uplink=1 quiet=0 default=1", lines.next());
    }

    /** The output's lines, read in order. */
    private static final class List {
        private final String[] lines;
        private int at;

        List(String out) {
            lines = out.split("\n", -1);
        }

        String next() {
            return lines[at++];
        }

        /** The lines up to and including {@code line}, which must come. */
        String upTo(String line) {
            StringBuilder text = new StringBuilder();
            while (at < lines.length) {
                String next = lines[at++];
                text.append(next).append('\n');
                if (next.equals(line)) {
                    return text.toString();
                }
            }
            throw new AssertionError("no line " + line + " in:\n" + String.join("\n", lines));
        }

        String rest() {
            return String.join("\n", java.util.Arrays.copyOfRange(lines, at, lines.length)).strip();
        }
    }
}
