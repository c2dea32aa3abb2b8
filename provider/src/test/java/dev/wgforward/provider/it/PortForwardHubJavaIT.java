package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.wgforward.provider.testing.ZbarDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as a Java program (examples/port-forward-hub-java) through the engine and the Java
 * language host, on the lab: the same configuration and outputs as the YAML hub, each client on
 * its own forward, the phone's QR code read back by zbarimg, no drift, destroy leaves every host
 * as before. Like PortForwardJavaIT it needs the Java SDK installed in the local Maven repository.
 */
class PortForwardHubJavaIT {
    private static final String RELAY_IP = "10.77.42.1";

    @Test
    void theJavaHubWorksLikeTheYamlHub(@TempDir Path scratch) throws IOException {
        Path repo = Toolchain.repoRoot();
        String yaml = Files.readString(repo.resolve("examples/port-forward-hub-yaml/Pulumi.yaml"));
        String java = Files.readString(repo.resolve("examples/port-forward-hub-java/Pulumi.yaml"));
        assertEquals(yaml.substring(yaml.indexOf("config:\n"), yaml.indexOf("resources:\n")), java.substring(java.indexOf("config:\n")),
                "the Java example declares the same config as the YAML example");

        Lab.ensure(Lab.Mode.PLAIN);
        String relayBefore = Lab.snapshot("relay");
        String laptopBefore = Lab.snapshot("client");
        String desktopBefore = Lab.snapshot("client2");
        PortForwardScenario s = PortForwardHubIT.hubStack("examples/port-forward-hub-java", scratch, "hub-java");
        PortForwardHubIT.startTargetServices();
        try {
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            JsonObject ips = PortForwardHubIT.json(s, "clientTunnelIps");
            assertEquals("10.77.42.3", ips.get("laptop").getAsString());
            assertEquals("10.77.42.4", ips.get("phone").getAsString());
            PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
            assertEquals("target-7001", PortForwardHubIT.firstAnswer("client2", RELAY_IP, 8888), "the desktop's own 8888");
            assertTrue(s.project.pulumi("stack", "output", "clientQrCodes").assertOk().output().contains("[secret]"),
                    "the QR codes stay a secret through the Java SDK");
            String phone = PortForwardHubIT.json(s, "clientConfigs").get("phone").getAsString();
            assertEquals(phone, ZbarDecoder.decode(PortForwardHubIT.json(s, "clientQrCodes").get("phone").getAsString()));
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
