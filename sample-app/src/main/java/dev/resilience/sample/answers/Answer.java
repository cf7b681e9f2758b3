package dev.resilience.sample.answers;

import java.time.Duration;

/**
 * An answer to a question, who gave it, and a note for the user when it may be out of date.
 *
 * @param question the question
 * @param answer the answer
 * @param source {@code primary}, {@code secondary}, or {@code cache} (the last good answer of the primary, given
 *        again because both providers failed)
 * @param note for the user, when the answer may be out of date; {@code null} otherwise
 */
public record Answer(String question, String answer, String source, String note) {

    /** A live answer from {@code source}. */
    public Answer(String question, String answer, String source) {
        this(question, answer, source, null);
    }

    /** This answer, given again from the cache {@code age} after it was first given. */
    public Answer fromCache(Duration age) {
        return new Answer(question, answer, "cache", "This answer may be out of date: both assistants are unavailable, "
                + "so this is the answer given " + describe(age) + " ago.");
    }

    private static String describe(Duration age) {
        long minutes = age.toMinutes();
        return minutes >= 1 ? minutes + (minutes == 1 ? " minute" : " minutes") : age.toSeconds() + " seconds";
    }
}
