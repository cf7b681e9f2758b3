package dev.resilience.sample.answers;

/**
 * An answer to a question and who gave it.
 *
 * @param question the question
 * @param answer the answer
 * @param source {@code primary}, {@code secondary} or {@code cache}
 */
public record Answer(String question, String answer, String source) {
}
