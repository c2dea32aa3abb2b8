package dev.wgforward.provider.framework;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What changed, per property path, and whether that means replacing the resource. */
public record DiffResult(Map<String, Change> changes, boolean deleteBeforeReplace) {

    public enum Kind { ADD, DELETE, UPDATE }

    public record Change(Kind kind, boolean replace) {}

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    /** Top-level properties whose change forces a replacement. */
    public Set<String> replaces() {
        Set<String> top = new TreeSet<>();
        changes.forEach((path, change) -> {
            if (change.replace()) {
                top.add(topLevel(path));
            }
        });
        return top;
    }

    /** Top-level properties that changed at all. */
    public Set<String> changedTopLevel() {
        Set<String> top = new TreeSet<>();
        changes.keySet().forEach(path -> top.add(topLevel(path)));
        return top;
    }

    public static String topLevel(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }
}
