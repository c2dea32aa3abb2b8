package dev.wgforward.provider.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShellTest {

    @Test
    void aHeredocEndsWithItsTerminatorOnALineOfItsOwn() {
        assertEquals("<<'END'\na $b\nEND\n", Shell.heredoc("END", "a $b\n"));
        assertEquals("<<'END'\na $b\nEND\n", Shell.heredoc("END", "a $b"), "a missing final newline is added");
    }

    @Test
    void aBodyHoldingTheTerminatorAsALineIsRefused() {
        // It would end the heredoc early, and sh would run the rest of the body as commands.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shell.heredoc("END", "cat <<'END'\nrm -rf /x\nEND\n"));
        assertTrue(e.getMessage().contains("terminator of its own"), e.getMessage());
        // Not as a whole line, it is just text.
        Shell.heredoc("END", "echo END\nENDING\n");
    }

    @Test
    void theBootScriptRefusesAnApplyScriptUsingItsTerminator() {
        OwnerMark owner = OwnerMark.forResource("urn:pulumi:s::p::wgforward:index:ForwardRules::r");
        String nested = "cat > /tmp/x <<'WGFORWARD_BOOT_SCRIPT'\nx\nWGFORWARD_BOOT_SCRIPT\n";
        assertThrows(IllegalArgumentException.class, () -> BootPersistence.install("wgf0", owner, nested));
        String own = "cat > /tmp/x <<'WGFORWARD_APPLY_DATA'\nx\nWGFORWARD_APPLY_DATA\n";
        assertTrue(BootPersistence.install("wgf0", owner, own).contains(own + "WGFORWARD_BOOT_SCRIPT\n"));
    }
}
