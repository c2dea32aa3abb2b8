package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InputOpening#letInProbe}'s decision, and what it asks: the script runs in sh with a PATH
 * holding only grep, cat and stand-ins for the firewall tools, each answering what the real tool
 * answers on such a host ({@code [-w [5]] -S INPUT}, {@code -V}, {@code list ruleset}; anything else
 * fails) and noting every call; /proc/net stands for a scratch directory whose
 * {@code ip_tables_names} and {@code ip6_tables_names} list the legacy tables the kernel has.
 * Listing a legacy table creates it: a legacy tool is asked only where its filter table exists.
 */
class InputOpeningProbeTest {
    @TempDir
    Path scratch;
    private Path bin;
    private Path procNet;
    private Path calls;

    private static final String POLICY = "-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n"
            + "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
    private static final String LET_IN = POLICY + "-A INPUT -p udp -m udp --dport 51820 -j ACCEPT\n";

    @BeforeEach
    void standIns() throws IOException {
        bin = Files.createDirectories(scratch.resolve("bin"));
        procNet = Files.createDirectories(scratch.resolve("proc-net"));
        calls = scratch.resolve("calls");
        Files.writeString(calls, "");
        for (String tool : new String[] {"grep", "cat"}) {
            Path real = Stream.of("/usr/bin/", "/bin/").map(dir -> Path.of(dir + tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError(tool + " is missing"));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
    }

    /** An iptables-like tool: {@code -V} prints its version and flavour, {@code -S INPUT} the INPUT chain. */
    private void iptables(String name, String version, String inputChain) throws IOException {
        Files.writeString(bin.resolve(name + ".listing"), inputChain);
        stub(name, "case \"$*\" in\n"
                + "  -V) echo '" + name + " v1.8.9 (" + version + ")' ;;\n"
                + "  '-S INPUT'|'-w -S INPUT'|'-w 5 -S INPUT') cat '" + bin.resolve(name + ".listing") + "' ;;\n"
                + "  *) exit 2 ;;\nesac\n");
    }

    private void nft(String ruleset) throws IOException {
        Files.writeString(bin.resolve("nft.listing"), ruleset);
        stub("nft", "[ \"$*\" = 'list ruleset' ] || exit 2\ncat '" + bin.resolve("nft.listing") + "'\n");
    }

    private void stub(String name, String body) throws IOException {
        Path stub = bin.resolve(name);
        Files.writeString(stub, "#!/bin/sh\necho \"" + name + " $*\" >> '" + calls + "'\n" + body);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The kernel's legacy tables, IPv4 and IPv6 (null: no such file, as without the ip_tables module). */
    private void legacyTables(String ipv4, String ipv6) throws IOException {
        if (ipv4 != null) {
            Files.writeString(procNet.resolve("ip_tables_names"), ipv4);
        }
        if (ipv6 != null) {
            Files.writeString(procNet.resolve("ip6_tables_names"), ipv6);
        }
    }

    private String probe() throws IOException, InterruptedException {
        String script = InputOpening.letInProbe(51820);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process sh = pb.start();
        sh.getOutputStream().write(script.replace("/proc/net/", procNet + "/").getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sh.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, sh.exitValue(), out);
        return out.strip();
    }

    private String calls() throws IOException {
        return Files.readString(calls).strip();
    }

    @Test
    void anIptablesLegacyAcceptForThePortIsALetInWhereTheFilterTableExists() throws Exception {
        legacyTables("filter\nnat\n", "");
        iptables("iptables-legacy", "legacy", LET_IN);
        assertEquals("input-port=open", probe());
    }

    @Test
    void anIp6tablesLegacyAcceptIsALetIn() throws Exception {
        legacyTables("", "mangle\nfilter\n");
        iptables("iptables-legacy", "legacy", POLICY);
        iptables("ip6tables-legacy", "legacy", POLICY + "-A INPUT -i eth0 -p udp -m udp --dport 51820 -m comment --comment wireguard -j ACCEPT\n");
        assertEquals("input-port=open", probe());
        assertEquals("ip6tables-legacy -w 5 -S INPUT", calls(), "iptables-legacy has no filter table here: not asked");
    }

    @Test
    void withoutALegacyFilterTableNoLegacyToolIsAsked() throws Exception {
        for (String[] tables : new String[][] {{"", ""}, {"nat\n", "nat\nmangle\n"}, {null, null}}) {
            Files.deleteIfExists(procNet.resolve("ip_tables_names"));
            Files.deleteIfExists(procNet.resolve("ip6_tables_names"));
            legacyTables(tables[0], tables[1]);
            iptables("iptables-legacy", "legacy", LET_IN);
            iptables("ip6tables-legacy", "legacy", LET_IN);
            iptables("iptables", "legacy", LET_IN);
            assertEquals("input-port=closed", probe());
            assertEquals("", calls(), "listing would create the filter table: nothing asked");
        }
    }

    @Test
    void plainIptablesIsAskedOnlyWhenItIsTheLegacyOne() throws Exception {
        legacyTables("filter\n", "filter\n");
        iptables("iptables", "legacy", LET_IN);
        assertEquals("input-port=open", probe());

        iptables("iptables", "nf_tables", LET_IN);
        iptables("ip6tables", "nf_tables", LET_IN);
        Files.writeString(calls, "");
        assertEquals("input-port=closed", probe(), "an nft iptables' rules are nft's: asked there");
        assertEquals("iptables -V\nip6tables -V", calls());
    }

    @Test
    void iptablesNftIsNeverAsked() throws Exception {
        legacyTables("filter\n", "filter\n");
        iptables("iptables-nft", "nf_tables", LET_IN);
        iptables("ip6tables-nft", "nf_tables", LET_IN);
        assertEquals("input-port=closed", probe());
        assertEquals("", calls());
    }

    @Test
    void otherIptablesRulesAreNoLetIn() throws Exception {
        legacyTables("filter\n", "filter\n");
        iptables("iptables-legacy", "legacy", POLICY
                + "-A INPUT -p udp -m udp --dport 518201 -j ACCEPT\n"
                + "-A INPUT -p tcp -m tcp --dport 51820 -j ACCEPT\n"
                + "-A INPUT -p udp -m udp ! --dport 51820 -j ACCEPT\n"
                + "-A INPUT -p udp -m udp --dport 51820 -j DROP\n"
                + "-A INPUT -p udp -m udp --dport 51821 -j ACCEPT\n"
                + "-A FORWARD -p udp -m udp --dport 51820 -j ACCEPT\n");
        iptables("ip6tables-legacy", "legacy", POLICY);
        assertEquals("input-port=closed", probe());
    }

    @Test
    void iptablesNftRulesAsNftListsThemAreALetIn() throws Exception {
        for (String rule : new String[] {
                "meta l4proto udp udp dport 51820 counter packets 0 bytes 0 accept",
                "udp dport 51820 counter packets 3 bytes 180 accept",
                "iifname \"eth0\" ip saddr 10.0.0.0/8 udp dport 51820 counter packets 0 bytes 0 accept",
                "meta l4proto udp udp dport { 51819, 51820, 51821 } counter packets 0 bytes 0 accept",
                "udp dport 51820 accept"}) {
            nft("table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy drop;\n\t\t" + rule + "\n\t}\n}\n");
            assertEquals("input-port=open", probe(), rule);
        }
    }

    @Test
    void otherNftRulesAreNoLetIn() throws Exception {
        for (String rule : new String[] {
                "udp dport 518201 counter packets 0 bytes 0 accept",
                "udp dport != 51820 accept",
                "udp dport 51820 counter packets 0 bytes 0 drop",
                "meta l4proto udp udp dport { 51821, 518200 } counter packets 0 bytes 0 accept",
                "tcp dport 51820 accept"}) {
            nft("table inet hardened {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\t" + rule + "\n\t}\n}\n");
            assertEquals("input-port=closed", probe(), rule);
        }
    }

    @Test
    void noToolNoLetIn() throws Exception {
        legacyTables("filter\n", "filter\n");
        assertEquals("input-port=closed", probe());
    }
}
