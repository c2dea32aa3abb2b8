package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Parts of a step ({@link RemoteHost#part}): scripts that were steps of their own run in one
 * round trip exactly as they ran alone — their own shell, options, variables and early exits —
 * and a failing part ends the step with its exit code, nothing after it running. Run here with
 * the machine's sh, the way a host runs a step (the script on stdin).
 */
class StepPartsTest {

    record Ran(int exitCode, String stdout) {}

    private static Ran sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-s").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            // As the host session sends it: braces, so sh reads everything before running anything.
            in.write(("{\n" + script + "} </dev/null\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out);
    }

    @Test
    void eachPartRunsAsAloneAndItsOutputIsItsOwn() throws Exception {
        String script = "set -eu\n"
                + RemoteHost.part("first", "X=first\necho x=$X\nexit 0\necho never\n")
                // Its own shell: the first part's variable and early exit do not reach it.
                + RemoteHost.part("second", "echo x=${X:-unset}\nfalse || echo tolerated\n")
                + RemoteHost.readOnlyPart("look", "echo looked\nexit 4\n")
                + "echo after\n";
        Ran ran = sh(script);
        assertEquals(0, ran.exitCode(), ran.stdout());
        assertEquals("x=first\n", RemoteHost.partOutput(ran.stdout(), "first"));
        assertEquals("x=unset\ntolerated\n", RemoteHost.partOutput(ran.stdout(), "second"));
        assertEquals("looked\n", RemoteHost.partOutput(ran.stdout(), "look"), "a read-only part's failure is no failure");
        assertEquals("", RemoteHost.partOutput(ran.stdout(), "missing"));
        assertEquals(true, ran.stdout().endsWith("after\n"), ran.stdout());
    }

    @Test
    void aFailingPartEndsTheStepWithItsExitCodeAndItsOwnSetEStillHolds() throws Exception {
        String script = RemoteHost.part("first", "echo one\n")
                // set -e inside the part stops it at the failing command, as when it ran alone.
                + RemoteHost.part("second", "set -e\necho two\nexit 73\necho not-reached\n")
                + RemoteHost.part("third", "echo three\n")
                + "echo after\n";
        Ran ran = sh(script);
        assertEquals(73, ran.exitCode(), ran.stdout());
        assertEquals("two\n", RemoteHost.partOutput(ran.stdout(), "second"));
        assertEquals("", RemoteHost.partOutput(ran.stdout(), "third"), "nothing after a failed part runs");
        assertEquals(false, ran.stdout().contains("after"), ran.stdout());

        Ran setE = sh(RemoteHost.part("strict", "set -e\nfalse\necho not-reached\n") + "echo after\n");
        assertEquals(1, setE.exitCode(), setE.stdout());
        assertEquals("", RemoteHost.partOutput(setE.stdout(), "strict"));
    }

    @Test
    void aPartDoesNotReadTheRestOfTheStepAsItsInput() throws Exception {
        Ran ran = sh(RemoteHost.part("reader", "cat; echo read-nothing\n") + "echo after\n");
        assertEquals(0, ran.exitCode(), ran.stdout());
        assertEquals("read-nothing\n", RemoteHost.partOutput(ran.stdout(), "reader"));
        assertEquals(true, ran.stdout().endsWith("after\n"), ran.stdout());
    }
}
