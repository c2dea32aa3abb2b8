package dev.wgforward.provider.rpc;

/** Parts of a URN: {@code urn:pulumi:<stack>::<project>::<parent$...$type>::<name>}. */
final class Urns {
    private Urns() {}

    static String type(String urn) {
        String[] parts = urn.split("::", 4);
        if (parts.length < 4) {
            throw new IllegalArgumentException("not a URN: " + urn);
        }
        String qualified = parts[2];
        return qualified.substring(qualified.lastIndexOf('$') + 1);
    }

    static String name(String urn) {
        String[] parts = urn.split("::", 4);
        return parts.length < 4 ? urn : parts[3];
    }

    /** The URN the engine gives a child of {@code parent}: the parent's type chain, then {@code $type}. */
    static String child(String parent, String type, String name) {
        String[] parts = parent.split("::", 4);
        if (parts.length < 4) {
            throw new IllegalArgumentException("not a URN: " + parent);
        }
        return parts[0] + "::" + parts[1] + "::" + parts[2] + "$" + type + "::" + name;
    }
}
