package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InputOpening#letInProbe}'s decision on iptables listings: the script runs in sh with a
 * PATH holding only grep and stand-ins for the firewall tools, each printing what the real tool
 * prints for {@code -w -S INPUT} on such a host (and failing on anything else, as a tool asked
 * something it does not know does). A tool that is not there is not asked.
 */
class InputOpeningProbeTest {
    @TempDir
    Path bin;

    private static final String POLICY = "-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n"
            + "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";

    /** Runs the probe for port 51820 with these tools, each printing its INPUT chain. */
    private String probe(Map<String, String> inputChains) throws IOException, InterruptedException {
        Files.createSymbolicLink(bin.resolve("grep"), Path.of(Files.exists(Path.of("/usr/bin/grep")) ? "/usr/bin/grep" : "/bin/grep"));
        for (Map.Entry<String, String> tool : inputChains.entrySet()) {
            Path listing = bin.resolve(tool.getKey() + ".listing");
            Files.writeString(listing, tool.getValue());
            Path stub = bin.resolve(tool.getKey());
            Files.writeString(stub, "#!/bin/sh\n[ \"$*\" = \"-w -S INPUT\" ] || exit 2\ncat '" + listing + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createSymbolicLink(bin.resolve("cat"), Path.of(Files.exists(Path.of("/usr/bin/cat")) ? "/usr/bin/cat" : "/bin/cat"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process sh = pb.start();
        sh.getOutputStream().write(InputOpening.letInProbe(51820).getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sh.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, sh.exitValue(), out);
        return out.strip();
    }

    @Test
    void anIptablesLegacyAcceptForThePortIsALetIn() throws Exception {
        assertEquals("input-port=open", probe(Map.of("iptables-legacy", POLICY + "-A INPUT -p udp -m udp --dport 51820 -j ACCEPT\n")));
    }

    @Test
    void anIp6tablesAcceptOfEitherFlavourIsALetIn() throws Exception {
        assertEquals("input-port=open", probe(Map.of("ip6tables-legacy", POLICY
                + "-A INPUT -i eth0 -p udp -m udp --dport 51820 -m comment --comment wireguard -j ACCEPT\n")));
    }

    @Test
    void theNftFlavourOnAHostWithoutNftIsAsked() throws Exception {
        assertEquals("input-port=open", probe(Map.of("iptables-nft", POLICY + "-A INPUT -p udp -m udp --dport 51820 -j ACCEPT\n",
                "iptables-legacy", POLICY)));
    }

    @Test
    void otherRulesAreNoLetIn() throws Exception {
        assertEquals("input-port=closed", probe(Map.of(
                "iptables-legacy", POLICY
                        + "-A INPUT -p udp -m udp --dport 518201 -j ACCEPT\n"
                        + "-A INPUT -p tcp -m tcp --dport 51820 -j ACCEPT\n"
                        + "-A INPUT -p udp -m udp ! --dport 51820 -j ACCEPT\n"
                        + "-A INPUT -p udp -m udp --dport 51820 -j DROP\n"
                        + "-A INPUT -p udp -m udp --dport 51821 -j ACCEPT\n",
                "ip6tables-legacy", POLICY,
                "iptables", POLICY)));
    }

    @Test
    void noToolNoLetIn() throws Exception {
        assertEquals("input-port=closed", probe(Map.of()));
    }
}
