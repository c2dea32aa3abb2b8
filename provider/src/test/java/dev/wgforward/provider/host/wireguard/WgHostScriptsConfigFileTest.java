package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.host.OwnerMark;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The config file wgforward writes: a wg-quick file that marks the interface when wg-quick (at boot) brings it up. */
class WgHostScriptsConfigFileTest {
    private static final WgInterface RELAY = new WgInterface("wgf0", "192.168.77.1/24", OptionalInt.of(51820),
            "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=", OptionalInt.empty(), List.of(new WgPeer(
                    "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=", List.of("192.168.77.2/32"), Optional.empty(),
                    OptionalInt.empty())));

    @Test
    void theFileMarksTheInterfaceWgQuickBringsUpAndIsOtherwiseTheWgQuickFile() {
        OwnerMark owner = OwnerMark.forResource("urn:pulumi:dev::p::wgforward:index:WireGuardInterface::relay");
        String file = WgHostScripts.configFile(RELAY, owner);
        String postUp = "PostUp = ip link set dev %i alias " + owner.text() + "\n";
        assertTrue(file.startsWith(owner.fileLine() + "\n"), file);
        assertTrue(file.contains("[Interface]\n" + postUp), file);
        assertTrue(owner.text().matches("wgforward-owner=[0-9a-f]+"), "nothing in the mark that bash would expand");
        assertEquals(owner.fileLine() + "\n" + WgConfigRenderer.wgQuick(RELAY), file.replace(postUp, ""));
    }
}
