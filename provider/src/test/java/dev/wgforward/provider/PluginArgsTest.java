package dev.wgforward.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginArgsTest {

    @Test
    void engineAddressIsTheLastPositionalArgumentAfterGoLoggingFlags() {
        PluginArgs args = PluginArgs.parse(new String[] {"--logtostderr", "-v=9", "--tracing", "127.0.0.1:9", "127.0.0.1:4567"});
        assertEquals(Optional.of("127.0.0.1:4567"), args.engineAddress());
    }

    @Test
    void engineAddressIsOptionalBecauseTestHarnessesStartPluginsBare() {
        assertEquals(Optional.empty(), PluginArgs.parse(new String[0]).engineAddress());
    }

    @Test
    void unknownFlagsAndExtraArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PluginArgs.parse(new String[] {"--frobnicate"}));
        assertThrows(IllegalArgumentException.class, () -> PluginArgs.parse(new String[] {"a:1", "b:2"}));
    }
}
