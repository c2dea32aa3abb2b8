package dev.wgforward.provider.host.ssh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces known secret strings with {@value #MASK} in any text that may reach a user: command
 * output, error messages, progress messages. Thread-safe; secrets can be added at any time (for
 * example a key generated after the session was opened), and every later {@link #redact} hides
 * them.
 *
 * <p>Each secret is also hidden in its standard base64 form, because scripts move secret bytes
 * around as base64 and a failing {@code base64 -d} may echo its input.
 */
public final class Redactor {
    public static final String MASK = "[secret]";

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    private Redactor() {}

    /** A new, independent redactor that hides {@code secrets}. */
    public static Redactor of(String... secrets) {
        return new Redactor().add(secrets);
    }

    /** Adds secrets (and their base64 forms); empty strings and nulls are ignored. */
    public Redactor add(String... more) {
        for (String secret : more) {
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
                secrets.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return this;
    }

    /** A new redactor that hides the secrets of both. */
    public Redactor plus(Redactor other) {
        Redactor combined = new Redactor();
        combined.secrets.addAll(secrets);
        combined.secrets.addAll(other.secrets);
        return combined;
    }

    public String redact(String text) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        // Longest first: when one secret contains another, replacing the short one first
        // would leave the rest of the long one readable.
        List<String> ordered = new ArrayList<>(secrets);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        String result = text;
        for (String secret : ordered) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** How many strings are hidden (each secret counts with its base64 form). */
    public int size() {
        return secrets.size();
    }

    /** Never prints the secrets themselves. */
    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " hidden strings]";
    }
}
