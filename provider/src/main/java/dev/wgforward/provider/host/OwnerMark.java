package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The mark that every object wgforward makes on a host carries, so that a relay shared by several
 * stacks (or tools) never has one of them rewrite or remove another's interface, rules or files.
 *
 * <p>The mark is {@code wgforward-owner=<16 hex digits>}, derived from the URN of the resource that
 * made the object: stable across runs, short enough for an interface alias and an nft comment. Files
 * also carry the URN itself ({@code # wgforward-owner=... urn=...}), so that a conflict can name the
 * other owner.
 *
 * <p>The sh fragments below implement the policy in one place: {@code create} refuses an object that
 * exists and is not ours; {@code update} and {@code read} also accept an object without any mark (made
 * by a wgforward release before marks, recorded in this resource's state); {@code delete} leaves
 * another owner's object alone and says so.
 */
public record OwnerMark(String text, String urn) {
    public static final String PREFIX = "wgforward-owner=";

    /** How strict the guard is with objects that carry no mark at all. */
    public enum Unmarked {
        /** Someone else's (create: nothing of ours can exist yet, and a failed create's undo). */
        FOREIGN,
        /** Ours from before marks existed (update, read, delete of a resource in the state). */
        ADOPT
    }

    public static OwnerMark forResource(String urn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(urn.getBytes(StandardCharsets.UTF_8));
            return new OwnerMark(PREFIX + HexFormat.of().formatHex(digest, 0, 8), printable(urn));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The comment line files start with: the mark and, for a person reading a conflict, the URN. */
    public String fileLine() {
        return "# " + text + " urn=" + urn;
    }

    /**
     * Defines OWNER, ADOPT and FIX and the functions {@code wgf_file_mark FILE}, {@code wgf_claim WHAT
     * EXISTS MARK} (exits 73 with a message naming the object, its owner and the fix when WHAT exists
     * and is not ours) and {@code wgf_mine WHAT EXISTS MARK} (true when WHAT exists and is ours; when it
     * is another's, prints {@code left=WHAT ...} for the caller to warn about).
     */
    public String guardFunctions(Unmarked unmarked, String fix) {
        return "OWNER=" + quote(text) + "\nADOPT=" + (unmarked == Unmarked.ADOPT ? "yes" : "no") + "\nFIX=" + quote(fix) + "\n"
                + """
                wgf_file_mark() {
                  [ -f "$1" ] || return 0
                  grep -o -m1 '^# wgforward-owner=[0-9a-f]*' "$1" 2>/dev/null | sed 's/^# //' || true
                }
                # The URN behind a mark, found in the files wgforward writes, else the mark itself.
                wgf_owner_of() {
                  wgf_urn=$(grep -h -s -m1 "^# $1 urn=" /etc/wireguard/*.conf /etc/sysctl.d/60-wgforward-*.conf \\
                    /etc/wgforward/* /etc/systemd/system/wgforward-*.service 2>/dev/null | head -n 1 | sed 's/^# [^ ]* urn=//')
                  if [ -n "$wgf_urn" ]; then printf '%s (%s)' "$wgf_urn" "$1"; else printf '%s' "$1"; fi
                }
                wgf_claim() {
                  [ "$2" = yes ] || return 0
                  [ "$3" = "$OWNER" ] && return 0
                  if [ -z "$3" ]; then
                    [ "$ADOPT" = yes ] && return 0
                    echo "wgforward: $1 already exists on this host and was not made by wgforward (it carries no owner mark); nothing was changed. $FIX" >&2
                  else
                    echo "wgforward: $1 already exists on this host and belongs to another wgforward resource: $(wgf_owner_of "$3"); nothing was changed. $FIX" >&2
                  fi
                  exit 73
                }
                wgf_mine() {
                  [ "$2" = yes ] || return 1
                  [ "$3" = "$OWNER" ] && return 0
                  [ -z "$3" ] && [ "$ADOPT" = yes ] && return 0
                  if [ -z "$3" ]; then echo "left=$1 (not made by wgforward)"; else echo "left=$1 (belongs to $(wgf_owner_of "$3"))"; fi
                  return 1
                }
                """;
    }

    /** Keeps what a URN may hold but a shell comment or error message should not (newlines, quotes). */
    private static String printable(String urn) {
        StringBuilder out = new StringBuilder();
        urn.codePoints().forEach(c -> out.appendCodePoint(c >= 0x20 && c != 0x7f && c != '\'' && c != '"' && c != '\\' ? c : '_'));
        return out.toString();
    }
}
