package dev.wgforward.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WarmupTest {
    /**
     * The warm-up swallows its failures (it is only a head start), so a warm-up that quietly
     * stopped exercising the key reader would go unnoticed: the key it builds must read as a key.
     */
    @Test
    void theWarmUpsOwnKeyIsAValidOpenSshPrivateKey() {
        assertEquals(Optional.empty(), dev.wgforward.provider.host.ssh.PrivateKeys.problem(Warmup.testVectorKey(), Optional.empty(), false));
    }
}
