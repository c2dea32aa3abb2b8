package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void replacesEverySecretAndItsBase64() {
        Redactor redactor = Redactor.of("s3cret-value");
        String base64 = Base64.getEncoder().encodeToString("s3cret-value".getBytes(StandardCharsets.UTF_8));
        assertEquals("a [secret] b [secret] c [secret]",
                redactor.redact("a s3cret-value b s3cret-value c " + base64));
    }

    @Test
    void longestSecretFirstSoNoTailLeaks() {
        Redactor redactor = Redactor.of("abcd1234", "abcd1234-and-more");
        assertEquals("x [secret] y", redactor.redact("x abcd1234-and-more y"));
    }

    @Test
    void secretsAddedLaterCount() {
        Redactor redactor = Redactor.of();
        assertEquals("key=late-secret", redactor.redact("key=late-secret"));
        redactor.add("late-secret");
        assertEquals("key=[secret]", redactor.redact("key=late-secret"));
    }

    @Test
    void emptyAndNullSecretsAreIgnored() {
        Redactor redactor = Redactor.of("", null);
        assertEquals(0, redactor.size());
        assertEquals("unchanged", redactor.redact("unchanged"));
        assertEquals(null, redactor.redact(null));
    }

    @Test
    void toStringDoesNotShowSecrets() {
        assertFalse(Redactor.of("top-secret").toString().contains("top-secret"));
    }

    @Test
    void plusCombinesBoth() {
        Redactor combined = Redactor.of("alpha-secret").plus(Redactor.of("beta-secret"));
        assertEquals("[secret] [secret]", combined.redact("alpha-secret beta-secret"));
    }
}
