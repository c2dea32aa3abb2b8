package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.ResourceContext;

/** What a removal left on a host because it belongs to another owner (see {@code OwnerMark}'s {@code wgf_mine}). */
final class LeftForOtherOwners {
    private LeftForOtherOwners() {}

    /** Warns about each object a removal script reported as left ({@code left=...} lines of its output). */
    static void warn(ResourceContext ctx, String hostLabel, String scriptOutput) {
        scriptOutput.lines().filter(line -> line.startsWith("left=")).forEach(line -> ctx.warn("left " + line.substring(5)
                + " on " + hostLabel + " untouched: it is not this resource's"));
    }
}
