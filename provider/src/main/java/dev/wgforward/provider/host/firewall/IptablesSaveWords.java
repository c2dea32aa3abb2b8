package dev.wgforward.provider.host.firewall;

import java.util.ArrayList;
import java.util.List;

/** The words of an iptables-save line, for the parsers of our own rules and of the host's chains. */
final class IptablesSaveWords {
    private IptablesSaveWords() {}

    /**
     * Splits {@code line} at white space. iptables-save double-quotes values with spaces (a
     * comment), and escapes with {@code \} inside the quotes; {@code ""} is an empty word.
     */
    static List<String> of(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
