package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Opening the WireGuard port on a relay whose IPv6 input drops somewhere else than its IPv4 input:
 * run for real, as root, in a throwaway network namespace (nft and ip6tables state are per
 * namespace) with an empty tmpfs on /run (no systemd there: no boot unit is written) and an /etc
 * overlay whose changes stay in it. ufw and firewalld, which open both families at once, are covered by the
 * booted-host ITs.
 */
class InputOpeningNetnsIT {
    private static final OwnerMark OWNER = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:FirewallOpening::open");

    private static String run(String script) throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "--mount", "--propagation", "private", "sh", "-s")
                .redirectErrorStream(true).start();
        // /etc an overlay whose changes land in the namespace's /run: nothing written reaches the real /etc.
        p.getOutputStream().write(("set -eu\nmount -t tmpfs none /run\nmkdir /run/etc-upper /run/etc-work\n"
                + "mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/etc-upper,workdir=/run/etc-work /etc\n"
                + script + "echo etc-changed=$(ls -A /run/etc-upper)\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** {@code script} as a shell of its own, as wgforward runs it. */
    private static String step(String script) {
        return "sh <<'WGF_STEP'\n" + script + "WGF_STEP\n";
    }

    private static String value(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + "=")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(key + " in " + out))
                .substring(key.length() + 1);
    }

    @Test
    void nftablesWithSeparateIpAndIp6InputChains() throws Exception {
        String firewall = """
                nft -f - <<'EOF'
                table ip hard4 { chain input { type filter hook input priority 0; policy drop; iifname "lo" accept; }; }
                table ip6 hard6 { chain input { type filter hook input priority 0; policy drop; iifname "lo" accept; }; }
                EOF
                """;
        String out = run(firewall + "nft list ruleset > /run/wgf-before\n"
                + step(InputFirewall.probe())
                + step(InputOpening.open(51820, "udp", OWNER))
                + "nft list ruleset | grep -c 'udp dport 51820 counter packets 0 bytes 0 accept comment \"" + OWNER.text() + "\"' || true\n");
        assertEquals("drop nft none ip hard4 input", value(out, "input"));
        assertEquals("drop nft none ip6 hard6 input", value(out, "input6"));
        String how = value(out, "opened");
        assertEquals("nft ip hard4 input and nft ip6 hard6 input", how);
        assertTrue(out.contains("\n2\netc-changed="), "one rule in each chain:\n" + out);
        String after = run(firewall + "nft list ruleset > /run/wgf-before\n"
                + step(InputOpening.open(51820, "udp", OWNER))
                + step(InputOpening.open(51820, "udp", OWNER)) // again: nothing more
                + step(InputOpening.present(51820, "udp", OWNER, how))
                + step(InputOpening.close(51820, "udp", OWNER, how))
                + step(InputOpening.present(51820, "udp", OWNER, how))
                + "nft list ruleset | diff /run/wgf-before - && echo same=yes\n");
        assertEquals("nft ip hard4 input and nft ip6 hard6 input", value(after, "opened"));
        assertTrue(after.contains("present=yes\n"), after);
        assertEquals("no", value(after, "present"), "closed");
        assertEquals("yes", value(after, "same"), "the rulesets are as before");
        assertEquals("", value(after, "etc-changed"), "nothing left in /etc");
    }

    @Test
    void ip6tablesInputPolicyDropBesideAnAcceptingIpv4() throws Exception {
        String firewall = "ip6tables-legacy -P INPUT DROP\n";
        String out = run(firewall + "ip6tables-legacy-save | grep -v '^#' > /run/wgf-before\n"
                + step(InputOpening.open(51820, "udp", OWNER))
                + "ip6tables-legacy -S INPUT\n");
        String how = value(out, "opened");
        assertEquals("iptables ip6tables-legacy", how, "IPv4 accepts: only IPv6 gets an opening");
        assertTrue(out.contains("-A INPUT -p udp -m udp --dport 51820 -m comment --comment \"" + OWNER.text() + "\" -j ACCEPT"), out);
        String closed = run(firewall + "ip6tables-legacy-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//' > /run/wgf-before\n"
                + step(InputOpening.open(51820, "udp", OWNER))
                + step(InputOpening.close(51820, "udp", OWNER, how))
                + step(InputOpening.present(51820, "udp", OWNER, how))
                + "ip6tables-legacy-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//' | diff - /run/wgf-before && echo same=yes\n");
        assertEquals("no", value(closed, "present"));
        assertEquals("yes", value(closed, "same"), closed);
    }
}
