package dev.wgforward.provider.host.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** The host presented a key other than the pinned one(s); the connection was not used. */
public class HostKeyMismatchException extends HostException {
    private final List<String> expectedFingerprints;
    private final String actualFingerprint;
    private final String actualKey;

    /**
     * @param expectedKeys the pinned {@code type base64} lines
     * @param actualKey the presented key as a {@code type base64} line
     */
    public HostKeyMismatchException(String host, List<String> expectedKeys, String actualKey) {
        super(host, message(expectedKeys, actualKey));
        this.expectedFingerprints = expectedKeys.stream().map(HostKeys::fingerprint).toList();
        this.actualFingerprint = HostKeys.fingerprint(actualKey);
        this.actualKey = actualKey;
    }

    private static String message(List<String> expectedKeys, String actualKey) {
        String expected = expectedKeys.stream()
                .map(key -> HostKeys.parseLine(key, "pinned host key").describe())
                .collect(Collectors.joining(" or "));
        HostKeys.HostKey actual = HostKeys.parseLine(actualKey, "host key");
        return "host key mismatch: expected " + expected + " but the host presented " + actual.describe()
                + ". The connection was dropped because this may be a man-in-the-middle attack. "
                + "If the host was legitimately rebuilt or its key rotated, update hostKey to: " + actual.line();
    }

    public List<String> expectedFingerprints() {
        return expectedFingerprints;
    }

    public String actualFingerprint() {
        return actualFingerprint;
    }

    /** The key the host presented, as a {@code type base64} line. */
    public String actualKey() {
        return actualKey;
    }
}
