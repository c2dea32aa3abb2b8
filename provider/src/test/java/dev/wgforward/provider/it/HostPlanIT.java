package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host plan in preview, as a reviewer reads it: `pulumi preview --diff` shows the rule lines a
 * change of a forward adds and removes on the relay (ForwardRules' {@code ruleset}) and the lines
 * of each host's WireGuard config a change touches (WireGuardInterface's {@code config}, its
 * private key redacted), while nothing runs on the hosts: their snapshots are the same before and
 * after each preview.
 */
class HostPlanIT {
    private static final String TAG = "comment \"wgforward:wgf0:";

    @Test
    void previewShowsTheRuleLinesAndConfigLinesAChangeTouches(@TempDir Path scratch) {
        Lab.ensure(Lab.Mode.PLAIN);
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "plan");
        try {
            // Before anything exists, the rules are known already: they come from the inputs alone.
            // (A new value is printed whole only with --show-full-output, as one quoted string.)
            String first = s.project.pulumi("preview", "--diff", "--show-full-output").assertOk().output();
            assertTrue(first.contains("dnat to 10.200.0.2:22 comment \\\"wgforward:wgf0:8888/tcp:dnat\\\""), first);
            assertEquals(relayBefore, Lab.snapshot("relay"), "a preview changes nothing on the relay");

            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            String relayIp = s.output("relayTunnelIp");
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

            // A forward moves to another port: exactly that forward's rule lines go and come.
            s.config("forwardPort", "9999");
            String relayUp = Lab.snapshot("relay");
            String clientUp = Lab.snapshot("client");
            // (Pulumi cuts lines longer than 150 characters unless asked for the full output.)
            String moved = s.project.pulumi("preview", "--diff", "--show-full-output").assertOk().output();
            System.out.println("HostPlanIT: preview --diff of a moved forward:\n" + moved);
            List<String> removed = ruleLines(moved, '-');
            List<String> added = ruleLines(moved, '+');
            assertEquals(6, removed.size(), "a TCP forward is 6 rules (DNAT, MASQUERADE, MSS both ways, accept, replies):\n" + moved);
            assertEquals(6, added.size(), moved);
            assertTrue(removed.stream().allMatch(l -> l.contains(TAG + "8888/tcp:")), moved);
            assertTrue(added.stream().allMatch(l -> l.contains(TAG + "9999/tcp:")), moved);
            assertTrue(added.stream().anyMatch(l -> l.contains("tcp dport 9999 counter dnat to 10.200.0.2:22")), moved);
            assertFalse(moved.contains("PrivateKey ="), "the tunnel is untouched: no config lines in the diff\n" + moved);
            assertEquals(relayUp, Lab.snapshot("relay"), "a preview changes nothing on the relay");
            assertEquals(clientUp, Lab.snapshot("client"), "a preview changes nothing on the client");

            // Another WireGuard port: both configs show their changed line, keys redacted.
            s.config("listenPort", "51821");
            String port = s.project.pulumi("preview", "--diff", "--show-full-output").assertOk().output();
            System.out.println("HostPlanIT: preview --diff of another listen port:\n" + port);
            assertTrue(port.lines().anyMatch(l -> l.strip().equals("- ListenPort = 51820")), port);
            assertTrue(port.lines().anyMatch(l -> l.strip().equals("+ ListenPort = 51821")), port);
            assertTrue(port.lines().anyMatch(l -> l.strip().startsWith("+ Endpoint = ") && l.strip().endsWith(":51821")), port);
            assertTrue(port.lines().filter(l -> l.contains("PrivateKey =")).allMatch(l -> l.strip().endsWith("PrivateKey = (redacted)")), port);
            String state = s.project.pulumi("stack", "export", "--show-secrets").assertOk().output();
            for (String key : privateKeys(state, List.of(s.output("relayPublicKey"), s.output("clientPublicKey")))) {
                assertFalse(port.contains(key), "a private key in the preview");
            }
            assertEquals(relayUp, Lab.snapshot("relay"), "a preview changes nothing on the relay");
            assertEquals(clientUp, Lab.snapshot("client"), "a preview changes nothing on the client");
            s.config("listenPort", "51820");

            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            PortForwardScenario.assertLandsOnTarget(relayIp, 9999);
            s.assertQuiet();

            // A rule deleted by hand: refresh shows it gone from the ruleset, and up puts it back.
            Lab.exec("relay", "nft -a list chain ip wgforward_wgf0 prerouting | sed -n 's/.*dnat.*# handle \\([0-9]*\\)$/\\1/p'"
                    + " | xargs -r -n1 nft delete rule ip wgforward_wgf0 prerouting handle").assertOk();
            String refresh = s.project.pulumi("refresh", "--yes", "--skip-preview", "--diff").assertOk().output();
            assertTrue(refresh.contains("~ ruleset"), refresh);
            String found = ruleset(s.project.pulumi("stack", "export").assertOk().output());
            assertFalse(found.contains(TAG + "9999/tcp:"), "the refreshed ruleset is what is on the relay: the forward is not\n" + found);
            assertTrue(found.contains("comment \"wgforward:wgf0:drop\""), found);
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            PortForwardScenario.assertLandsOnTarget(relayIp, 9999);
            s.assertQuiet();
        } finally {
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        }
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy leaves the relay as before");
        assertEquals(clientBefore, Lab.snapshot("client"), "destroy leaves the client as before");
    }

    /** ForwardRules' ruleset in an exported state. */
    private static String ruleset(String exported) {
        for (var resource : com.google.gson.JsonParser.parseString(exported).getAsJsonObject().getAsJsonObject("deployment")
                .getAsJsonArray("resources")) {
            var r = resource.getAsJsonObject();
            if (r.get("type").getAsString().equals("wgforward:index:ForwardRules")) {
                return r.getAsJsonObject("outputs").get("ruleset").getAsString();
            }
        }
        throw new AssertionError("no ForwardRules in the state:\n" + exported);
    }

    /** The rule lines a diff marks with {@code sign}: wgforward's rules carry its tag. */
    private static List<String> ruleLines(String diff, char sign) {
        return diff.lines().map(String::strip).filter(l -> l.startsWith(sign + " ") && l.contains(TAG)).toList();
    }

    /**
     * The private keys in an exported state: every WireGuard-key-shaped value in it (secrets shown)
     * that is not one of the public keys.
     */
    private static List<String> privateKeys(String exported, List<String> publicKeys) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=").matcher(exported);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        while (m.find()) {
            keys.add(m.group());
        }
        keys.removeAll(publicKeys);
        assertEquals(2, keys.size(), "the state holds the two key pairs' private keys: " + keys.size());
        return List.copyOf(keys);
    }
}
