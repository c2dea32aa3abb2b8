package dev.wgforward.provider.host;

/**
 * The directories wgforward keeps its files in on a host ({@code /etc/wgforward},
 * {@code /var/lib/wgforward}, and {@code /etc/wireguard}, which it shares with the admin's own
 * tunnels): made when a file first needs one, and removed when the last file goes — but only if
 * wgforward made it, and only while nothing else is in it. Where the directory was there before (the admin's, even
 * empty), it stays, so that after destroy the host is exactly as before. What wgforward made is
 * marked by {@value #MARKER} inside it, written with the directory and removed with it, last.
 * (A dot file: the files wgforward looks through there, {@code DIR/*}, never include it. The mode
 * of a directory made here follows the caller's umask: 0700 for /etc/wireguard, as wg-quick wants.)
 */
public final class OwnDirectory {
    private OwnDirectory() {}

    public static final String MARKER = ".created-by-wgforward";

    /**
     * Shell functions, for any script that makes or removes such a directory:
     * {@code wgf_own_dir_make DIR} makes DIR with its marker unless DIR exists (it fails as mkdir
     * does); {@code wgf_own_dir_remove DIR} removes DIR when it has the marker and nothing else,
     * and never fails.
     */
    public static final String FUNCTIONS = """
            wgf_own_dir_make() {
              [ -d "$1" ] && return 0
              mkdir -p "$1" && : > "$1/%1$s"
            }
            wgf_own_dir_remove() {
              if [ -f "$1/%1$s" ] && [ "$(ls -A "$1" 2>/dev/null)" = "%1$s" ]; then
                rm -f "$1/%1$s"
                rmdir "$1" 2>/dev/null || true
              fi
              return 0
            }
            """.formatted(MARKER);
}
