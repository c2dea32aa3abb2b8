package dev.wgforward.provider.host;

/**
 * Quoting for POSIX sh. Every value that reaches a remote shell is validated first (at Check) and
 * quoted here as well, so that no input can change the meaning of a script.
 */
public final class Shell {
    private Shell() {}

    /** Single-quotes {@code value} for sh: the result is always exactly one word. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * A quoted here-document: {@code <<'TERMINATOR'}, {@code body} (ending in a newline) and the
     * terminator line; nothing in the body is expanded. Heredocs nest (the boot unit saves a whole
     * apply script in one), so a body holding the terminator as a line of its own, which would end
     * the heredoc early and run the rest as commands, is refused: each nesting level needs a
     * terminator of its own.
     */
    public static String heredoc(String terminator, String body) {
        if (!terminator.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("a heredoc terminator is a word of capitals, digits and _, got " + terminator);
        }
        if (body.lines().anyMatch(terminator::equals)) {
            throw new IllegalArgumentException("the heredoc body holds its terminator " + terminator
                    + " as a line: a nested heredoc needs a terminator of its own");
        }
        return "<<'" + terminator + "'\n" + body + (body.isEmpty() || body.endsWith("\n") ? "" : "\n") + terminator + "\n";
    }
}
