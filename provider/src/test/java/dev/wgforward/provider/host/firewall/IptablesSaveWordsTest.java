package dev.wgforward.provider.host.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesSaveWordsTest {

    @Test
    void quotedValuesAreOneWordWithTheirEscapesUndone() {
        assertEquals(List.of("-A", "FORWARD", "-m", "comment", "--comment", "allow \"ssh\" in", "-j", "ACCEPT"),
                IptablesSaveWords.of("-A FORWARD -m comment --comment \"allow \\\"ssh\\\" in\" -j ACCEPT"));
    }

    @Test
    void anEmptyQuotedValueIsAnEmptyWordAndRunsOfSpaceSeparateOnce() {
        assertEquals(List.of("-A", "X", ""), IptablesSaveWords.of("  -A   X \"\" "));
        assertEquals(List.of(), IptablesSaveWords.of(""));
    }
}
