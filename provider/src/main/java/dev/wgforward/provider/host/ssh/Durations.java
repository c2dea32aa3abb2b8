package dev.wgforward.provider.host.ssh;

import java.time.Duration;

/** Durations as people write them in messages: "5s", "250ms", "2m30s". */
final class Durations {
    private Durations() {}

    static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = duration.toSeconds();
        if (millis % 1000 != 0) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
}
