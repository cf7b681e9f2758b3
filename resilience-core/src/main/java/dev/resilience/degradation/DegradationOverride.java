package dev.resilience.degradation;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's floor on the degradation level: the effective level is the higher of the level the breakers and
 * probes imply and this one. Set directly ({@code resilience.degradation.override}) or by selecting an
 * {@link OperationMode}, with a reason and an optional expiry.
 *
 * @param level the floor; {@code NONE} only for a mode whose effect is its feature switches
 * @param mode the operation mode that set it, or {@code null} for a bare override
 * @param reason why, as the operator said it, or {@code null}
 * @param expiresAt when it ends by itself, or {@code null} for never
 */
public record DegradationOverride(DegradationLevel level, String mode, String reason, Instant expiresAt) {

    /** The longest reason kept; an operator's note, not a document. */
    public static final int MAX_REASON_LENGTH = 200;

    public DegradationOverride {
        Objects.requireNonNull(level, "level");
        if (mode == null && level == DegradationLevel.NONE) {
            throw new IllegalArgumentException("an override without a mode needs a level above NONE");
        }
        if (mode != null && mode.isBlank()) {
            throw new IllegalArgumentException("a mode needs a name");
        }
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("a reason is at most " + MAX_REASON_LENGTH + " characters, was "
                    + reason.length());
        }
    }

    /** Whether it has ended by {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** How it reads in a log line or an event: {@code mode 'minimal' (MAJOR): incident 4711, until ...}. */
    public String describe() {
        StringBuilder text = new StringBuilder(mode != null ? "mode '" + mode + "' (" + level + ")" : "override " + level);
        if (reason != null) {
            text.append(": ").append(reason);
        }
        if (expiresAt != null) {
            text.append(", until ").append(expiresAt);
        }
        return text.toString();
    }
}
