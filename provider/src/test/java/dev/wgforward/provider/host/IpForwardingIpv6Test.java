package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 part of the relay's forwarding switch. What it does on a host is proven on a lab relay
 * (IpForwardingNetnsIT runs them in a throwaway network namespace); here: the scripts are valid sh, IPv4-only stays IPv4-only.
 */
class IpForwardingIpv6Test {
    private static final OwnerMark OWNER = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:ForwardRules::rules");

    @Test
    void scriptsAreValidSh() throws Exception {
        for (String script : new String[] {IpForwarding.enable("wgf0", OWNER, true), IpForwarding.enable("wgf0", OWNER, false),
                IpForwarding.enable("wgf0", OWNER), IpForwarding.disable("wgf0", OWNER, OwnerMark.Unmarked.ADOPT, true),
                IpForwarding.status()}) {
            assertSyntaxOk(script);
        }
    }

    @Test
    void ipv6ForwardingOnlyWhenAsked() {
        assertTrue(IpForwarding.enable("wgf0", OWNER, true).contains("WANT6=yes\n"));
        assertTrue(IpForwarding.enable("wgf0", OWNER, false).contains("WANT6=no\n"));
        assertEquals(IpForwarding.enable("wgf0", OWNER, false), IpForwarding.enable("wgf0", OWNER));
    }

    private static void assertSyntaxOk(String script) throws Exception {
        Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
        sh.getOutputStream().write(("set -eu\n" + script).getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue(), new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
