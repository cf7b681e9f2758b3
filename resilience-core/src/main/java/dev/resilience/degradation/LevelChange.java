package dev.resilience.degradation;

import java.time.Instant;
import java.util.List;

/**
 * The degradation level changed.
 *
 * @param from the previous level
 * @param to the new level
 * @param impaired the names of the breakers open now
 * @param at when it happened
 */
public record LevelChange(DegradationLevel from, DegradationLevel to, List<String> impaired, Instant at) {

    public LevelChange {
        impaired = List.copyOf(impaired);
    }
}
