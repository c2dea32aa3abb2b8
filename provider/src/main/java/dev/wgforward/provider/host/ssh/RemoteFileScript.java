package dev.wgforward.provider.host.ssh;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

import dev.wgforward.provider.host.Shell;

/** The sh script behind {@link HostSession#writeFile}, and the redactor for its content. */
record RemoteFileScript(String script, Redactor contentRedactor) {

    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    // Not in the base64 alphabet, so no line of the payload can end the heredoc early.
    private static final String HEREDOC_END = "WGFORWARD_EOF";
    private static final int BASE64_LINE = 76;
    // Short lines ("[Interface]", "}") are not secret enough to be worth garbling messages for.
    private static final int MIN_REDACTED_LINE = 8;

    static RemoteFileScript of(String path, byte[] content, String mode) {
        validatePath(path);
        if (mode == null || !MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be 3 or 4 octal digits, such as 600; got " + mode);
        }
        String base64 = Base64.getMimeEncoder(BASE64_LINE, new byte[] {'\n'}).encodeToString(content);
        // umask 077 before the temp file exists: the secret is never readable by others, not
        // even between the write and the chmod. The temp file lives next to the target so that
        // mv is an atomic rename and readers never see a half-written file.
        String script = String.join("\n",
                "set -eu",
                "umask 077",
                "target=" + Shell.quote(path),
                "tmp=$(mktemp " + Shell.quote(parentOf(path) + "/.wgforward.") + "XXXXXX)",
                "trap 'rm -f \"$tmp\"' EXIT",
                "base64 -d > \"$tmp\" <<'" + HEREDOC_END + "'",
                base64,
                HEREDOC_END,
                "chmod " + mode + " \"$tmp\"",
                "mv -f \"$tmp\" \"$target\"",
                "trap - EXIT",
                "");
        return new RemoteFileScript(script, contentRedactor(content, base64));
    }

    private static Redactor contentRedactor(byte[] content, String base64) {
        Redactor redactor = Redactor.of();
        String text = new String(content, StandardCharsets.UTF_8);
        redactor.add(text, text.strip());
        for (String line : text.split("\r?\n")) {
            if (line.strip().length() >= MIN_REDACTED_LINE) {
                redactor.add(line.strip());
            }
        }
        for (String line : base64.split("\n")) {
            redactor.add(line);
        }
        return redactor;
    }

    static void validatePath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute; got " + path);
        }
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must not contain a newline or NUL");
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("path must name a file, not a directory: " + path);
        }
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "" : path.substring(0, slash);
    }

    static String stderrSuffix(String stderr) {
        String trimmed = stderr == null ? "" : stderr.strip();
        return trimmed.isEmpty() ? "" : ": " + trimmed;
    }
}
